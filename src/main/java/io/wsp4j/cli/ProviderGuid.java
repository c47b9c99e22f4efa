package io.wsp4j.cli;

import io.wsp4j.catalog.Guids;
import io.wsp4j.manifest.ManifestException;
import io.wsp4j.manifest.ManifestParser;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/** A provider named on the command line: by --manifest FILE (its providerGuid) or by --provider GUID. */
final class ProviderGuid {
    private ProviderGuid() {}

    /** The GUID of --manifest, else of --provider; empty if neither was given. */
    static Optional<UUID> of(Path manifest, String provider) throws ManifestException {
        if (manifest != null) return Optional.of(ManifestParser.parse(manifest).providerGuid());
        if (provider != null) return Optional.of(parse(provider));
        return Optional.empty();
    }

    /** The LSP categories --manifest names (empty without a manifest: --provider says nothing of them). */
    static OptionalInt categories(Path manifest) throws ManifestException {
        return manifest == null ? OptionalInt.empty() : OptionalInt.of(ManifestParser.parse(manifest).categoryMask());
    }

    /** --provider's value; bad input (exit code 2) if it is not a GUID. */
    static UUID parse(String text) {
        UUID g = Guids.parseOrNull(text);
        if (g == null) {
            throw new CliException(ExitCodes.BAD_INPUT, "--provider: \"" + text + "\" is not a GUID; expected {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}");
        }
        return g;
    }
}
