package io.wsp4j.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** --wait SECONDS: a whole number from 0 to a day; anything else is an argument error (exit 2). */
final class WaitSeconds implements ITypeConverter<Long> {
    static final long MAX = 24 * 60 * 60;

    @Override
    public Long convert(String value) {
        long seconds;
        try {
            seconds = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number of seconds (0 to " + MAX + ")");
        }
        if (seconds < 0 || seconds > MAX) {
            throw new TypeConversionException("'" + value + "' is out of range: 0 to " + MAX + " seconds (a day)");
        }
        return seconds;
    }
}
