package io.wsp4j.catalog;

/**
 * A catalog operation failed: a WSC* call returned an error, the catalog file could not be
 * written, or the request contradicts the catalog (an unknown id, a GUID already present).
 * {@link #errorCode()} is the Winsock error code when there is one, else 0.
 */
public class CatalogException extends RuntimeException {
    private final int errorCode;

    public CatalogException(String message) {
        this(message, 0, null);
    }

    public CatalogException(String message, int errorCode) {
        this(message, errorCode, null);
    }

    public CatalogException(String message, int errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    public int errorCode() {
        return errorCode;
    }
}
