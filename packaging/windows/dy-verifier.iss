; Inno Setup 6 script: the Windows installer for dy-verifier.
;
; UNTESTED HERE: this project is built and checked on Linux only. Read packaging/README.md
; ("Windows installer") before the first release and test the result on a clean Windows 10/11.
;
; Build, on Windows, from the repository root:
;   1. bash packaging/build            (Git Bash; or the PyInstaller command in packaging/README.md)
;      -> dist\dy-verifier\ with dy-verifier.exe, dy-verifier-console.exe, dy-gateway.exe
;   2. dist\dy-verifier\dy-verifier-console.exe --self-test
;   3. iscc /DAppVersion=0.1.0 packaging\windows\dy-verifier.iss
;      -> dist\installer\dy-verifier-0.1.0-setup.exe
; AppVersion must be gateway_core/version.py's __version__ (packaging/README.md prints it).

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=<gateway_core.version.__version__> dy-verifier.iss
#endif
; The setup file's own version resource takes numbers only; pass /DNumericVersion=0.2.0 when
; AppVersion is a pre-release such as 0.2.0rc1.
#ifndef NumericVersion
  #define NumericVersion AppVersion
#endif
#define AppName "dy-verifier"
#define BundleDir "..\..\dist\dy-verifier"
#define IconFile "..\..\resources\icons\dy-verifier.ico"

[Setup]
; Never change AppId: Windows recognises upgrades and the uninstaller by it.
AppId={{5E0B2C7A-3F4D-4B8E-9A61-2D7C8E4F1B93}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
VersionInfoVersion={#NumericVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
UninstallDisplayIcon={app}\dy-verifier.exe
OutputDir=..\..\dist\installer
OutputBaseFilename={#AppName}-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; The bundle is 64-bit only (PySide6 ships no 32-bit Windows wheels).
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; A cashier without admin rights can install for themselves; IT can still choose all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
; Upgrades must replace Qt's DLLs, which a running copy keeps locked.
CloseApplications=yes
#if FileExists(AddBackslash(SourcePath) + IconFile)
SetupIconFile={#IconFile}
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
; Simplified Chinese is an unofficial Inno Setup translation: used when it has been added to the
; compiler's Languages folder (https://jrsoftware.org/files/istrans/), skipped otherwise.
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; A new version may drop libraries; stale ones left in _internal could be loaded instead.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\dy-verifier.exe"
Name: "{group}\{#AppName} self-test"; Filename: "{cmd}"; \
  Parameters: "/k ""{app}\dy-verifier-console.exe"" --self-test"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\dy-verifier.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\dy-verifier.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; \
  Flags: nowait postinstall skipifsilent

; No [UninstallDelete] for the data folder (%LOCALAPPDATA%\dy-verifier): it holds the ledger of
; every redeemed coupon and must survive an uninstall or a reinstall.

[Code]
// The installed copy proves itself before the cashier relies on it: the same self-test as CI
// (secret store, ledger, local endpoint on 127.0.0.1, one sandbox redeem, Qt). Loopback only, so
// no firewall prompt.
procedure CurStepChanged(CurStep: TSetupStep);
var
  ResultCode: Integer;
begin
  if CurStep = ssPostInstall then
  begin
    WizardForm.StatusLabel.Caption := 'Checking the installation (dy-verifier --self-test)...';
    if not Exec(ExpandConstant('{app}\dy-verifier-console.exe'), '--self-test', ExpandConstant('{app}'),
                SW_HIDE, ewWaitUntilTerminated, ResultCode) or (ResultCode <> 0) then
      SuppressibleMsgBox('dy-verifier is installed, but its self-test failed (exit code ' +
        IntToStr(ResultCode) + '). Start "' + '{#AppName} self-test' +
        '" from the Start menu to see the reason.', mbError, MB_OK, IDOK);
  end;
end;
