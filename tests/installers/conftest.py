"""Fixtures for the installer tests: the Linux bundle and .deb, each built once per session.

Building takes minutes (PyInstaller ~1–2 min, the .deb ~1 min on two cores), so every test that
needs them shares one build; they are marked ``slow``. A tool that is missing here (PyInstaller,
dpkg-deb, makensis, Xvfb, ...) skips its tests on a workstation and fails them on CI, which
installs all of them (.ci/run).
"""

from __future__ import annotations

import os
import re
import selectors
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD = [sys.executable, str(REPO / "installers" / "build.py")]


def need(tool: str) -> str:
    """The tool's path; skips the test without it, except on CI, where that is a failure."""
    path = shutil.which(tool) or shutil.which(tool, path=str(Path(sys.executable).parent))
    if path:
        return path
    message = f"{tool} is not installed (.ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def need_linux() -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the Linux bundle and .deb are built and tested on Linux (other systems: the release workflow)")


def build(*args: str | Path) -> str:
    """Run installers/build.py as a person does; its output on failure."""
    done = subprocess.run([*BUILD, *map(str, args)], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, f"build.py {' '.join(map(str, args))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    return done.stdout.strip().splitlines()[-1]


def app_env(data_dir: Path, platform: str = "offscreen") -> dict[str, str]:
    """What a desktop session gives a program: no virtual environment, no Python paths."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(data_dir.parent), "LANG": "C.UTF-8",
            "LOCALCHAT_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": platform}


def run_program(program: Path, *args: str, data_dir: Path, platform: str = "offscreen",
                timeout: int = 180) -> subprocess.CompletedProcess:
    """Run an installed/bundled localchat; under Xvfb (a fresh X server) for the xcb platform."""
    cmd = [str(program), *args]
    if platform == "xcb":
        cmd = [need("xvfb-run"), "-a", "-s", "-screen 0 1280x800x24", *cmd]
        need("xauth")
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          env=app_env(data_dir, platform), cwd=data_dir.parent)


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Path:
    """The one-folder app, built by `installers/build.py bundle` into a scratch folder."""
    need_linux()
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("PyInstaller is not installed: it is in the test extra")
        pytest.skip("PyInstaller is not installed (pip install -e '.[test]')")
    root = tmp_path_factory.mktemp("bundle")
    return Path(build("bundle", "--dist", root / "dist", "--work", root / "work"))


@pytest.fixture(scope="session")
def deb(bundle, tmp_path_factory) -> Path:
    """The .deb around that bundle (quick compression: same contents, larger file)."""
    need("dpkg-deb")
    root = tmp_path_factory.mktemp("deb")
    return Path(build("deb", "--bundle", bundle, "--fast", "--dist", root / "dist", "--work", root / "work"))


@pytest.fixture(scope="session")
def x_display():
    """A private X server (Xvfb) for the session; -displayfd reports its number once it is ready."""
    read, write = os.pipe()
    server = subprocess.Popen([need("Xvfb"), "-displayfd", str(write), "-screen", "0", "1280x800x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as ready:
        number = ready.readline().strip()
    assert number, "Xvfb did not start"
    yield f":{number}"
    server.terminate()
    server.wait(timeout=30)


class RootWindowEvents:
    """xev on the root window of an X server: what gets mapped there, as it happens."""

    def __init__(self, display: str):
        self.env = {"DISPLAY": display, "PATH": "/usr/bin:/bin"}
        self.xev = subprocess.Popen([need("xev"), "-root", "-event", "substructure", "-event", "property"],
                                    stdout=subprocess.PIPE, env=self.env)
        self.text, self.seen = "", 0
        self.program_stderr = ""

    def wait_for(self, pattern: str, deadline: float, program: subprocess.Popen | None = None) -> re.Match | None:
        """The next event matching ``pattern``; None at the deadline or when ``program`` exits
        (its stderr pipe closes). Waits in select(), never in a sleep."""
        regex = re.compile(pattern)
        with selectors.DefaultSelector() as selector:
            selector.register(self.xev.stdout, selectors.EVENT_READ, "xev")
            if program is not None:
                selector.register(program.stderr, selectors.EVENT_READ, "program")
            while True:
                if found := regex.search(self.text, self.seen):
                    self.seen = found.end()
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                for key, _ in selector.select(remaining):
                    chunk = os.read(key.fileobj.fileno(), 65536).decode(errors="replace")
                    if key.data == "xev":
                        self.text += chunk
                    elif chunk:
                        self.program_stderr += chunk
                    else:
                        return None

    def wait_until_listening(self, deadline: float) -> None:
        """Change a root property until xev reports it: from then on no event is missed."""
        while time.monotonic() < deadline:
            subprocess.run([need("xprop"), "-root", "-f", "LOCALCHAT_TEST", "8s", "-set", "LOCALCHAT_TEST", "ready"],
                           env=self.env, check=True)
            if self.wait_for(r"\(LOCALCHAT_TEST\)", min(deadline, time.monotonic() + 0.2)):
                return
        raise AssertionError("xev did not start listening")

    def close(self) -> None:
        self.xev.terminate()
        self.xev.wait(timeout=30)


def opens_window(program: Path, data_dir: Path, display: str, timeout: float = 60) -> tuple[bool, str]:
    """Start the program as a person does (no arguments) on ``display``: whether one of its
    windows (WM_CLASS localchat) is mapped within ``timeout``, and what it wrote to stderr."""
    events = RootWindowEvents(display)
    app = None
    shown = False
    try:
        deadline = time.monotonic() + timeout
        events.wait_until_listening(deadline)
        app = subprocess.Popen([str(program)], env={**app_env(data_dir, "xcb"), "DISPLAY": display},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        while not shown and (found := events.wait_for(
                r"MapNotify event[^\n]*\n\s+event 0x[0-9a-f]+, window (0x[0-9a-f]+)", deadline, app)):
            wm_class = subprocess.run([need("xprop"), "-id", found.group(1), "WM_CLASS"], env=events.env,
                                      capture_output=True, text=True).stdout
            shown = '"localchat"' in wm_class
    finally:
        events.close()
        stderr = events.program_stderr
        if app is not None:
            app.terminate()
            stderr += app.communicate(timeout=30)[1].decode(errors="replace")
    return shown, stderr
