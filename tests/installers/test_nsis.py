"""The Windows installer script compiles with makensis (warnings are errors) around a placeholder
payload, carries the payload, the OpenMP runtime and an uninstaller, and refuses a payload
without that runtime."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from installers.icons import render_icons
from installers.windows import NSIS_SCRIPT

from .conftest import need

VERSION = "1.2.3"


def placeholder_bundle(root: Path, with_openmp: bool = True) -> Path:
    lib = root / "_internal" / "llama_cpp" / "lib"
    lib.mkdir(parents=True)
    (root / "localchat.exe").write_bytes(b"MZ placeholder")
    for name in ("llama.dll", "ggml.dll", "ggml-base.dll", "ggml-cpu.dll"):
        (lib / name).write_bytes(b"MZ placeholder")
    if with_openmp:
        (lib / "vcomp140.dll").write_bytes(b"MZ placeholder")
    return root


def makensis(bundle: Path, icons: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([need("makensis"), "-WX", "-V2", f"-DVERSION={VERSION}", f"-DBUNDLE={bundle}",
                           f"-DICON={icons / 'localchat.ico'}", f"-DOUTFILE={out}", str(NSIS_SCRIPT)],
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def icons(tmp_path_factory, qapp):
    return render_icons(tmp_path_factory.mktemp("icons"))


def test_installer_compiles_and_carries_the_program_runtime_and_uninstaller(tmp_path, icons):
    out = tmp_path / "localchat-setup.exe"
    done = makensis(placeholder_bundle(tmp_path / "bundle"), icons, out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.read_bytes()[:2] == b"MZ"  # a Windows executable
    listing = subprocess.run([need("7z"), "l", str(out)], capture_output=True, text=True, check=True).stdout
    for member in ("localchat.exe", "_internal/llama_cpp/lib/vcomp140.dll", "_internal/llama_cpp/lib/llama.dll",
                   "uninstall.exe"):
        assert member in listing, f"{member} is not in the installer:\n{listing}"


def test_installer_refuses_a_bundle_without_the_openmp_runtime(tmp_path, icons):
    done = makensis(placeholder_bundle(tmp_path / "bundle", with_openmp=False), icons, tmp_path / "setup.exe")
    assert done.returncode != 0
    assert "vcomp140.dll" in done.stdout + done.stderr
    assert not (tmp_path / "setup.exe").exists()
