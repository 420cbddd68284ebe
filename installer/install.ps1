# Install (or upgrade) the continuity kit from this offline bundle on Windows, with no network.
#
#   powershell -ExecutionPolicy Bypass -File install.ps1 [-Prefix DIR] [-NoShortcut]
#   powershell -ExecutionPolicy Bypass -File install.ps1 -Rollback [-Prefix DIR] [-Data DIR]
#
# Same layout as install.sh: PREFIX\versions\VERSION (one venv per version),
# PREFIX\current.txt names the version in use, PREFIX\previous.txt the one before.
# Start-menu shortcuts: "Kit de continuité" and "Kit de continuité - EXERCICE".
#
# As in install.sh, an installed version is never replaced by a different build: the
# bundle's build identity (the SHA-256 of its SHA256SUMS) is kept in
# PREFIX\versions\VERSION\BUILD-ID, and a bundle with the same version number but another
# identity is refused (exit 3). The same bundle again is allowed. Exit codes: 0 done,
# 1 failed, 3 refused.
param(
    [string]$Prefix = "",
    [switch]$NoShortcut,
    [switch]$Rollback,
    [string]$Data = ""
)
$ErrorActionPreference = "Stop"
$Here = Split-Path -Parent $MyInvocation.MyCommand.Path
$Version = (Get-Content (Join-Path $Here "VERSION") -Raw).Trim()
$IsAdmin = ([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()
           ).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
if (-not $Prefix) {
    if ($IsAdmin) { $Prefix = Join-Path $env:ProgramFiles "ContinuityKit" }
    else { $Prefix = Join-Path $env:LOCALAPPDATA "ContinuityKit" }
}
function Fail($Message) { Write-Error "ECHEC / FAILED: $Message"; exit 1 }
function Refuse([string[]]$Lines) {
    [Console]::Error.WriteLine("REFUSE / REFUSED: " + $Lines[0])
    foreach ($Line in ($Lines | Select-Object -Skip 1)) { [Console]::Error.WriteLine($Line) }
    exit 3
}
function Version-Dir($V) { Join-Path (Join-Path $Prefix "versions") $V }

if ($Rollback) {
    $PrevFile = Join-Path $Prefix "previous.txt"
    if (-not (Test-Path $PrevFile)) { Fail "aucune version precedente / no previous version" }
    $Previous = (Get-Content $PrevFile -Raw).Trim()
    if (-not (Test-Path (Version-Dir $Previous))) { Fail "version $Previous absente / missing" }
    $Current = (Get-Content (Join-Path $Prefix "current.txt") -Raw).Trim()
    if ($Data) {
        & (Join-Path (Version-Dir $Current) "Scripts\continuity.exe") --data $Data upgrade rollback --kit $Current
        if ($LASTEXITCODE -ne 0) { Fail "upgrade rollback" }
    }
    Set-Content -Path (Join-Path $Prefix "current.txt") -Value $Previous
    Set-Content -Path $PrevFile -Value $Current
    Write-Output "Version $Previous remise en service / back in service."
    exit 0
}

Write-Output "Verification du paquet / checking the bundle..."
$Listed = @()
foreach ($Line in Get-Content (Join-Path $Here "SHA256SUMS")) {
    $Expected, $Name = $Line -split "  ", 2
    $Listed += $Name
    $Actual = (Get-FileHash -Algorithm SHA256 (Join-Path $Here $Name)).Hash.ToLower()
    if ($Actual -ne $Expected) { Fail "paquet altere / bundle altered: $Name" }
}
# Every file must be listed: a wheel slipped in beside the others would be installed.
$Present = Get-ChildItem -Path $Here -Recurse -File | Where-Object { $_.Name -ne "SHA256SUMS" } |
    ForEach-Object { $_.FullName.Substring($Here.Length + 1).Replace("\", "/") }
if (Compare-Object ($Listed | Sort-Object) ($Present | Sort-Object)) {
    Fail "fichiers en trop ou manquants / files added to or missing from the bundle"
}
$Build = (Get-FileHash -Algorithm SHA256 (Join-Path $Here "SHA256SUMS")).Hash.ToLower()

$Target = Version-Dir $Version
$CurrentFile = Join-Path $Prefix "current.txt"
$PrevFile = Join-Path $Prefix "previous.txt"
# A reinstall of this version interrupted after it moved the old copy aside: put it back.
if (Test-Path "$Target.old") {
    if (Test-Path $Target) { Remove-Item -Recurse -Force $Target }
    Move-Item "$Target.old" $Target
}
function In-Use($V) {
    foreach ($File in @($CurrentFile, $PrevFile)) {
        if ((Test-Path $File) -and ((Get-Content $File -Raw).Trim() -eq $V)) { return $true }
    }
    return $false
}
if (Test-Path $Target) {
    $BuildFile = Join-Path $Target "BUILD-ID"
    $Installed = ""
    if (Test-Path $BuildFile) { $Installed = (Get-Content $BuildFile -Raw).Trim() }
    # No identity and in use nowhere: a first install of it that did not finish; redone.
    $Unfinished = (-not $Installed) -and (-not (In-Use $Version))
    if (($Installed -ne $Build) -and (-not $Unfinished)) {
        if (-not $Installed) { $Installed = "aucune identite / no build identity" }
        Refuse @(
            "la version $Version est deja installee dans $Prefix depuis un autre paquet ; elle n'est pas remplacee (un retour arriere doit la retrouver telle quelle). Un paquet different doit porter un autre numero de version.",
            "version $Version is already installed in $Prefix from a different bundle; it is not replaced (a rollback must find it as it was). A different bundle must carry another version number.",
            "  installe / installed: $Installed",
            "  ce paquet / this bundle: $Build"
        )
    }
}

$Python = $null
foreach ($Candidate in @("py -3.12", "py -3.11", "python")) {
    $Exe, $Arg = $Candidate -split " ", 2
    try {
        & $Exe $Arg -c "import sys, venv; sys.exit(0 if sys.version_info >= (3, 11) else 1)" 2>$null
        if ($LASTEXITCODE -eq 0) { $Python = @($Exe, $Arg); break }
    } catch { }
}
if (-not $Python) { Fail "Python 3.11 ou plus introuvable / Python 3.11+ not found" }

New-Item -ItemType Directory -Force -Path (Join-Path $Prefix "versions") | Out-Null
if (Test-Path "$Target.old") { Remove-Item -Recurse -Force "$Target.old" }
if (Test-Path $Target) { Move-Item $Target "$Target.old" }
& $Python[0] $Python[1] -m venv $Target
if ($LASTEXITCODE -eq 0) {
    & (Join-Path $Target "Scripts\python.exe") -m pip install --quiet --no-index `
        --find-links (Join-Path $Here "wheels") "continuity-kit==$Version"
    if ($LASTEXITCODE -eq 0) { Set-Content -Path (Join-Path $Target "BUILD-ID") -Value $Build -Encoding ASCII }
}
if ($LASTEXITCODE -ne 0) {
    if (Test-Path $Target) { Remove-Item -Recurse -Force $Target }
    if (Test-Path "$Target.old") { Move-Item "$Target.old" $Target }
    Fail "installation des paquets / package installation"
}
if (Test-Path "$Target.old") { Remove-Item -Recurse -Force "$Target.old" }

if (Test-Path $CurrentFile) {
    $Current = (Get-Content $CurrentFile -Raw).Trim()
    if ($Current -ne $Version) { Set-Content -Path $PrevFile -Value $Current }
}
Set-Content -Path $CurrentFile -Value $Version

# Launchers that always start the version named in current.txt.
$Bin = Join-Path $Prefix "bin"
New-Item -ItemType Directory -Force -Path $Bin | Out-Null
foreach ($Tool in @("continuity", "continuity-app")) {
    $Cmd = "@echo off`r`nset /p V=<`"$CurrentFile`"`r`n`"$Prefix\versions\%V%\Scripts\$Tool.exe`" %*`r`n"
    Set-Content -Path (Join-Path $Bin "$Tool.cmd") -Value $Cmd -Encoding ASCII
}

if (-not $NoShortcut) {
    if ($IsAdmin) { $Menu = [Environment]::GetFolderPath("CommonPrograms") }
    else { $Menu = [Environment]::GetFolderPath("Programs") }
    $Shell = New-Object -ComObject WScript.Shell
    foreach ($Item in @(@("Kit de continuite", ""), @("Kit de continuite - EXERCICE", "--exercise"))) {
        $Link = $Shell.CreateShortcut((Join-Path $Menu ($Item[0] + ".lnk")))
        $Link.TargetPath = Join-Path $Bin "continuity-app.cmd"
        $Link.Arguments = $Item[1]
        $Link.WindowStyle = 7
        $Link.Save()
    }
    Write-Output "Raccourcis / shortcuts: $Menu"
}
Write-Output "Kit $Version installe / installed in $Prefix ($Bin\continuity.cmd doctor pour verifier / to check)."
