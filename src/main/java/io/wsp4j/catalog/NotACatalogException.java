package io.wsp4j.catalog;

/** A directory named as a file catalog holds other files and no catalog of ours: the wrong directory, not a damaged catalog. */
public class NotACatalogException extends CatalogException {
    public NotACatalogException(String message, Throwable cause) {
        super(message, 0, cause);
    }
}
