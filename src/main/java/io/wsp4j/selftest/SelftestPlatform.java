package io.wsp4j.selftest;

import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.FreshCatalogReader;
import io.wsp4j.manifest.ProviderManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the selftest's steps need from the machine they run on. The steps and their checks are the same
 * everywhere ({@link Selftest}); the processes they start are not: on Windows real Winsock programs
 * (a child JVM on the allow-list, PowerShell off it, the 32-bit PowerShell) through the real catalog;
 * on Linux child JVMs running the Linux SPI host through the file catalog and the native shim.
 */
public interface SelftestPlatform {
    /** The machine, for the report: "Windows 10.0 (amd64), elevated", "Linux SPI host". */
    String describe();

    /** The catalog the selftest installs into. */
    Catalog catalog();

    /** The CLI's arguments that name this catalog ({@code --catalog DIR}), or none for the default one. */
    List<String> catalogArguments();

    /** The catalog as a new process reads it. */
    FreshCatalogReader freshCatalog();

    /**
     * The bytes the selftest compares before and after ("byte for byte"): the file catalog's file; on
     * Windows both catalogs as a new process read them, in their canonical JSON.
     */
    byte[] catalogBytes(CatalogImage fresh) throws IOException;

    /** The catalogs whose DLLs this platform's processes load. */
    Set<Bitness> loadedHere();

    /** Whether paths compare as Windows compares them (case-insensitive). */
    boolean windowsPaths();

    /**
     * Why {@code manifest} cannot serve the selftest here (e.g. its allow-list targets the program that
     * must stay untargeted); empty when it can.
     */
    List<String> unsuitable(ProviderManifest manifest);

    /**
     * Runs the allowed program: a new JVM on the allow-list that runs a WSAAsyncSelect exchange and an
     * IOCP/AcceptEx exchange over loopback through the installed provider, and prints them
     * ({@link Exchange#print}); its accounting goes to {@code accountingLog}.
     */
    ChildReport targetedTraffic(Path workDir, ProviderManifest manifest, Path accountingLog);

    /** Runs a program that the allow-list does not name and reports what was loaded into it. */
    UntargetedRun untargeted(Path workDir, ProviderManifest manifest);

    /** Why no 32-bit program can run here, or empty when one can ({@link #thirtyTwoBit}). */
    Optional<String> noThirtyTwoBit();

    /** Runs a 32-bit program, which the allow-list does not name, through the 32-bit catalog. */
    UntargetedRun thirtyTwoBit(Path workDir, ProviderManifest manifest);

    /**
     * What an untargeted (or 32-bit) program showed: whether our shim was loaded into it (so its
     * sockets went through our chain), whether Java was, and whether its loopback exchange completed.
     *
     * @param image         the program's executable name, as the shim's allow-list sees it
     * @param pointerBits   64 or 32
     * @param shimLoaded    the catalog's shim for its bitness was loaded into it
     * @param javaStarted   Java ran inside it for the provider (Windows: jvm.dll among its modules;
     *                      Linux host, whose programs are JVMs: the shim called into Java)
     * @param evidence      how the two were seen
     * @param exchanged     its loopback exchange completed (so the shim passed it through to the provider below)
     */
    record UntargetedRun(ChildReport child, String image, int pointerBits, boolean shimLoaded, boolean javaStarted,
                         String evidence, boolean exchanged) {}
}
