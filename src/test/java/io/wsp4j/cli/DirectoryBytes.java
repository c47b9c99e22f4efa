package io.wsp4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every file and directory under a directory, with the files' bytes: equal before and after means nothing changed. */
record DirectoryBytes(Map<String, String> entries) {
    static DirectoryBytes of(Path dir) {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String name = dir.relativize(p).toString();
                if (Files.isDirectory(p)) m.put(name + "/", "");
                else m.put(name, java.util.HexFormat.of().formatHex(Files.readAllBytes(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DirectoryBytes(m);
    }

    @Override
    public String toString() {
        return entries.keySet().toString();
    }
}
