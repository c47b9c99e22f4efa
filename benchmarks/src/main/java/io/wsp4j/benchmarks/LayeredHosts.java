package io.wsp4j.benchmarks;

import io.wsp4j.host.Host;
import io.wsp4j.host.layered.LayeredHostInstall;
import io.wsp4j.provider.ProviderPlatforms;
import io.wsp4j.provider.ProviderSelection;

/** Hosts for the benchmarks: the base provider alone, or wsp4j layered over it. */
final class LayeredHosts {
    private LayeredHosts() {}

    /** A host whose sockets go through wsp4j's layered provider ({@link PassThroughProvider}) to the base provider. */
    static Host layered() {
        ProviderSelection.register(PassThroughProvider::new);
        Host host = new Host().install();
        LayeredHostInstall.install(host);
        return host;
    }

    /** Closes a host made by {@link #layered}, and forgets the provider selection it made. */
    static void closeLayered(Host host) {
        try {
            host.close();
        } finally {
            ProviderSelection.reset();
            ProviderPlatforms.uninstall();
        }
    }
}
