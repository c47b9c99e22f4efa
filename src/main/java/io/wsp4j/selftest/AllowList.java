package io.wsp4j.selftest;

import java.util.List;

/**
 * The shim's allow-list, matched as the shim matches it: each pattern against the executable's base
 * name, {@code *} any run and {@code ?} one character, ASCII case folded on Windows only. The selftest
 * uses it to know before it starts that its targeted child is targeted and its untargeted one is not.
 */
public final class AllowList {
    private final List<String> patterns;
    private final boolean foldCase;

    public AllowList(List<String> patterns, boolean foldCase) {
        this.patterns = List.copyOf(patterns);
        this.foldCase = foldCase;
    }

    public boolean targets(String image) {
        return patterns.stream().anyMatch(p -> matches(p, image));
    }

    public List<String> patterns() {
        return patterns;
    }

    /** Glob match with backtracking to the last {@code *}, as the shim does it. */
    boolean matches(String pattern, String name) {
        String p = fold(pattern), n = fold(name);
        int pi = 0, ni = 0, star = -1, resume = 0;
        while (ni < n.length()) {
            if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                resume = ni;
            } else if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == n.charAt(ni))) {
                pi++;
                ni++;
            } else if (star >= 0) {
                pi = star + 1;
                ni = ++resume;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') pi++;
        return pi == p.length();
    }

    private String fold(String s) {
        if (!foldCase) return s;
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) b.append(c >= 'A' && c <= 'Z' ? (char) (c - 'A' + 'a') : c);
        return b.toString();
    }
}
