package io.wsp4j.manifest;

import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.LspCategory;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A provider manifest, validated: everything the installer needs to put a Java LSP into the
 * catalog and to write the shim's configuration. Paths are kept as written (with their variables);
 * the installer expands them.
 *
 * @param shimPath32 the 32-bit shim for the 32-bit catalog (a native pass-through-only build:
 *                   there is no 32-bit JVM to run the provider in); required when {@code catalogs}
 *                   has "32"
 * @param jvm        jvm.dll (libjvm.so) of the JVM the shim creates; empty: the JDK the installer runs on
 * @param categories what the provider does to traffic (LSP categories, set on every entry of ours
 *                   in each catalog); none leaves it in "All Other", which Windows loads into no
 *                   service, no system process and no categorized application
 */
public record ProviderManifest(
        String name,
        UUID providerGuid,
        String shimPath,
        Optional<String> shimPath32,
        Optional<String> jvm,
        List<String> classpath,
        List<String> jvmOptions,
        String providerClass,
        List<LayerSelector> layerOver,
        List<String> allow,
        FailPolicy failPolicy,
        Set<Bitness> catalogs,
        Optional<String> log,
        Set<LspCategory> categories) {

    public static final String DEFAULT_PROVIDER_CLASS = "io.wsp4j.provider.sample.AccountingProvider";

    public ProviderManifest {
        classpath = List.copyOf(classpath);
        jvmOptions = List.copyOf(jvmOptions);
        layerOver = List.copyOf(layerOver);
        allow = List.copyOf(allow);
        catalogs = Set.copyOf(catalogs);
        categories = Set.copyOf(categories);
    }

    /** The categories as WSCSetProviderInfo takes them; 0 when the manifest names none. */
    public int categoryMask() {
        return LspCategory.mask(categories);
    }

    public String shimPathFor(Bitness b) {
        return b == Bitness.X86 ? shimPath32.orElseThrow() : shimPath;
    }
}
