#Requires -RunAsAdministrator
#Requires -Version 5.1
<#
.SYNOPSIS
  Removes a Java Winsock LSP from the system catalogs as one transaction.
.DESCRIPTION
  Calls `wsp4j uninstall`. If another LSP is layered over ours it refuses (exit 3) unless -Force,
  which re-chains that LSP past ours. On exit code 1 it runs `wsp4j rollback`. -WhatIf prints the plan.
  The shim DLL stays mapped in running processes: delete it after the next reboot.
  Exit codes: 0 removed, 1 failure, 2 bad input, 3 refused, 4 failed and rolled back.
  Start it with -ExecutionPolicy Bypass: Windows client editions default to the Restricted policy, under
  which no script runs.
.EXAMPLE
  powershell -ExecutionPolicy Bypass -File .\install-scripts\uninstall.ps1 -WhatIf
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [string]$Manifest = (Join-Path (Split-Path -Parent $PSScriptRoot) 'provider-manifest\accounting.windows.json'),
    [switch]$Force
)
. (Join-Path $PSScriptRoot 'common.ps1')
Assert-Jdk22
$arguments = @('uninstall', '--manifest', $Manifest)
if ($Force) { $arguments += '--force' }
if ($WhatIfPreference) { exit (Invoke-Wsp4j ($arguments + '--dry-run')) }
if (-not $PSCmdlet.ShouldProcess('Winsock catalog', "uninstall the provider of $Manifest")) { exit 0 }
$rc = Invoke-Wsp4j $arguments
if ($rc -eq 1) {
    Write-Warning 'The uninstall failed and left its journal: running wsp4j rollback.'
    [void](Invoke-Wsp4j @('rollback'))
}
exit $rc
