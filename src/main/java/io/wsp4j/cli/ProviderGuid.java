package io.wsp4j.cli;

import io.wsp4j.manifest.ManifestException;
import io.wsp4j.manifest.ManifestParser;
import io.wsp4j.manifest.ProviderManifest;
import io.wsp4j.winsock.Guids;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * A provider named on the command line: by --manifest FILE (its providerGuid, and the LSP categories
 * it names) or by --provider GUID (which says nothing of categories); neither, when the command may
 * run without one.
 */
record ProviderGuid(Optional<UUID> guid, OptionalInt categories) {

    /** From --manifest (read once), else --provider; both empty if neither was given. */
    static ProviderGuid of(Path manifest, String provider) throws ManifestException {
        if (manifest != null) {
            ProviderManifest m = ManifestParser.parse(manifest);
            return new ProviderGuid(Optional.of(m.providerGuid()), OptionalInt.of(m.categoryMask()));
        }
        return new ProviderGuid(provider == null ? Optional.empty() : Optional.of(parse(provider)), OptionalInt.empty());
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
