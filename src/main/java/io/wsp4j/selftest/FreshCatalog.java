package io.wsp4j.selftest;

import io.wsp4j.catalog.CatalogImage;

/**
 * The catalog as a new process reads it. A process keeps its own copy of the Winsock catalog from its
 * first use of Winsock, so what the selftest checks after a change must come from a process started
 * after it.
 */
@FunctionalInterface
public interface FreshCatalog {
    CatalogImage read();
}
