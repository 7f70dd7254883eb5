; localchat for Windows: a per-user installer (no administrator rights needed).
;
; Installs the PyInstaller bundle into %LOCALAPPDATA%\Programs\localchat, adds Start-menu and
; desktop shortcuts and an entry in Settings > Apps with an uninstaller. Built by
; `python installers/build.py nsis`, which passes:
;   makensis -DVERSION=0.1.0 -DBUNDLE=dist\localchat -DICON=build\icons\localchat.ico
;            -DOUTFILE=dist\localchat-0.1.0-windows-x86_64-cpu-setup.exe installers\localchat.nsi
Unicode true
ManifestDPIAware true

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef BUNDLE
  !error "pass -DBUNDLE=<the PyInstaller folder holding localchat.exe>"
!endif
!ifndef ICON
  !error "pass -DICON=<localchat.ico>"
!endif
!ifndef OUTFILE
  !error "pass -DOUTFILE=<setup .exe to write>"
!endif

; llama.cpp's CPU backend (ggml-cpu.dll) is built with OpenMP and links the MSVC OpenMP runtime,
; vcomp140.dll. Windows does not ship it and only machines with the Visual C++ redistributable
; have it, so the bundle carries it next to the llama.cpp DLLs (installers/contents.py copies it
; from the Visual Studio that built llama.cpp: VC\Redist\MSVC\<version>\x64\Microsoft.VC143.OpenMP).
; An installer without it would install a program that cannot load a model.
!if ! /FileExists "${BUNDLE}\_internal\llama_cpp\lib\vcomp140.dll"
  !error "vcomp140.dll (the MSVC OpenMP runtime llama.cpp needs) is missing from ${BUNDLE}\_internal\llama_cpp\lib"
!endif
!if ! /FileExists "${BUNDLE}\localchat.exe"
  !error "${BUNDLE}\localchat.exe not found: build the bundle first"
!endif

!include "MUI2.nsh"
!include "FileFunc.nsh"

!define APP "localchat"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "Software\${APP}" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP} installer"
VIAddVersionKey "LegalCopyright" "MIT license; bundled components under their own licenses"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_FINISHPAGE_RUN "$INSTDIR\localchat.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP}"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "${APP}" SecMain
  SetShellVarContext current
  ; an update replaces the whole program folder: a DLL left from an older release must not load
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\localchat.exe" "" "$INSTDIR\localchat.exe" 0
  CreateShortcut "$DESKTOP\${APP}.lnk" "$INSTDIR\localchat.exe" "" "$INSTDIR\localchat.exe" 0

  WriteRegStr HKCU "Software\${APP}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\localchat.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$SMPROGRAMS\${APP}.lnk"
  Delete "$DESKTOP\${APP}.lnk"
  ; only what the installer put there; the person's models, conversations and settings live in
  ; %LOCALAPPDATA%\localchat and stay
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\localchat.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\${APP}"
SectionEnd
