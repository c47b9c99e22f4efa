#!/bin/sh
# Runs `wsp4j selftest` on the host's file catalog: install, an allowed program's traffic through the
# native shim counted in the accounting log, an untargeted program with no Java in it, uninstall, and
# the catalog compared with its snapshot byte for byte; any failure is rolled back.
#   install-scripts/selftest.sh [--catalog DIR] [--manifest FILE] [--json] [--report FILE] [--work DIR] [-v]
# Default manifest: provider-manifest/selftest.host.json. Exits with the CLI's code: 0 every step passed,
# 1 failure (nothing changed yet, or the rollback could not restore the catalog: the output names the
# snapshot for rollback.sh --snapshot), 2 bad input, 3 refused, 4 a step failed and was rolled back.
set -u
# shellcheck source=install-scripts/common.sh
. "$(dirname "$0")/common.sh"
exec "$wsp4j" selftest "$@"
