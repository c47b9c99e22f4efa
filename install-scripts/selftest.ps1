#Requires -RunAsAdministrator
#Requires -Version 5.1
<#
.SYNOPSIS
  The Windows test run as one command: `wsp4j selftest` installs the provider, proves it, uninstalls it.
.DESCRIPTION
  Calls `wsp4j selftest`, which prints a PASS, FAIL or SKIP line per step and a summary: snapshot the
  catalogs; install (64- and 32-bit, as the manifest says); read the catalogs from a new process (our
  chains first, the hidden entry, 32-bit chains naming the 32-bit shim); a new java.exe on the allow-list
  runs a WSAAsyncSelect and an IOCP/AcceptEx loopback exchange, each connection found in the accounting
  log; the 64-bit PowerShell (not on the allow-list) gets the shim and no jvm.dll; the 32-bit PowerShell
  gets the 32-bit shim and no jvm.dll; uninstall; the catalogs compared with the snapshot byte for byte.
  Any failure is rolled back by the selftest itself, which says what it did.
  Exit codes are the CLI's: 0 every step passed; 1 failure (nothing changed yet, or the rollback could not
  restore the catalogs: run `wsp4j rollback --snapshot NAME` as printed); 2 bad input; 3 refused (already
  installed, an unfinished transaction); 4 a step failed and everything was rolled back.
  Start it with -ExecutionPolicy Bypass: Windows client editions default to the Restricted policy, under
  which no script runs. -Verbose prints every step's details.
.EXAMPLE
  powershell -ExecutionPolicy Bypass -File .\install-scripts\selftest.ps1 -Report .\selftest.json
#>
[CmdletBinding()]
param(
    [string]$Manifest = (Join-Path (Split-Path -Parent $PSScriptRoot) 'provider-manifest\accounting.windows.json'),
    # Also write the JSON report here.
    [string]$Report,
    # Where the child programs write (the accounting log); kept. Default: a temporary folder.
    [string]$Work,
    # The report as JSON on stdout.
    [switch]$Json
)
. (Join-Path $PSScriptRoot 'common.ps1')
Assert-Jdk22
$arguments = @('selftest', '--manifest', $Manifest)
if ($Report) { $arguments += @('--report', $Report) }
if ($Work) { $arguments += @('--work', $Work) }
if ($Json) { $arguments += '--json' }
if ($VerbosePreference -eq 'Continue') { $arguments += '--verbose' }
exit (Invoke-Wsp4j $arguments)
