package io.wsp4j.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code wsp4j --version}: the project version from the jar manifest, and the running JVM. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "wsp4j " + (v == null ? "(development build)" : v),
            "JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version()
                    + " on " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
        };
    }
}
