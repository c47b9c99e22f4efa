#!/bin/sh
# Installs a Java LSP into the host's file catalog through `wsp4j install`, as one transaction.
#   install-scripts/install.sh [--manifest FILE] [--catalog DIR] [--dry-run] [other `wsp4j install` options]
# Default manifest: provider-manifest/accounting.host.json. Exits with the CLI's code: 0 installed,
# 1 failure (this script then runs `wsp4j rollback`), 2 bad manifest, 3 refused, 4 failed and rolled back.
set -u
# shellcheck source=install-scripts/common.sh
. "$(dirname "$0")/common.sh"
wsp4j_has_option --manifest "$@" || set -- --manifest "$wsp4j_default_manifest" "$@"
wsp4j_run_transaction install "$@"
