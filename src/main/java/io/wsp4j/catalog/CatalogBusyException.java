package io.wsp4j.catalog;

/** Another installer holds the catalog's writer lock. */
public class CatalogBusyException extends CatalogException {
    public CatalogBusyException(String message) {
        super(message);
    }
}
