package io.wsp4j.catalog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A Winsock protocol catalog (both bitnesses), with the operations of the WSC* API. Operations are
 * primitive and not transactional; {@link Transaction} makes them so. Callers that write hold
 * {@link #lock(Duration)}.
 */
public interface Catalog extends CatalogWriter {

    /** "file catalog /home/u/.local/state/wsp4j" or "Windows system catalog". */
    String describe();

    /** The catalogs this one has: both on 64-bit Windows (the only Windows a JDK with FFM runs on) and in the file catalog. */
    default Set<Bitness> bitnesses() {
        return EnumSet.allOf(Bitness.class);
    }

    /** Where journals, snapshots and the shim config live. */
    Path stateDir();

    /** WSCEnumProtocols (+ WSCEnumProtocols32) with each entry's WSCGetProviderPath. */
    @Override
    CatalogImage read();

    /**
     * WSCInstallProvider: adds the entries under one provider GUID and DLL path; each gets a new
     * catalog id and goes to the end of the order. Ids are not returned (as with WSC): callers
     * re-read and match the GUID.
     */
    @Override
    void installProvider(Bitness b, UUID providerId, String path, List<ProtocolEntry> entries);

    /** WSCWriteProviderOrder: {@code order} must be a permutation of the catalog's ids. */
    @Override
    void writeOrder(Bitness b, List<Integer> order);

    /** WSCUpdateProvider: replaces the entries of an installed provider, keeping their ids. */
    @Override
    void updateProvider(Bitness b, UUID providerId, String path, List<ProtocolEntry> entries);

    /** WSCDeinstallProvider: removes every entry of the provider (the order closes up). */
    @Override
    void deinstallProvider(Bitness b, UUID providerId);

    /**
     * The catalog as a process started now sees it: what verification compares. The same as
     * {@link #read()} unless the catalog was given a way to read it from a new process ({@link FreshReads}).
     */
    default CatalogImage readFresh() {
        return read();
    }

    /** Makes the catalog equal {@code image} again (ids of re-created entries may differ on Windows). */
    void restore(CatalogImage image);

    /**
     * Whether {@link #restore} rewrites the catalog as a whole (the file catalog) rather than through
     * WSC* calls ({@link Reconciler}, as the Windows catalog must).
     */
    default boolean restoresWholesale() {
        return false;
    }

    /** Exclusive writer lock, waiting up to {@code wait}; fails with {@link CatalogBusyException}. */
    CatalogLock lock(Duration wait);

    /** A reader's lock, shared with other readers: what is read under it is never half-way through a change. */
    default CatalogLock readLock(Duration wait) {
        return CatalogLock.acquireShared(stateDir(), wait);
    }

    /**
     * Checks that the catalog's own files can be read and written back (the file catalog's
     * catalog.json and id counters); throws {@link CatalogDamagedException} naming the way out.
     * Transactions check this before they journal anything, so that they never start what their
     * rollback could not finish.
     */
    default void checkState() {
        read();
    }

    /** The id counters' bytes, kept in the journal so that a rolled-back change leaves them as they were; empty where the catalog keeps none of its own. */
    default Optional<byte[]> idCounters() {
        return Optional.empty();
    }

    /** Writes back what {@link #idCounters()} returned before a transaction. */
    default void restoreIdCounters(byte[] saved) {}

    /** Where the shim reads its configuration, and how it is found. */
    ShimConfigStore shimConfig();

    /** Whether a provider path (unexpanded, as in the catalog) names an existing file. */
    boolean providerFileExists(String path);

    /** Checks the caller may change this catalog (elevation on Windows); throws with a clear message. */
    void checkWriteAccess();

    /**
     * Whether provider DLLs must exist before they enter the catalog: yes on Windows (a missing DLL
     * fails every Winsock program); the file catalog only warns, as the host may build the shim later.
     */
    default boolean requiresProviderFiles() {
        return true;
    }

    /**
     * Deletes a provider file (expanded path) after an uninstall. On Windows a DLL still mapped in
     * running processes cannot be deleted now and is scheduled for deletion at the next reboot.
     */
    FileRemoval removeProviderFile(Path file);
}
