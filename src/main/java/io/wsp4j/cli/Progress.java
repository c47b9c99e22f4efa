package io.wsp4j.cli;

import io.wsp4j.catalog.TransactionListener;
import java.io.PrintWriter;

/** Progress lines on stderr ("[2/9] install ..."), so that stdout stays clean for --json. */
final class Progress implements TransactionListener {
    private final PrintWriter err;
    private String opening;

    Progress(PrintWriter err) {
        this.err = err;
    }

    /** A line said once the transaction has started (its plan made), so that a refusal prints only its error. */
    Progress opening(String line) {
        this.opening = line;
        return this;
    }

    @Override
    public void progress(int index, int total, String what) {
        err.println("[" + index + "/" + total + "] " + what);
        err.flush();
    }

    @Override
    public void reached(String point) {
        if (point.equals("journal") && opening != null) {
            line(opening);
            opening = null;
        }
        if (point.equals("verify")) line("verifying the catalog against the plan, as a new process reads it");
        else if (point.equals("rollback")) line("rolling back from the journal");
    }

    @Override
    public void note(String text) {
        line(text);
    }

    void line(String text) {
        err.println(text);
        err.flush();
    }
}
