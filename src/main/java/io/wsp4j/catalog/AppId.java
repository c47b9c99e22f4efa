package io.wsp4j.catalog;

import java.util.Objects;

/**
 * An application as WSCSetApplicationCategory identifies it: the load path of its executable image
 * (may hold environment strings such as %SystemRoot%) and, to tell apart instances of one executable
 * (svchost.exe -k netsvcs), the command line it is started with ("Extra"; empty when not needed).
 */
public record AppId(String path, String extra) implements Comparable<AppId> {
    public AppId {
        Objects.requireNonNull(path, "path");
        extra = extra == null ? "" : extra;
        if (path.isBlank()) throw new IllegalArgumentException("an application path must not be empty");
    }

    public AppId(String path) {
        this(path, "");
    }

    @Override
    public int compareTo(AppId o) {
        int c = path.compareTo(o.path);
        return c != 0 ? c : extra.compareTo(o.extra);
    }

    @Override
    public String toString() {
        return extra.isEmpty() ? path : path + " " + extra;
    }
}
