package io.wsp4j.provider;

/** WSPStartup cannot succeed: carries the WSAE* code WSPStartup returns, and why. */
public final class ProviderStartupException extends RuntimeException {
    private final int errorCode;

    public ProviderStartupException(int errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    public ProviderStartupException(int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    /** The WSAE* code for WSPStartup's return value. */
    public int errorCode() {
        return errorCode;
    }
}
