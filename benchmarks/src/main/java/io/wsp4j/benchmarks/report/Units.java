package io.wsp4j.benchmarks.report;

/** JMH's time units ({@code ns/op}, {@code us/op}, ...) as factors to microseconds. */
final class Units {
    private Units() {}

    /** The factor that turns a value in {@code unit} into microseconds. */
    static double toMicros(String unit) {
        String time = unit.endsWith("/op") ? unit.substring(0, unit.length() - 3) : unit;
        return switch (time) {
            case "ns" -> 1e-3;
            case "us" -> 1.0;
            case "ms" -> 1e3;
            case "s" -> 1e6;
            default -> throw new IllegalArgumentException("not a time per operation: " + unit);
        };
    }
}
