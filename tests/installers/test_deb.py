"""The .deb: installed into a scratch root with this machine's package database, so dpkg checks
its dependencies against what is really installed; the installed program's self-test passes; it
removes cleanly. Slow (needs the bundle, then a minute to pack).
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import need, opens_window, run_program

pytestmark = pytest.mark.slow


def dpkg(root: Path, *args: str) -> subprocess.CompletedProcess:
    # --force-not-root: the scratch root belongs to whoever runs the tests
    return subprocess.run([need("dpkg"), f"--root={root}", "--force-not-root", *args],
                          capture_output=True, text=True)


def field(deb: Path, name: str) -> str:
    return subprocess.run([need("dpkg-deb"), "--field", str(deb), name], capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.fixture
def scratch_root(tmp_path) -> Path:
    """A root whose package database is this machine's: dpkg sees the libraries installed here."""
    root = tmp_path / "root"
    admin = root / "var" / "lib" / "dpkg"
    (admin / "updates").mkdir(parents=True)
    (admin / "info").mkdir()
    shutil.copy2("/var/lib/dpkg/status", admin / "status")
    for listing in Path("/var/lib/dpkg/info").glob("*.list"):  # file lists: dpkg refuses to overwrite theirs
        shutil.copy2(listing, admin / "info" / listing.name)
    return root


def test_deb_installs_runs_and_uninstalls_cleanly(deb, scratch_root, tmp_path, x_display):
    installed = dpkg(scratch_root, "-i", str(deb))
    assert installed.returncode == 0, installed.stdout + installed.stderr  # Depends are all satisfied here

    launcher = scratch_root / "usr" / "bin" / "localchat"
    assert launcher.is_symlink() and str(launcher.readlink()) == "/opt/localchat/localchat"
    program = scratch_root / "opt" / "localchat" / "localchat"
    for platform in ("offscreen", "xcb"):
        out = run_program(program, "--self-test", data_dir=tmp_path / f"data-{platform}", platform=platform)
        assert out.returncode == 0, out.stdout + out.stderr
        assert f"platform {platform}" in out.stdout
    shown, stderr = opens_window(program, tmp_path / "data-started", x_display)
    assert shown, f"the installed program showed no window; stderr:\n{stderr}"

    share = scratch_root / "usr" / "share"
    entry = share / "applications" / "localchat.desktop"
    validate = subprocess.run([need("desktop-file-validate"), str(entry)], capture_output=True, text=True)
    assert validate.returncode == 0 and not validate.stdout.strip(), validate.stdout
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.read(entry)
    assert desktop["Desktop Entry"]["Exec"].split()[0] == "localchat"  # on PATH through /usr/bin
    icon = desktop["Desktop Entry"]["Icon"]
    assert (share / "icons" / "hicolor" / "48x48" / "apps" / f"{icon}.png").exists()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{icon}.svg").exists()

    removed = dpkg(scratch_root, "--purge", "localchat")
    assert removed.returncode == 0, removed.stderr
    left = [p for p in scratch_root.rglob("*") if not p.is_dir() and "var/lib/dpkg" not in p.as_posix()]
    assert not left, f"left behind after removal: {left[:10]}"
    assert not (scratch_root / "opt" / "localchat").exists()


def test_deb_metadata_and_dependencies(deb, tmp_path):
    assert field(deb, "Package") == "localchat"
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
    assert field(deb, "Architecture") == arch
    depends = {re.split(r"[\s(]", d.strip())[0] for d in field(deb, "Depends").split(",")}
    # what Qt's xcb platform needs to open a window (Qt's "X11 requirements")
    assert {"libxcb-cursor0", "libxkbcommon-x11-0", "libxcb-icccm4", "libegl1", "libfontconfig1"} <= depends

    # every library the installed program loads but does not carry comes from a package it depends on
    unpacked = tmp_path / "unpacked"
    subprocess.run([need("dpkg-deb"), "-x", str(deb), str(unpacked)], check=True)
    carried = {p.name for p in unpacked.rglob("*")}
    readelf = need("readelf")
    system = set()
    for path in (unpacked / "opt" / "localchat").rglob("*"):
        if path.is_file() and not path.is_symlink() and path.read_bytes()[:4] == b"\x7fELF":
            dynamic = subprocess.run([readelf, "-d", str(path)], capture_output=True, text=True).stdout
            system |= set(re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", dynamic)) - carried
    assert "libEGL.so.1" in system  # PyInstaller never bundles the GL dispatch libraries
    unowned = []
    for soname in sorted(system):
        owner = subprocess.run(["dpkg", "-S", f"*/{soname}"], capture_output=True, text=True).stdout
        packages = {line.split(":")[0] for line in owner.splitlines() if line}
        if not packages:  # no installed package has it: dpkg cannot say which one would
            unowned.append(soname)
            continue
        assert packages & depends, f"{soname} (from {packages}) is not covered by Depends"
    if unowned:
        message = (f"no installed package provides {', '.join(unowned)}, so dpkg cannot tell whether "
                   "Depends covers them; install the .deb's dependencies (see .ci/run) to check")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
