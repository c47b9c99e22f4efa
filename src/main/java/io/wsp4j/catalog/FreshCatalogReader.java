package io.wsp4j.catalog;

/**
 * Reads the catalog as a process started now sees it. On Windows each process keeps its own copy of
 * the catalog, and WSCUpdateProvider and WSCInstallProviderAndChains64_32 do not refresh the calling
 * process's copy (Microsoft's installer restarts Winsock to see them): what the installer changed is
 * read from a new process.
 */
@FunctionalInterface
public interface FreshCatalogReader {
    CatalogImage read();
}
