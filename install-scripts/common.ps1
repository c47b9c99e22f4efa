# Dot-sourced by install.ps1, uninstall.ps1, rollback.ps1 and selftest.ps1: finds a JDK >= 22 and wsp4j.cmd.
# Run the scripts with `powershell -ExecutionPolicy Bypass -File <script>`: Windows client editions
# default to the Restricted execution policy, under which no .ps1 starts.
$ErrorActionPreference = 'Stop'
$Wsp4jRoot = Split-Path -Parent $PSScriptRoot
$Wsp4jCli = Join-Path $Wsp4jRoot 'wsp4j.cmd'

# java.home and java.specification.version as the given java.exe reports them (-XshowSettings:properties,
# on stderr), or $null. Asking the launcher itself finds the JDK behind a stub such as Oracle's
# ...\Common Files\Oracle\Java\javapath\java.exe, which lives in no JDK folder.
function Get-JavaHome([string]$Java) {
    if (-not (Test-Path -LiteralPath $Java -PathType Leaf)) { return $null }
    $start = New-Object System.Diagnostics.ProcessStartInfo
    $start.FileName = $Java
    $start.Arguments = '-XshowSettings:properties -version'
    $start.UseShellExecute = $false
    $start.CreateNoWindow = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    try { $process = [System.Diagnostics.Process]::Start($start) } catch { return $null }
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEnd()
    $process.WaitForExit()
    [void]$stdout.Result
    $javaHome = $null; $feature = 0
    foreach ($line in ($stderr -split "`r?`n")) {
        if ($line -match '^\s+java\.home = (.+)$') { $javaHome = $Matches[1].Trim() }
        if ($line -match '^\s+java\.specification\.version = (\d+)') { $feature = [int]$Matches[1] }
    }
    if (-not $javaHome) { return $null }
    return [pscustomobject]@{ Home = $javaHome; Feature = $feature }
}

# A JDK >= 22 (it has javac.exe: the first run of wsp4j.cmd builds): JAVA_HOME if it is one, then each
# java.exe on PATH, then the newest in the usual install folders; as wsp4j.cmd chooses.
function Find-Jdk22 {
    $candidates = @()
    if ($env:JAVA_HOME) { $candidates += Join-Path $env:JAVA_HOME 'bin\java.exe' }
    $candidates += @(Get-Command java.exe -All -CommandType Application -ErrorAction SilentlyContinue | ForEach-Object { $_.Source })
    foreach ($java in $candidates) {
        $jdk = Get-JavaHome $java
        if ($jdk -and $jdk.Feature -ge 22 -and (Test-Path -LiteralPath (Join-Path $jdk.Home 'bin\javac.exe'))) { return $jdk.Home }
    }
    $best = $null
    foreach ($root in 'Eclipse Adoptium', 'Java', 'Microsoft', 'Zulu', 'Amazon Corretto', 'BellSoft') {
        $dir = Join-Path $env:ProgramFiles $root
        if (-not (Test-Path -LiteralPath $dir)) { continue }
        foreach ($candidate in (Get-ChildItem -LiteralPath $dir -Directory)) {
            $jdk = Get-JavaHome (Join-Path $candidate.FullName 'bin\java.exe')
            if ($jdk -and $jdk.Feature -ge 22 -and (Test-Path -LiteralPath (Join-Path $jdk.Home 'bin\javac.exe')) -and
                (-not $best -or $jdk.Feature -gt $best.Feature)) { $best = $jdk }
        }
    }
    if ($best) { return $best.Home }
    return $null
}

# Checks for a JDK >= 22 and makes it JAVA_HOME for wsp4j.cmd, which then takes the same one.
function Assert-Jdk22 {
    $jdk = Find-Jdk22
    if (-not $jdk) {
        throw 'No JDK 22 or newer found (looked at JAVA_HOME, java.exe on PATH, and the usual install folders): install one (e.g. Eclipse Temurin 25) and set JAVA_HOME to it.'
    }
    $env:JAVA_HOME = $jdk
}

# Runs wsp4j.cmd with the given arguments and returns its exit code.
function Invoke-Wsp4j([string[]]$Arguments) {
    & $Wsp4jCli @Arguments | Out-Host
    return $LASTEXITCODE
}
