/**
 * The provider manifest: parsed from JSON with every value's line and column
 * ({@link io.wsp4j.manifest.ManifestParser}), validated into a {@link io.wsp4j.manifest.ProviderManifest},
 * every problem reported at once with where it is; the base entries to layer over
 * ({@link io.wsp4j.manifest.LayerSelector}) and the shim's fail policy.
 *
 * <p>It reads with Winsock's vocabulary ({@code winsock}) and JSON's one-line errors ({@code json}),
 * never the catalog: the catalog's planner takes a manifest, so the other way round would be a cycle.
 */
package io.wsp4j.manifest;
