package io.wsp4j.core;

/** A native call failed in a way the caller cannot treat as an expected outcome: names the call and the OS error. */
public final class NativeCallException extends RuntimeException {
    private final String function;
    private final int error;

    public NativeCallException(String function, int error, String detail) {
        super(function + " failed: error " + error + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.function = function;
        this.error = error;
    }

    public String function() { return function; }

    /** errno on Linux, GetLastError() or a WSA error on Windows. */
    public int error() { return error; }
}
