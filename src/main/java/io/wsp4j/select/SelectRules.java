package io.wsp4j.select;

import io.wsp4j.winsock.WsaErrors;
import java.util.Locale;

/**
 * Which reading of WSPAsyncSelect a {@link SelectEngine} follows. Windows' base provider (msafd over
 * AFD) departs from the SPI page in several places, and applications are written against what Windows
 * does, so {@link #WINDOWS} is the default; {@link #DOCUMENTED} keeps the page's strict reading.
 * Each is a whole rule set of its own ({@link WindowsRules}, {@link DocumentedRules}) over the one
 * engine; README.md has the table of where they differ.
 *
 * <p>Chosen per engine ({@link SelectEngine#SelectEngine(MessageSink, SelectRules)}), by the host
 * for its base provider and wsp4j layered on it, and process-wide with
 * {@code -Dwsp4j.asyncselect=windows|documented} ({@link #configured()}).
 */
public enum SelectRules {
    /** What Windows 10/11 does (the default): see {@link WindowsRules}. */
    WINDOWS(new WindowsRules(), WsaErrors.WSAECONNABORTED),
    /** LPWSPASYNCSELECT read to the letter: see {@link DocumentedRules}. */
    DOCUMENTED(new DocumentedRules(), WsaErrors.WSAECONNRESET);

    /** The system property that chooses the rules of engines made without naming them. */
    public static final String PROPERTY = "wsp4j.asyncselect";

    final RuleSet rules;
    private final int resetError;

    SelectRules(RuleSet rules, int resetError) {
        this.rules = rules;
        this.resetError = resetError;
    }

    /**
     * The error code an FD_CLOSE carries when the peer reset the connection: WSAECONNABORTED on Windows
     * (msafd reports AFD's abort indication so), WSAECONNRESET by the page. The engine posts what the
     * network layer reports; a provider that reports resets itself asks its rules for the code.
     */
    public int resetError() {
        return resetError;
    }

    /**
     * The rules {@code -Dwsp4j.asyncselect} names ({@code windows} or {@code documented}, any case);
     * {@link #WINDOWS} when it is not set.
     *
     * @throws IllegalArgumentException for any other value, naming the property and what it takes
     */
    public static SelectRules configured() {
        return parse(System.getProperty(PROPERTY));
    }

    /** {@code value} as {@link #configured()} reads the property; null or blank: {@link #WINDOWS}. */
    public static SelectRules parse(String value) {
        if (value == null || value.isBlank()) return WINDOWS;
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "windows" -> WINDOWS;
            case "documented" -> DOCUMENTED;
            default -> throw new IllegalArgumentException(
                    "-D" + PROPERTY + "=" + value + ": expected windows (the default) or documented");
        };
    }
}
