# shellcheck shell=sh
# Sourced by install.sh, uninstall.sh, rollback.sh and selftest.sh: finds a JDK >= 22 and the wsp4j launcher,
# and runs a transaction so that a failure is rolled back on the same catalog (its --catalog DIR).
wsp4j_root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=src/main/sh/find-jdk.sh
. "$wsp4j_root/src/main/sh/find-jdk.sh"
wsp4j_find_jdk || exit 1
# WSP4J_LAUNCHER: another launcher (tests use one that runs the freshly compiled classes).
wsp4j=${WSP4J_LAUNCHER:-$wsp4j_root/wsp4j}
# The manifest install.sh and uninstall.sh use when none is given.
# shellcheck disable=SC2034 # read by the scripts that source this file
wsp4j_default_manifest=$wsp4j_root/provider-manifest/accounting.host.json

wsp4j_has_option() { # wsp4j_has_option OPTION ARGS...: true if ARGS hold "OPTION VALUE" or "OPTION=VALUE"
  opt=$1; shift
  case " $* " in
    *" $opt "*|*" $opt="*) return 0 ;;
  esac
  return 1
}

wsp4j_catalog_args() { # prints "--catalog DIR" found in "$@" (as two lines), or nothing
  while [ $# -gt 0 ]; do
    case $1 in
      --catalog) [ $# -gt 1 ] && printf '%s\n%s\n' --catalog "$2"; return 0 ;;
      --catalog=*) printf '%s\n' "$1"; return 0 ;;
    esac
    shift
  done
}

# Runs `wsp4j rollback` on the catalog named in "$@" (exit 1 means a failure left a journal behind).
wsp4j_rollback_after_failure() {
  echo "$(basename "$0"): the transaction failed and left its journal; running wsp4j rollback" >&2
  old_ifs=$IFS; IFS='
'
  # shellcheck disable=SC2046 # split on purpose: one argument per line (IFS is a newline here)
  set -- $(wsp4j_catalog_args "$@")
  IFS=$old_ifs
  "$wsp4j" rollback "$@" >&2 || echo "$(basename "$0"): rollback failed too; run '$wsp4j rollback' again" >&2
}

# Runs `wsp4j COMMAND ARGS...` (install, uninstall) and exits with its code; exit 1, a failure that
# left the journal behind, is rolled back first.
wsp4j_run_transaction() {
  "$wsp4j" "$@"
  rc=$?
  shift
  [ $rc -eq 1 ] && wsp4j_rollback_after_failure "$@"
  exit $rc
}
