package io.wsp4j.shim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A shim configuration as the installer writes it: UTF-8 key=value lines. */
final class ShimConfigLines {
    private final StringBuilder text = new StringBuilder("# shim configuration written by a test\n");

    ShimConfigLines set(String key, Object value) {
        text.append(key).append('=').append(value).append('\n');
        return this;
    }

    Path writeTo(Path file) throws IOException {
        Files.writeString(file, text);
        return file;
    }
}
