package io.wsp4j.catalog;

/**
 * A file of the catalog's own cannot be used (missing, truncated, garbage). The message names the
 * file, what is wrong and the command that gets the catalog out of this state.
 */
public class CatalogDamagedException extends CatalogException {
    public CatalogDamagedException(String message, Throwable cause) {
        super(message, 0, cause);
    }
}
