package io.wsp4j.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report step over a real JMH result file (a @Group run and three SampleTime runs at sockets=1000,
 * their histograms shortened): what is read, the rows written, the plot drawn.
 */
class ReportTest {
    @TempDir Path dir;

    private static Path sampleRun() throws URISyntaxException {
        return Path.of(ReportTest.class.getResource("sample-run.json").toURI());
    }

    private static JmhResult find(List<JmhResult> results, String method) {
        return results.stream().filter(r -> r.method().equals(method)).findFirst().orElseThrow();
    }

    @Test
    void aGroupIsReadAsItsMembersAndEveryOtherRunAsItsPrimaryMetric() throws Exception {
        JmhResults run = JmhResults.read(sampleRun());
        List<String> methods = run.results().stream().map(JmhResult::method).toList();
        assertEquals(List.of("app", "dispatcher", "hostBaseProvider", "nioSelector", "nioSelectorHandOff"), methods);
        assertEquals("25.0.3", run.jdkVersion());

        JmhResult host = find(run.results(), "hostBaseProvider");
        assertEquals("EndToEndBenchmark", host.className());
        assertEquals("sockets=1000", host.paramText());
        assertEquals(120.96, host.percentileMicros(50.0), 1e-9);
        assertEquals(10, host.samples(), "3 + 2 samples in the first fork, 5 in the second");
        JmhResult app = find(run.results(), "app");
        assertEquals(7.376, app.percentileMicros(50.0), 1e-9, "the member's own percentiles, not the group's");
        assertEquals(0, app.samples(), "JMH does not count a member's samples");
    }

    @Test
    void latencyRowsGiveMicrosecondsAndTheRatioToTheReferenceAtTheSameParameters() throws Exception {
        List<JmhResult> results = JmhResults.read(sampleRun()).results();
        String table = MarkdownTables.latency(results, Pattern.compile("nioSelector"));
        List<String> lines = table.lines().toList();
        assertEquals(2 + 5, lines.size(), table);
        assertEquals("| EndToEndBenchmark | `hostBaseProvider` | sockets=1000 | 121 | "
                + MarkdownTables.micros(find(results, "hostBaseProvider").percentileMicros(99.0)) + " | "
                + MarkdownTables.micros(find(results, "hostBaseProvider").percentileMicros(99.9)) + " | 10 | 1.65× |",
                lines.get(4), "120.96 / 73.088 = 1.655");
        assertTrue(lines.get(5).startsWith("| EndToEndBenchmark | `nioSelector` | sockets=1000 | 73.1 |"), lines.get(5));
        assertTrue(lines.get(5).endsWith("| 1.00× |"), lines.get(5));
        assertTrue(lines.get(2).endsWith("| – | – |"), "no reference in the hand-off class: " + lines.get(2));
    }

    @Test
    void averagesAreEmptyWhenEveryRunSampledLatency() throws Exception {
        assertEquals("", MarkdownTables.averages(JmhResults.read(sampleRun()).results()));
    }

    @Test
    void thePlotHasOnePanelPerClassAndParameters() throws Exception {
        Path png = dir.resolve("latency.png");
        assertTrue(LatencyPlot.write(JmhResults.read(sampleRun()).results(), "test", png));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1000, image.getWidth());
        assertEquals(80 + 2 * 260, image.getHeight(), "two panels: the hand-off, and end to end at sockets=1000");
    }

    @Test
    void theNinesScalePutsEachNineOneUnitFurther() {
        assertEquals(1.0, LatencyPlot.nines(90.0), 1e-12);
        assertEquals(3.0, LatencyPlot.nines(99.9), 1e-9);
        assertEquals(0.0, LatencyPlot.nines(0.0), 1e-12);
    }

    @Test
    void badInputIsAnErrorNotAReport() throws Exception {
        Path notJmh = Files.writeString(dir.resolve("x.json"), "{\"benchmark\": 1}");
        assertThrows(IOException.class, () -> JmhResults.read(notJmh));
        assertEquals(2, Report.run(new String[] {}), "no result file named");
        assertEquals(2, Report.run(new String[] {"a.json", "b.json"}), "two result files");
        assertThrows(IllegalArgumentException.class, () -> Report.run(new String[] {"a.json", "--png"}));
        assertFalse(Files.exists(dir.resolve("latency.png")));
    }
}
