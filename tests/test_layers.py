"""The layer rule: localchat.core never imports Qt, checked by import-linter's contract."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_does_not_import_qt():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    out = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "localchat.core never imports Qt KEPT" in out.stdout


def test_core_imports_without_a_display():
    code = ("import sys, pkgutil, importlib, localchat.core as c\n"
            "for m in pkgutil.iter_modules(c.__path__): importlib.import_module('localchat.core.' + m.name)\n"
            "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
