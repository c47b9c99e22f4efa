#!/bin/sh
# Builds the native shim from wsp4j_shim.c.
#   build.sh [linux|windows|windows32|all] OUTDIR
#   linux      gcc                    -> OUTDIR/libwsp4j_shim.so   (the Linux host's provider)
#                                        and OUTDIR/libwsp4j_host_base.so (the host's base provider, the shim's lower_provider there)
#   windows    x86_64-w64-mingw32-gcc -> OUTDIR/wsp4j_shim.dll     (64-bit catalog; loads jvm.dll at run time)
#   windows32  i686-w64-mingw32-gcc   -> OUTDIR/wsp4j_shim32.dll   (32-bit catalog; pass-through only, no JVM)
# The JNI headers come from the JDK at JAVA_HOME, else from the newest JDK >= 22 found on the machine.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target=${1:-linux}
out=${2:-}
[ -n "$out" ] || { echo "usage: $0 [linux|windows|windows32|all] OUTDIR" >&2; exit 2; }
mkdir -p "$out"

warnings="-Wall -Wextra -Wno-unused-parameter"
common="-std=c11 -O2 $warnings -I$here"

jdk_include() {
  if [ -z "${jdk:-}" ]; then
    if [ -n "${JAVA_HOME:-}" ] && [ -f "$JAVA_HOME/include/jni.h" ]; then
      jdk=$JAVA_HOME
    else
      # shellcheck source=src/main/sh/find-jdk.sh
      . "$here/../sh/find-jdk.sh"
      wsp4j_find_jdk
      jdk=$WSP4J_JAVA_HOME
    fi
  fi
  [ -f "$jdk/include/jni.h" ] || { echo "build.sh: no include/jni.h under $jdk" >&2; exit 1; }
}

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "build.sh: $1 is needed for target $target (Debian: apt-get install $2)" >&2; exit 1; }
}

build_linux() {
  need gcc gcc
  jdk_include
  # shellcheck disable=SC2086 # $common and $warnings are lists of compiler flags: split on purpose
  gcc $common -fPIC -shared -fvisibility=hidden -Wl,-z,defs \
    -I"$jdk/include" -I"$jdk/include/linux" \
    -o "$out/libwsp4j_shim.so" "$here/wsp4j_shim.c" -ldl -pthread
  # shellcheck disable=SC2086
  gcc $common -fPIC -shared -fvisibility=hidden -Wl,-z,defs \
    -o "$out/libwsp4j_host_base.so" "$here/wsp4j_host_base.c"
}

# The .def file makes WSPStartup the only export; --kill-at drops the x86 stdcall decoration (@76).
# -static-libgcc: no libgcc DLL to ship next to the provider.
build_windows() {
  need x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64
  jdk_include
  # win/ comes first: its jni_md.h (LLP64, __stdcall) replaces the build JDK's own platform one.
  # shellcheck disable=SC2086 # $common and $warnings are lists of compiler flags: split on purpose
  x86_64-w64-mingw32-gcc $common -shared -I"$here/win" -I"$jdk/include" \
    -o "$out/wsp4j_shim.dll" "$here/wsp4j_shim.c" "$here/wsp4j_shim.def" \
    -static-libgcc -s -Wl,--kill-at -ladvapi32
}

build_windows32() {
  need i686-w64-mingw32-gcc gcc-mingw-w64-i686
  # shellcheck disable=SC2086 # $common and $warnings are lists of compiler flags: split on purpose
  i686-w64-mingw32-gcc $common -DSHIM_NO_JVM -shared \
    -o "$out/wsp4j_shim32.dll" "$here/wsp4j_shim.c" "$here/wsp4j_shim.def" \
    -static-libgcc -s -Wl,--kill-at,--enable-stdcall-fixup -ladvapi32
}

case "$target" in
  linux) build_linux ;;
  windows) build_windows ;;
  windows32) build_windows32 ;;
  all) build_linux; build_windows; build_windows32 ;;
  *) echo "usage: $0 [linux|windows|windows32|all] OUTDIR" >&2; exit 2 ;;
esac
