package io.wsp4j.winsock;

/**
 * Which of the two Winsock catalogs: 64-bit processes read one, 32-bit (WOW64) processes the other.
 * Their catalog entry ids are independent: an id never means the same entry in both.
 */
public enum Bitness {
    X64("64"),
    X86("32");

    private final String label;

    Bitness(String label) {
        this.label = label;
    }

    /** "64" or "32", as in the manifest, the CLI and the file catalog. */
    public String label() {
        return label;
    }

    public static Bitness ofLabel(String label) {
        for (Bitness b : values()) {
            if (b.label.equals(label)) return b;
        }
        throw new IllegalArgumentException("not a catalog: \"" + label + "\" (expected \"64\" or \"32\")");
    }
}
