package io.wsp4j.catalog;

/** A transaction failed and was rolled back: the catalog and the shim config are as they were. */
public class RolledBackException extends CatalogException {
    public RolledBackException(String message, Throwable cause) {
        super(message, 0, cause);
    }
}
