package io.wsp4j.catalog;

/** A journal from an unfinished transaction is present: `wsp4j rollback` must finish it first. */
public class InterruptedTransactionException extends CatalogException {
    public InterruptedTransactionException(String message) {
        super(message);
    }
}
