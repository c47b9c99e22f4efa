# Dot-sourced by install.ps1, uninstall.ps1 and rollback.ps1: checks for a JDK >= 22 and finds wsp4j.cmd.
$ErrorActionPreference = 'Stop'
$Wsp4jRoot = Split-Path -Parent $PSScriptRoot
$Wsp4jCli = Join-Path $Wsp4jRoot 'wsp4j.cmd'

function Assert-Jdk22 {
    $jdk = $env:JAVA_HOME
    if (-not $jdk) {
        $java = Get-Command java -ErrorAction SilentlyContinue
        if ($java) { $jdk = Split-Path -Parent (Split-Path -Parent $java.Source) }
    }
    if (-not $jdk -or -not (Test-Path (Join-Path $jdk 'release'))) {
        throw 'No JDK found: install JDK 22 or newer (e.g. Eclipse Temurin 25) and set JAVA_HOME.'
    }
    $line = Select-String -Path (Join-Path $jdk 'release') -Pattern '^JAVA_VERSION="(\d+)' | Select-Object -First 1
    if (-not $line) { throw "Cannot read the Java version of $jdk." }
    $major = [int]$line.Matches[0].Groups[1].Value
    if ($major -lt 22) { throw "$jdk is Java $major; wsp4j needs 22 or newer (the FFM API)." }
}

# Runs wsp4j.cmd with the given arguments and returns its exit code.
function Invoke-Wsp4j([string[]]$Arguments) {
    & $Wsp4jCli @Arguments | Out-Host
    return $LASTEXITCODE
}
