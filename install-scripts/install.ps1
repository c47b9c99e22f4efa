#Requires -RunAsAdministrator
#Requires -Version 5.1
<#
.SYNOPSIS
  Installs a Java Winsock LSP into the system catalogs (64-bit, and 32-bit if the manifest asks) as one transaction.
.DESCRIPTION
  Calls `wsp4j install`. On exit code 1 (a failure that left the journal) it runs `wsp4j rollback`.
  -WhatIf prints the plan (`wsp4j install --dry-run`) and changes nothing.
  Exit codes are the CLI's: 0 installed, 1 failure, 2 bad manifest or unsafe path, 3 refused, 4 rolled back.
  Start it with -ExecutionPolicy Bypass: Windows client editions default to the Restricted policy, under
  which no script runs.
.EXAMPLE
  powershell -ExecutionPolicy Bypass -File .\install-scripts\install.ps1 -Manifest .\provider-manifest\accounting.windows.json -WhatIf
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [string]$Manifest = (Join-Path (Split-Path -Parent $PSScriptRoot) 'provider-manifest\accounting.windows.json')
)
. (Join-Path $PSScriptRoot 'common.ps1')
Assert-Jdk22
if ($WhatIfPreference) { exit (Invoke-Wsp4j @('install', '--manifest', $Manifest, '--dry-run')) }
if (-not $PSCmdlet.ShouldProcess('Winsock catalog', "install the provider of $Manifest")) { exit 0 }
$rc = Invoke-Wsp4j @('install', '--manifest', $Manifest)
if ($rc -eq 1) {
    Write-Warning 'The install failed and left its journal: running wsp4j rollback.'
    [void](Invoke-Wsp4j @('rollback'))
}
exit $rc
