package io.wsp4j.host;

import java.io.File;

/** The number of file descriptors this process has open (Linux: /proc/self/fd). */
final class OpenFds {
    private OpenFds() {}

    static int count() {
        String[] fds = new File("/proc/self/fd").list();
        if (fds == null) throw new IllegalStateException("/proc/self/fd is not readable");
        return fds.length;
    }
}
