package io.wsp4j.provider;

import io.wsp4j.host.Host;
import io.wsp4j.host.layered.LayeredHostInstall;
import io.wsp4j.provider.sample.AccountingProvider;
import io.wsp4j.select.SelectRules;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/**
 * For the host's conformance suites run with wsp4j on top: a host with the accounting sample layered
 * over its base provider, installed as an installer would, and the provider selection forgotten after
 * each test.
 */
interface AccountingOverHost {
    /** A new host whose catalog routes TCP and UDP through wsp4j's accounting sample (its log in {@code dir}). */
    default Host accountingHost(Path dir) {
        return accountingHost(dir, SelectRules.configured());
    }

    /** As {@link #accountingHost(Path)}, the base provider and wsp4j following {@code rules}. */
    default Host accountingHost(Path dir, SelectRules rules) {
        ProviderSelection.register(() -> new AccountingProvider(dir.resolve("accounting.log")));
        Host h = new Host(rules).install();
        LayeredHostInstall.install(h);
        return h;
    }

    @AfterEach
    default void forgetProvider() {
        ProviderSelection.reset();
    }
}
