/**
 * The {@code wsp4j} command line, the picocli way: one {@link io.wsp4j.cli.Subcommand} per command (a
 * base whose inherited {@code @Command} gives --help/--version and the examples footer, and whose one
 * body's failures become the documented exit codes and one-line errors, JSON under --json); what the
 * catalog commands share is mixed in ({@link io.wsp4j.cli.CatalogCommand}: --catalog, --json, --wait,
 * -x, opening and locking the catalog, refusing an unfinished transaction, the transaction itself), and
 * so is install and plan's --manifest ({@link io.wsp4j.cli.ManifestOption}). The demo, host and selftest
 * commands run the Linux SPI host ({@link io.wsp4j.cli.HostTraffic}) and this CLI's own commands as
 * their steps ({@link io.wsp4j.cli.Main#run(java.io.PrintWriter, java.io.PrintWriter, String...)}).
 */
package io.wsp4j.cli;
