# Regenerates src\main\java\io\wsp4j\bindings from wsp4j.h and wsp4j.args with jextract, on Windows
# x64, from the Windows SDK headers (clang finds them through the installed SDK / Visual Studio).
#
#   powershell -ExecutionPolicy Bypass -File jextract\generate.ps1          regenerate the committed bindings
#   powershell -ExecutionPolicy Bypass -File jextract\generate.ps1 -Check   regenerate into a temporary directory and compare
#
# (-ExecutionPolicy Bypass: Windows client editions default to the Restricted policy, under which no script runs.)
#
# Needs jextract ($env:JEXTRACT = path to bin\jextract.bat, or jextract on PATH). The SDK's headers
# are not mingw-w64's, so the C declarations quoted in the javadoc may differ from the committed
# (Linux-generated) sources; the layouts must not (the layout test checks them). See README.md.
param([switch]$Check)
$ErrorActionPreference = 'Stop'

$here = $PSScriptRoot
$repo = Split-Path -Parent $here
$target = Join-Path $repo 'src\main\java\io\wsp4j\bindings'

$jextract = $env:JEXTRACT
if (-not $jextract) {
    $cmd = Get-Command jextract -ErrorAction SilentlyContinue
    if ($cmd) { $jextract = $cmd.Source }
}
if (-not $jextract) {
    if ($Check) { Write-Output 'generate.ps1 -Check: skipped, jextract not found (set $env:JEXTRACT or put jextract on PATH)'; exit 0 }
    Write-Error 'generate.ps1: jextract not found (set $env:JEXTRACT or put jextract on PATH)'
}

$work = Join-Path ([System.IO.Path]::GetTempPath()) ('wsp4j-jextract-' + [guid]::NewGuid())
New-Item -ItemType Directory -Path $work | Out-Null
try {
    $out = Join-Path $work 'out'
    Push-Location $work
    try {
        # On Windows, jextract's own os.name already gives the LLP64 mapping of C long, and clang's
        # default target is Windows x64: no compile_flags.txt and no os.name override are needed.
        & $jextract "@$here\wsp4j.args" --output $out "$here\wsp4j.h" 2>&1 | Tee-Object -Variable log | Out-Null
        if ($LASTEXITCODE -ne 0 -or ($log -match ': error:')) { $log | Write-Output; throw 'generate.ps1: jextract failed' }
    } finally { Pop-Location }

    # The same single rewrite as generate.sh (see README.md): on Windows x64 the canonical C long
    # is ValueLayout.JAVA_INT; spelling it out lets the bindings load on the Linux SPI host too.
    $shared = Join-Path $out 'io\wsp4j\bindings\WinApi$shared.java'
    $from = '    public static final ValueLayout.OfInt C_LONG = (ValueLayout.OfInt) Linker.nativeLinker().canonicalLayouts().get("long");'
    $to = '    public static final ValueLayout.OfInt C_LONG = ValueLayout.JAVA_INT;'
    $lines = [System.IO.File]::ReadAllLines($shared)
    if (@($lines | Where-Object { $_ -ceq $from }).Count -ne 1) {
        throw "generate.ps1: expected exactly one line in WinApi`$shared.java: $from"
    }
    $lines = $lines | ForEach-Object { if ($_ -ceq $from) { $to } else { $_ } }
    [System.IO.File]::WriteAllText($shared, (($lines -join "`n") + "`n"))

    $generated = Join-Path $out 'io\wsp4j\bindings'
    if ($Check) {
        $diff = & git diff --no-index --stat -- $target $generated
        if ($LASTEXITCODE -eq 0) { Write-Output 'generate.ps1 -Check: the committed bindings are what jextract generates'; exit 0 }
        $diff | Write-Output
        Write-Error 'generate.ps1 -Check: the committed bindings differ from jextract''s output'
    }
    if (Test-Path $target) { Remove-Item -Recurse -Force $target }
    Copy-Item -Recurse $generated $target
    Write-Output ("generate.ps1: wrote {0} files to {1}" -f (Get-ChildItem $target -Filter *.java).Count, $target)
} finally {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
