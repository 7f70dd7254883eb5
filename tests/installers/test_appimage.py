"""The AppImage recipe: the AppDir that appimagetool squashes starts the app through AppRun.

appimagetool itself downloads its runtime from GitHub, which this machine cannot reach, so the
squashing runs on the release workflow's runners; the AppDir is what it packs, tested here.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from installers.icons import render_icons
from installers.linux import make_appdir

from .conftest import app_env

pytestmark = pytest.mark.slow


def test_appdir_starts_the_app_through_apprun(bundle, tmp_path, qapp):
    appdir = make_appdir(bundle, render_icons(tmp_path / "icons"), tmp_path / "localchat.AppDir")
    assert os.access(appdir / "AppRun", os.X_OK)
    assert (appdir / "localchat.desktop").read_text().count("Icon=localchat") == 1
    assert (appdir / ".DirIcon").resolve() == (appdir / "localchat.png").resolve()
    out = subprocess.run([str(appdir / "AppRun"), "--self-test"], capture_output=True, text=True, timeout=180,
                         env=app_env(tmp_path / "data"), cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "self-test passed" in out.stdout and "the API server answered" in out.stdout
