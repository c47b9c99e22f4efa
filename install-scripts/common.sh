# Sourced by install.sh, uninstall.sh and rollback.sh: finds a JDK >= 22 and the wsp4j launcher,
# and remembers a --catalog DIR argument so that a rollback after a failure uses the same catalog.
wsp4j_root=$(cd "$(dirname "$0")/.." && pwd)
. "$wsp4j_root/src/main/sh/find-jdk.sh"
wsp4j_find_jdk || exit 1
# WSP4J_LAUNCHER: another launcher (tests use one that runs the freshly compiled classes).
wsp4j=${WSP4J_LAUNCHER:-$wsp4j_root/wsp4j}

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
  set -- $(wsp4j_catalog_args "$@")
  IFS=$old_ifs
  "$wsp4j" rollback "$@" >&2 || echo "$(basename "$0"): rollback failed too; run '$wsp4j rollback' again" >&2
}
