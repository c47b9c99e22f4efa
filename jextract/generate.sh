#!/bin/sh
# Regenerates src/main/java/io/wsp4j/bindings from wsp4j.h and wsp4j.args with jextract, on Linux,
# from the mingw-w64 headers, with Windows x64 (LLP64) layouts.
#
#   jextract/generate.sh          regenerate the committed bindings
#   jextract/generate.sh --check  regenerate into a temporary directory and diff against them
#
# Needs: jextract (JEXTRACT=/path/to/bin/jextract, or `jextract` on PATH) and the mingw-w64 headers
# (Debian/Ubuntu: mingw-w64-x86-64-dev). Without jextract, --check reports that it skipped and exits 0.
# See jextract/README.md for why each step is there.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
target="$repo/src/main/java/io/wsp4j/bindings"
package_dir=io/wsp4j/bindings

mode=generate
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

jextract=${JEXTRACT:-$(command -v jextract 2>/dev/null || true)}
if [ -z "$jextract" ] || [ ! -x "$jextract" ]; then
  if [ "$mode" = check ]; then
    echo "generate.sh --check: skipped, jextract not found (set JEXTRACT=/path/to/bin/jextract or put jextract on PATH)"
    exit 0
  fi
  echo "generate.sh: jextract not found (set JEXTRACT=/path/to/bin/jextract or put jextract on PATH)" >&2
  exit 1
fi

# libclang as jextract ships it (runtime/lib/libclang.so next to bin/), unless LIBCLANG names one.
jextract_home=$(cd "$(dirname "$(readlink -f "$jextract")")/.." && pwd)
libclang=${LIBCLANG:-$jextract_home/runtime/lib/libclang.so}
[ -f "$libclang" ] || { echo "generate.sh: no libclang at $libclang (set LIBCLANG=/path/to/libclang.so)" >&2; exit 1; }

mingw_include=${MINGW_INCLUDE:-/usr/x86_64-w64-mingw32/include}
[ -f "$mingw_include/ws2spi.h" ] || {
  echo "generate.sh: mingw-w64 headers not found in $mingw_include (apt-get install mingw-w64-x86-64-dev, or set MINGW_INCLUDE)" >&2
  exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# 1. Windows offsets: jextract passes ./compile_flags.txt to clang; the target selects the mingw-w64
#    headers and the Windows x64 ABI (LLP64, 16-bit wchar_t).
printf '%s\n' --target=x86_64-w64-windows-gnu "-isystem$mingw_include" > "$work/compile_flags.txt"
# 2. Windows Java types: jextract maps C long to a Java type by the os.name of its own JVM. Under
#    os.name=Windows it loads libclang by its Windows name, hence the liblibclang.so link; libclang's
#    crash recovery installs signal handlers that crash the JVM, so it is turned off.
mkdir "$work/lib"
ln -s "$libclang" "$work/lib/liblibclang.so"
(
  cd "$work"
  LIBCLANG_DISABLE_CRASH_RECOVERY=1 \
  JEXTRACT_JAVA_OPTIONS="${JEXTRACT_JAVA_OPTIONS:-} -Dos.name=Windows -Djava.library.path=$work/lib" \
    "$jextract" @"$here/wsp4j.args" --output "$work/out" "$here/wsp4j.h" > "$work/jextract.log" 2>&1
) || { cat "$work/jextract.log" >&2; echo "generate.sh: jextract failed" >&2; exit 1; }
# Warnings about skipped bitfields (SCOPE_ID) and unsupported types are expected; errors are not.
if grep -q ': error:' "$work/jextract.log"; then cat "$work/jextract.log" >&2; exit 1; fi

# 3. The one post-processing step: the generated C_LONG asks the host linker for its canonical
#    "long", which is 8 bytes on Linux and fails the (ValueLayout.OfInt) cast. On Windows x64 it is
#    exactly ValueLayout.JAVA_INT, so say that, and the bindings load on both systems.
shared="$work/out/$package_dir/WinApi\$shared.java"
c_long='    public static final ValueLayout.OfInt C_LONG = (ValueLayout.OfInt) Linker.nativeLinker().canonicalLayouts().get("long");'
c_long_llp64='    public static final ValueLayout.OfInt C_LONG = ValueLayout.JAVA_INT;'
[ "$(grep -cxF "$c_long" "$shared")" = 1 ] || {
  echo "generate.sh: expected exactly one line in WinApi\$shared.java: $c_long" >&2
  echo "  (jextract's output changed: review the C_LONG rewrite in generate.sh and jextract/README.md)" >&2
  exit 1
}
awk -v from="$c_long" -v to="$c_long_llp64" '$0 == from { print to; next } { print }' "$shared" > "$shared.new"
mv "$shared.new" "$shared"

if [ "$mode" = check ]; then
  if diff -r "$target" "$work/out/$package_dir" > "$work/diff" 2>&1; then
    echo "generate.sh --check: the committed bindings are what jextract generates"
    exit 0
  fi
  cat "$work/diff"
  echo "generate.sh --check: the committed bindings differ from jextract's output (run jextract/generate.sh)" >&2
  exit 1
fi

rm -rf "$target"
mkdir -p "$(dirname "$target")"
cp -R "$work/out/$package_dir" "$target"
echo "generate.sh: wrote $(find "$target" -name '*.java' | wc -l) files to src/main/java/$package_dir"
