package io.wsp4j.cli;

import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.Journal;
import io.wsp4j.catalog.Snapshots;
import io.wsp4j.catalog.Transaction;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rollback", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Finish an interrupted transaction, or restore a snapshot.",
            "",
            "Finish an interrupted install, uninstall or repair (a crash, a power cut, a killed process) by restoring the catalog and the shim configuration from the transaction's journal, exactly as they were before it. With --snapshot, restore a snapshot saved by `wsp4j snapshot` instead. Safe to run at any time: with no journal it says so and changes nothing."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wsp4j rollback",
            "  wsp4j rollback --snapshot before-demo",
            "",
            "Exit codes: 0 rolled back, or nothing to roll back; 1 failure (the journal is kept, run it again); 2 no such snapshot; 3 catalog busy, or a journal is present while restoring a snapshot; 4 the snapshot restore failed and was undone."})
final class RollbackCommand implements Callable<Integer> {
    @Mixin
    CatalogCommand command;

    @Option(names = "--snapshot", paramLabel = "NAME", description = "Restore this snapshot instead of the journal.")
    String snapshot;

    @Override
    public Integer call() {
        return command.run(() -> {
            Catalog catalog = command.openCatalog();
            Transaction tx = command.transaction(catalog, command.progress());
            var out = command.out();
            if (snapshot != null) {
                if (!Snapshots.validName(snapshot)) {
                    throw new CliException(ExitCodes.BAD_INPUT, "--snapshot: \"" + snapshot + "\" is not a snapshot name (letters, digits, . _ -)");
                }
                Snapshots.Snapshot s = new Snapshots(catalog.stateDir()).load(snapshot).orElseThrow(() -> new CliException(
                        ExitCodes.BAD_INPUT, "no snapshot named \"" + snapshot + "\" (`wsp4j snapshot --list` shows them)"));
                tx.restoreImage(s.image(), s.shimConfig());
                out.println("restored snapshot \"" + snapshot + "\" taken " + s.taken());
                return ExitCodes.OK;
            }
            Optional<Journal.Entry> done = tx.rollbackInterrupted();
            if (done.isEmpty()) out.println("nothing to roll back: no interrupted transaction in the " + catalog.describe());
            else out.println("rolled back the interrupted " + done.get().operation() + " started " + done.get().started()
                    + " by pid " + done.get().pid() + "; the catalog is as it was before it");
            return ExitCodes.OK;
        });
    }
}
