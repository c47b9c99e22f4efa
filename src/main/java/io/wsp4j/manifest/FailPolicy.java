package io.wsp4j.manifest;

/** What the shim does when the JVM or the provider cannot start in a targeted process. */
public enum FailPolicy {
    /** Hand back the lower provider's table: the process keeps its network, without the provider. */
    PASS_THROUGH("pass-through"),
    /** Fail WSPStartup: the process gets no sockets rather than unobserved ones. */
    FAIL("fail");

    private final String label;

    FailPolicy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static FailPolicy ofLabel(String s) {
        for (FailPolicy p : values()) {
            if (p.label.equals(s)) return p;
        }
        return null;
    }
}
