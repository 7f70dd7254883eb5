"""Linux packages around the PyInstaller bundle: a .deb and an AppImage.

Both install the one-folder bundle unchanged (the .deb under /opt/localchat, the AppImage under
usr/lib/localchat) with a desktop entry and the icon theme's icons, so the program that was
self-tested as a bundle is the program that gets installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from installers.contents import HERE
from installers.icons import PNG_SIZES

DESKTOP_ENTRY = HERE / "localchat.desktop"
MAINTAINER = "localchat maintainers <maintainers@localchat.invalid>"
DESCRIPTION = """\
chat with language models that run on your own computer
 localchat is a desktop app for chatting with large language models that run entirely
 on this machine through llama.cpp. It picks and downloads quantized GGUF models that
 fit the computer's memory, streams replies token by token and keeps the history
 locally. Nothing leaves the machine."""

# The libraries Qt's xcb platform plugin and Qt Gui load (Qt's "X11 requirements"), plus the
# OpenGL/EGL dispatch libraries PyInstaller never bundles. PyInstaller carries copies of most of
# the xcb ones when the build machine has them; depending on them anyway keeps the package
# working when it did not, and names what a person needs to fix a broken display.
QT_X11_DEPENDS = [
    "libgl1", "libegl1", "libfontconfig1", "libfreetype6", "libdbus-1-3", "libglib2.0-0",
    "libx11-6", "libx11-xcb1", "libxcb1", "libxkbcommon0", "libxkbcommon-x11-0",
    "libxcb-cursor0", "libxcb-glx0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1",
    "libxcb-randr0", "libxcb-render0", "libxcb-render-util0", "libxcb-shape0", "libxcb-shm0",
    "libxcb-sync1", "libxcb-xfixes0", "libxcb-xinerama0", "libxcb-xkb1",
]
# What a GPU build of llama.cpp links that the bundle must not carry (it belongs to the driver).
VARIANT_DEPENDS = {"vulkan": ["libvulkan1"]}


def _link_or_copy(src: Path, dst: Path) -> None:
    """Copy a tree, hard-linking files when it can: a 200 MB bundle in a second."""
    def link(s, d):
        try:
            os.link(s, d)
        except OSError:
            shutil.copy2(s, d)
    shutil.copytree(src, dst, symlinks=True, copy_function=link)


def _install_icons(icons: Path, share: Path) -> None:
    for size in PNG_SIZES:
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(icons / f"localchat-{size}.png", target / "localchat.png")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy2(icons / "localchat.svg", scalable / "localchat.svg")


def glibc_floor(bundle: Path) -> str | None:
    """The newest GLIBC symbol version any binary in the bundle asks for ("2.35")."""
    newest = (0, 0)
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink() and (path.suffix == ".so" or ".so." in path.name
                                                         or path.name == "localchat"):
            for major, minor in re.findall(rb"GLIBC_(\d+)\.(\d+)", path.read_bytes()):
                newest = max(newest, (int(major), int(minor)))
    return f"{newest[0]}.{newest[1]}" if newest > (0, 0) else None


def deb_depends(bundle: Path, variant: str) -> list[str]:
    floor = glibc_floor(bundle)
    libc = f"libc6 (>= {floor})" if floor else "libc6"
    return [libc, "libstdc++6", "libgcc-s1", *QT_X11_DEPENDS, *VARIANT_DEPENDS.get(variant, [])]


def deb_architecture() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()


def build_deb(bundle: Path, icons: Path, work: Path, out: Path, version: str, variant: str,
              compress_level: int = 6) -> Path:
    """A .deb installing the bundle to /opt/localchat, /usr/bin/localchat, a desktop entry and icons.

    xz at its default level takes minutes for the 200 MB bundle; level 0 takes seconds."""
    if shutil.which("dpkg-deb") is None:
        raise SystemExit("dpkg-deb not found: install the Debian package dpkg (it is on every Debian/Ubuntu).")
    root = work / "root"
    shutil.rmtree(root, ignore_errors=True)
    _link_or_copy(bundle, root / "opt" / "localchat")
    (root / "usr" / "bin").mkdir(parents=True)
    os.symlink("/opt/localchat/localchat", root / "usr" / "bin" / "localchat")
    share = root / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(DESKTOP_ENTRY, share / "applications" / "localchat.desktop")
    _install_icons(icons, share)
    doc = share / "doc" / "localchat"
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "localchat is free software under the MIT license.\n"
        "It bundles Python, Qt (PySide6, LGPL-3.0), llama.cpp (MIT) and other libraries; their\n"
        "license texts are in /opt/localchat/_internal/licenses (see THIRD-PARTY.txt there).\n",
        encoding="utf-8")

    deb_version = version if variant == "cpu" else f"{version}+{variant}"
    installed_kib = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
    control = root / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        f"Package: localchat\n"
        f"Version: {deb_version}\n"
        f"Architecture: {deb_architecture()}\n"
        f"Maintainer: {MAINTAINER}\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(deb_depends(bundle, variant))}\n"
        f"Section: utils\n"
        f"Priority: optional\n"
        f"Description: {DESCRIPTION}\n",
        encoding="utf-8")
    for path in [root, *root.rglob("*")]:  # dpkg wants 0755 folders whatever the umask was
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", f"-z{compress_level}", "--build", str(root), str(out)],
                   check=True)
    return out


def make_appdir(bundle: Path, icons: Path, appdir: Path) -> Path:
    """The AppDir an AppImage is made of: AppRun starts the bundle in usr/lib/localchat."""
    shutil.rmtree(appdir, ignore_errors=True)
    _link_or_copy(bundle, appdir / "usr" / "lib" / "localchat")
    apprun = appdir / "AppRun"
    apprun.write_text('#!/bin/sh\n'
                      '# the AppImage runtime sets APPDIR; fall back to this script\'s folder when run unpacked\n'
                      'here="${APPDIR:-$(dirname "$(readlink -f "$0")")}"\n'
                      'exec "$here/usr/lib/localchat/localchat" "$@"\n', encoding="utf-8")
    apprun.chmod(0o755)
    shutil.copy2(DESKTOP_ENTRY, appdir / "localchat.desktop")
    shutil.copy2(icons / "localchat-256.png", appdir / "localchat.png")
    os.symlink("localchat.png", appdir / ".DirIcon")
    _install_icons(icons, appdir / "usr" / "share")
    return appdir


def build_appimage(bundle: Path, icons: Path, appdir: Path, out: Path) -> Path:
    """An AppImage, with appimagetool (https://github.com/AppImage/appimagetool/releases).

    appimagetool is not a Debian package and downloads its runtime from GitHub, so this runs
    on CI runners (the release workflow fetches it); elsewhere it stops after the AppDir."""
    make_appdir(bundle, icons, appdir)
    tool = os.environ.get("APPIMAGETOOL") or shutil.which("appimagetool")
    if tool is None:
        raise SystemExit(f"AppDir ready in {appdir}, but appimagetool is not on PATH (or $APPIMAGETOOL): "
                         "download it from https://github.com/AppImage/appimagetool/releases")
    env = {**os.environ, "ARCH": os.uname().machine, "APPIMAGE_EXTRACT_AND_RUN": "1"}
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([tool, "--no-appstream", str(appdir), str(out)], check=True, env=env)
    return out
