"""macOS: the .app PyInstaller made, in a .dmg; signed, notarized and stapled when secrets exist.

Environment (each step runs only when its variables are set; a release workflow sets them from
repository secrets, a local build needs none and makes an unsigned .dmg that Gatekeeper asks
about on first open):

    MACOS_SIGN_IDENTITY   "Developer ID Application: Name (TEAMID)", in an unlocked keychain.
                          The spec passes it to PyInstaller, which signs every binary and the .app
                          with the hardened runtime and installers/entitlements.plist.
    APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD
                          notarize the signed .dmg with notarytool, then staple the ticket to it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from installers.contents import HERE

ENTITLEMENTS = HERE / "entitlements.plist"
NOTARY_VARIABLES = ("APPLE_ID", "APPLE_TEAM_ID", "APPLE_APP_PASSWORD")


def sign_identity() -> str | None:
    return os.environ.get("MACOS_SIGN_IDENTITY") or None


def _run(*cmd: str | Path) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True)


def build_dmg(app: Path, work: Path, out: Path) -> Path:
    """localchat-<version>-macos-<arch>-<variant>.dmg holding localchat.app and an Applications link."""
    if not app.is_dir():
        raise SystemExit(f"{app} not found: `python installers/build.py bundle` makes it on macOS")
    identity = sign_identity()
    if identity:  # PyInstaller signed it; refuse to ship a bundle whose signature does not hold
        _run("codesign", "--verify", "--deep", "--strict", "--verbose=2", app)

    staging = work / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    _run("ditto", app, staging / app.name)  # ditto keeps signatures, extended attributes, links
    (staging / "Applications").symlink_to("/Applications")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    _run("hdiutil", "create", "-volname", "localchat", "-srcfolder", staging, "-ov", "-format", "UDZO", out)

    if identity:
        _run("codesign", "--force", "--timestamp", "--sign", identity, out)
    if identity and all(os.environ.get(v) for v in NOTARY_VARIABLES):
        _run("xcrun", "notarytool", "submit", out, "--wait",
             "--apple-id", os.environ["APPLE_ID"], "--team-id", os.environ["APPLE_TEAM_ID"],
             "--password", os.environ["APPLE_APP_PASSWORD"])
        _run("xcrun", "stapler", "staple", out)
        _run("spctl", "--assess", "--type", "open", "--context", "context:primary-signature", "--verbose", out)
    else:
        print("not notarized: set MACOS_SIGN_IDENTITY and " + ", ".join(NOTARY_VARIABLES) + " to notarize")
    return out
