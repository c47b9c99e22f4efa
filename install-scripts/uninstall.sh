#!/bin/sh
# Removes a Java LSP from the host's file catalog through `wsp4j uninstall`, as one transaction.
#   install-scripts/uninstall.sh [--manifest FILE | --provider GUID] [--catalog DIR] [--force] [--dry-run]
# Default manifest: provider-manifest/accounting.host.json. Exits with the CLI's code: 0 removed,
# 1 failure (this script then runs `wsp4j rollback`), 2 bad input, 3 refused (not installed, or
# another LSP depends on ours: see --force), 4 failed and rolled back.
set -u
# shellcheck source=install-scripts/common.sh
. "$(dirname "$0")/common.sh"
wsp4j_has_option --manifest "$@" || wsp4j_has_option --provider "$@" \
  || set -- --manifest "$wsp4j_default_manifest" "$@"
wsp4j_run_transaction uninstall "$@"
