# shellcheck shell=sh
# Sourced by ./wsp4j, ./build and install-scripts/*.sh: sets WSP4J_JAVA_HOME to a JDK >= 22.
# Order: $JAVA_HOME if it is one, then the newest JDK under /usr/lib/jvm, else a clear error.

wsp4j_jdk_feature() { # prints the feature release of the JDK at $1 (e.g. 25), or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1
  else
    "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1
  fi
}

# Maven 3.8/3.9 bundles a Guava that calls sun.misc.Unsafe; JDK 24+ warns about it on every build.
# The warning is Maven's, not ours: silence it where the JDK knows the flag.
wsp4j_quiet_maven() {
  if [ "${WSP4J_JAVA_FEATURE:-0}" -ge 24 ]; then
    case " ${MAVEN_OPTS:-} " in *sun-misc-unsafe*) ;; *) MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"; export MAVEN_OPTS ;; esac
  fi
}

# WSP4J_JAVA_HOME and WSP4J_JAVA_FEATURE are this file's results, read by the scripts that source it.
# shellcheck disable=SC2034
wsp4j_find_jdk() {
  wsp4j_min=22
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(wsp4j_jdk_feature "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$wsp4j_min" ]; then WSP4J_JAVA_HOME=$JAVA_HOME; WSP4J_JAVA_FEATURE=$v; wsp4j_quiet_maven; return 0; fi
  fi
  best=; best_v=0
  for d in /usr/lib/jvm/*; do
    [ -d "$d" ] || continue
    v=$(wsp4j_jdk_feature "$d")
    if [ -n "$v" ] && [ "$v" -ge "$wsp4j_min" ] && [ "$v" -gt "$best_v" ]; then best=$d; best_v=$v; fi
  done
  if [ -n "$best" ]; then WSP4J_JAVA_HOME=$best; WSP4J_JAVA_FEATURE=$best_v; wsp4j_quiet_maven; return 0; fi
  echo "wsp4j: no JDK >= $wsp4j_min found (looked at JAVA_HOME=${JAVA_HOME:-<unset>} and /usr/lib/jvm/*)." >&2
  echo "wsp4j: install one, e.g. 'apt-get install openjdk-25-jdk' or Eclipse Temurin 25, or point JAVA_HOME at it." >&2
  return 1
}
