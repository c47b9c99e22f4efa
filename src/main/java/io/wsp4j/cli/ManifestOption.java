package io.wsp4j.cli;

import io.wsp4j.manifest.ManifestException;
import io.wsp4j.manifest.ManifestParser;
import io.wsp4j.manifest.ProviderManifest;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --manifest FILE, required, mixed into the commands that plan from a manifest (install, plan). */
final class ManifestOption {
    @Option(names = "--manifest", required = true, paramLabel = "FILE", description = "The provider manifest (JSON).")
    Path file;

    /** The manifest, validated; bad input (exit code 2) otherwise. */
    ProviderManifest read() throws ManifestException {
        return ManifestParser.parse(file);
    }
}
