package io.wsp4j.benchmarks;

import io.wsp4j.provider.LayeredProvider;

/**
 * A layered provider that overrides no hook: every SPI entry passes straight through wsp4j's layer to
 * the provider below, so what a benchmark measures on it is the layer's own cost.
 */
public final class PassThroughProvider extends LayeredProvider {}
