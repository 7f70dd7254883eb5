"""Build localchat's installers: one entry point for every platform.

    python installers/build.py bundle     # PyInstaller one-folder app in dist/localchat/ (+ .app on macOS)
    python installers/build.py deb        # Linux: dist/localchat-<version>-linux-<arch>-<variant>.deb
    python installers/build.py appimage   # Linux: needs appimagetool on PATH (CI downloads it)
    python installers/build.py nsis       # Windows: per-user setup .exe (needs makensis)
    python installers/build.py dmg        # macOS: .dmg; signs, notarizes and staples when secrets are set
    python installers/build.py icons     # only render the icons (build/icons)

Each installer builds the bundle first unless ``--bundle DIR`` names one already built. The
variant (cpu, cuda, metal, vulkan) is the llama.cpp build installed in this Python: build
llama-cpp-python with the backend you want first (see the README's GPU builds).
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `installers` and `localchat` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from installers.contents import REPO  # noqa: E402

SPEC = REPO / "installers" / "localchat.spec"


def version() -> str:
    from localchat import __version__

    return __version__


def variant() -> str:
    """cpu, cuda, metal, vulkan…: what the installed llama.cpp was built with."""
    from installers.contents import llama_variant

    return llama_variant()


def machine() -> str:
    arch = platform.machine().lower()
    return {"amd64": "x86_64", "aarch64": "arm64"}.get(arch, arch)


def artifact_name(system: str, suffix: str) -> str:
    """localchat-0.1.0-linux-x86_64-cpu.deb: version, system, processor, llama.cpp build."""
    return f"localchat-{version()}-{system}-{machine()}-{variant()}{suffix}"


def run(cmd: list[str | Path], **kwargs) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def bundle_executable(bundle: Path) -> Path:
    return bundle / ("localchat.exe" if sys.platform == "win32" else "localchat")


def build_icons(work: Path) -> Path:
    from installers.icons import render_icons

    return render_icons(work / "icons")


def build_bundle(dist: Path, work: Path) -> Path:
    """dist/localchat/: the one-folder app (dist/localchat.app too on macOS)."""
    icons = build_icons(work)
    run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", dist, "--workpath", work / "pyinstaller", SPEC,
         "--", "--icons", icons, "--variant", variant()])
    bundle = dist / "localchat"
    if not bundle_executable(bundle).exists():
        raise SystemExit(f"PyInstaller did not produce {bundle_executable(bundle)}")
    return bundle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="installers/build.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=["bundle", "deb", "appimage", "nsis", "dmg", "icons"])
    parser.add_argument("--dist", type=Path, default=REPO / "dist", help="where artifacts go (dist/)")
    parser.add_argument("--work", type=Path, default=REPO / "build", help="scratch folder (build/)")
    parser.add_argument("--bundle", type=Path, help="an already built bundle folder (skips PyInstaller)")
    parser.add_argument("--fast", action="store_true",
                        help="compress packages quickly (larger files; for tests, not for releases)")
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()

    if args.target == "icons":
        print(build_icons(work))
        return 0
    bundle = args.bundle.resolve() if args.bundle else build_bundle(dist, work)
    if args.target == "bundle":
        print(bundle)
        return 0

    icons = build_icons(work)
    if args.target == "deb":
        from installers.linux import build_deb

        out = build_deb(bundle, icons, work / "deb", dist / artifact_name("linux", ".deb"), version(), variant(),
                        compress_level=0 if args.fast else 6)
    elif args.target == "appimage":
        from installers.linux import build_appimage

        out = build_appimage(bundle, icons, work / "AppDir", dist / artifact_name("linux", ".AppImage"))
    elif args.target == "nsis":
        from installers.windows import build_nsis

        out = build_nsis(bundle, icons, dist / artifact_name("windows", "-setup.exe"), version())
    else:
        from installers.macos import build_dmg

        out = build_dmg(dist / "localchat.app", work / "dmg", dist / artifact_name("macos", ".dmg"))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
