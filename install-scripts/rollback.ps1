#Requires -RunAsAdministrator
#Requires -Version 5.1
<#
.SYNOPSIS
  Finishes an interrupted wsp4j install/uninstall by restoring the catalogs from the journal, or restores a snapshot.
.DESCRIPTION
  Calls `wsp4j rollback` (or `wsp4j rollback --snapshot NAME`). -WhatIf shows whether a journal is present
  (`wsp4j verify`) and changes nothing. Exit codes: 0 rolled back or nothing to do, 1 failure, 2 no such
  snapshot, 3 catalog busy. Start it with -ExecutionPolicy Bypass: Windows client editions default to the
  Restricted policy, under which no script runs.
.EXAMPLE
  powershell -ExecutionPolicy Bypass -File .\install-scripts\rollback.ps1
.EXAMPLE
  powershell -ExecutionPolicy Bypass -File .\install-scripts\rollback.ps1 -Snapshot before-demo
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param([string]$Snapshot)
. (Join-Path $PSScriptRoot 'common.ps1')
Assert-Jdk22
if ($WhatIfPreference) { exit (Invoke-Wsp4j @('verify')) }
if (-not $PSCmdlet.ShouldProcess('Winsock catalog', 'roll back')) { exit 0 }
$arguments = @('rollback')
if ($Snapshot) { $arguments += @('--snapshot', $Snapshot) }
exit (Invoke-Wsp4j $arguments)
