#!/bin/sh
# Finishes an interrupted install/uninstall by restoring the catalog from its journal, or restores
# a named snapshot:   install-scripts/rollback.sh [--catalog DIR] [--snapshot NAME]
# Exits with the CLI's code: 0 rolled back (or nothing to roll back), 1 failure, 2 no such snapshot,
# 3 catalog busy.
set -u
# shellcheck source=install-scripts/common.sh
. "$(dirname "$0")/common.sh"
exec "$wsp4j" rollback "$@"
