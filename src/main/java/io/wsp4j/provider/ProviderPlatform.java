package io.wsp4j.provider;

import io.wsp4j.core.CompletionPort;
import io.wsp4j.select.SelectRules;
import java.lang.foreign.SymbolLookup;
import java.util.Optional;

/**
 * What the layered provider needs from the system it runs in, so that the same provider code runs
 * on Windows (ws2_32.dll, kernel32, an I/O completion port) and on the Linux SPI host (which plays
 * ws2_32 and the base provider in-process).
 */
public interface ProviderPlatform {

    /** ws2_32's catalog functions as C symbols: {@code WSCEnumProtocols}, {@code WSCGetProviderPath}. */
    SymbolLookup ws2();

    /** Expands {@code %VAR%} references in a provider path as {@code ExpandEnvironmentStringsW} does. */
    String expandEnvironment(String path);

    /** Loads the provider at an expanded path (kept loaded for the process lifetime); its symbols include {@code WSPStartup}. */
    SymbolLookup loadProvider(String path);

    /** A new completion port for the provider's event core. */
    CompletionPort openCompletionPort();

    /**
     * The rules the provider's WSPAsyncSelect follows: those {@code -Dwsp4j.asyncselect} names (Windows'
     * by default). A host that plays the base provider answers with its own, so that the layer and the
     * provider below follow the same.
     */
    default SelectRules selectRules() {
        return SelectRules.configured();
    }

    /**
     * How a downcall's Winsock last error is captured ({@link LastErrorCapture}); empty if this
     * platform has none, and then the provider hands out no extension functions of its own.
     */
    default Optional<LastErrorCapture> lastErrorCapture() {
        return Optional.empty();
    }
}
