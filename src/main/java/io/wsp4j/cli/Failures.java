package io.wsp4j.cli;

import io.wsp4j.catalog.CatalogBusyException;
import io.wsp4j.catalog.CatalogException;
import io.wsp4j.catalog.InterruptedTransactionException;
import io.wsp4j.catalog.NotACatalogException;
import io.wsp4j.catalog.PlanException;
import io.wsp4j.catalog.RolledBackException;
import io.wsp4j.manifest.ManifestException;
import java.util.concurrent.Callable;

/** Maps the installer's outcomes to the documented exit codes (see {@link ExitCodes}). */
final class Failures {
    private Failures() {}

    /** Runs a command body, mapping failures to exit codes; flushes stdout and stderr either way. */
    static Integer guard(picocli.CommandLine.Model.CommandSpec spec, Callable<Integer> body) {
        try {
            return body.call();
        } catch (CliException e) {
            throw e;
        } catch (ManifestException e) {
            throw new CliException(ExitCodes.BAD_INPUT, e.getMessage() + "; nothing was changed", e);
        } catch (PlanException e) {
            int code = e.kind() == PlanException.Kind.BAD_INPUT ? ExitCodes.BAD_INPUT : ExitCodes.REFUSED;
            throw new CliException(code, e.getMessage() + "; nothing was changed", e);
        } catch (NotACatalogException e) {
            throw new CliException(ExitCodes.BAD_INPUT, e.getMessage(), e);
        } catch (InterruptedTransactionException | CatalogBusyException e) {
            throw new CliException(ExitCodes.REFUSED, e.getMessage(), e);
        } catch (RolledBackException e) {
            throw new CliException(ExitCodes.ROLLED_BACK, e.getMessage(), e);
        } catch (CatalogException e) {
            throw new CliException(ExitCodes.FAILURE, e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CliException(ExitCodes.FAILURE, e.getMessage(), e);
        } finally {
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().flush();
        }
    }
}
