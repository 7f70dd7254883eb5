"""Windows: the NSIS per-user installer around the PyInstaller bundle (installers/localchat.nsi)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from installers.contents import HERE

NSIS_SCRIPT = HERE / "localchat.nsi"


def makensis() -> str:
    tool = shutil.which("makensis")
    if tool is None:
        raise SystemExit("makensis not found: install NSIS (Windows: `choco install nsis`; "
                         "Debian/Ubuntu: `apt-get install nsis`).")
    return tool


def build_nsis(bundle: Path, icons: Path, out: Path, version: str) -> Path:
    """localchat-<version>-windows-<arch>-<variant>-setup.exe; warnings are errors (-WX)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([makensis(), "-WX", "-V2", f"-DVERSION={version}", f"-DBUNDLE={bundle}",
                    f"-DICON={icons / 'localchat.ico'}", f"-DOUTFILE={out}", str(NSIS_SCRIPT)], check=True)
    return out
