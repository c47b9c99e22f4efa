package io.wsp4j.cli;

import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogJson;
import io.wsp4j.catalog.Journal;
import io.wsp4j.catalog.Snapshots;
import io.wsp4j.catalog.Transaction;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rollback", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Finish an interrupted transaction, or restore a snapshot.",
            "",
            "Finish an interrupted install, uninstall or repair (a crash, a power cut, a killed process) by restoring the catalog, the shim configuration, the id counters and the files it placed or removed from the transaction's journal, exactly as they were before it; temp files a crashed write left are removed. With --snapshot, restore a snapshot saved by `wsp4j snapshot` instead (this works on a catalog whose files are damaged or missing too). A damaged journal, or one whose rollback cannot finish, is set aside with --discard-journal (alone: the catalog stays as it is; with --snapshot: the snapshot is restored). Safe to run at any time: with no journal it says so and changes nothing."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wsp4j rollback",
            "  wsp4j rollback --snapshot before-demo",
            "  wsp4j rollback --snapshot before-demo --discard-journal   # the journal is damaged",
            "",
            "Exit codes: 0 rolled back, restored, or nothing to roll back; 1 failure (the journal is kept: the message says what to run next); 2 no such snapshot, bad arguments; 3 catalog busy, or a journal is present while restoring a snapshot without --discard-journal; 4 the snapshot restore failed and was undone."})
final class RollbackCommand implements Callable<Integer> {
    @Mixin
    CatalogCommand command;

    @Option(names = "--snapshot", paramLabel = "NAME", description = "Restore this snapshot instead of the journal.")
    String snapshot;

    @Option(names = "--discard-journal", description = "Set the journal aside (as journal/transaction.json.discarded-TIME) instead of"
            + " rolling back from it: for a damaged journal, or one whose rollback cannot finish.")
    boolean discardJournal;

    @Override
    public Integer call() {
        return command.run(() -> {
            Catalog catalog = command.openExisting();
            Transaction tx = command.transaction(catalog, command.progress());
            var out = command.out();
            var json = CatalogJson.MAPPER.createObjectNode();
            Optional<Path> discarded = Optional.empty();
            if (snapshot != null) {
                if (!Snapshots.validName(snapshot)) {
                    throw new CliException(ExitCodes.BAD_INPUT, "--snapshot: \"" + snapshot + "\" is not a snapshot name (letters, digits, . _ -)");
                }
                Snapshots.Snapshot s = new Snapshots(catalog.stateDir()).load(snapshot).orElseThrow(() -> new CliException(
                        ExitCodes.BAD_INPUT, "no snapshot named \"" + snapshot + "\" (`wsp4j snapshot --list` shows them)"));
                if (discardJournal) discarded = tx.discardJournal();
                tx.restoreImage(s.image(), s.shimConfig(), s.installedFiles());
                json.put("result", "restored").put("snapshot", snapshot).put("taken", s.taken().toString());
                discarded.ifPresent(d -> json.put("journalSetAside", d.toString()));
                if (command.json) {
                    command.print(json);
                } else {
                    discarded.ifPresent(d -> out.println("set the journal aside as " + d));
                    out.println("restored snapshot \"" + snapshot + "\" taken " + s.taken());
                }
                return ExitCodes.OK;
            }
            if (discardJournal) {
                discarded = tx.discardJournal();
                json.put("result", discarded.isPresent() ? "journalSetAside" : "nothing");
                discarded.ifPresent(d -> json.put("journalSetAside", d.toString()));
                if (command.json) {
                    command.print(json);
                } else if (discarded.isPresent()) {
                    out.println("set the journal aside as " + discarded.get() + "; the catalog is as the interrupted transaction left"
                            + " it: check it with `wsp4j verify" + CatalogCommand.catalogArgument(catalog) + "`");
                } else {
                    out.println("no journal to set aside in the " + catalog.describe());
                }
                return ExitCodes.OK;
            }
            Transaction.Rollback done = tx.rollbackInterrupted();
            Optional<Journal.Entry> entry = done.journal();
            json.put("result", entry.isEmpty() ? "nothing" : "rolledBack");
            entry.ifPresent(e -> json.put("operation", e.operation()).put("started", e.started().toString()).put("pid", e.pid())
                    .put("rolledForward", e.rollsForward()));
            var left = json.putArray("leftoversRemoved");
            done.leftoversRemoved().forEach(p -> left.add(p.toString()));
            if (command.json) {
                command.print(json);
                return ExitCodes.OK;
            }
            done.leftoversRemoved().forEach(p -> out.println("removed " + p + " (left by an interrupted write)"));
            if (entry.isEmpty()) {
                out.println("nothing to roll back: no interrupted transaction in the " + catalog.describe());
            } else if (entry.get().rollsForward()) {
                out.println("finished the interrupted " + entry.get().operation() + " started " + entry.get().started() + " by pid "
                        + entry.get().pid());
            } else {
                out.println("rolled back the interrupted " + entry.get().operation() + " started " + entry.get().started()
                        + " by pid " + entry.get().pid() + "; the catalog is as it was before it");
            }
            return ExitCodes.OK;
        });
    }
}
