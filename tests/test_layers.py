"""The layers of the map (shared ARCHITECTURE.md), checked by import-linter's contracts in
pyproject.toml: core never imports Qt nor a web framework; the window and the CLI are independent
clients of core, both of which may start the API server (itself a client of core); inside core the
conversation rules are at the bottom and the history does not depend on inference."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_import_contract_is_kept():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    out = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("[tool.importlinter]", 1)[1]
    names = set(re.findall(r'^name = "(.+)"$', config, re.M))
    assert {"localchat.core never imports Qt",
            "The window and the CLI are independent clients of core; both may start the API server, "
            "itself a client of core",
            "localchat.core never imports a web framework",
            "The conversation rules are at the bottom of core",
            "The history does not depend on inference"} <= names
    report = " ".join(out.stdout.split())  # long names are wrapped to the terminal's width
    for name in names:
        assert f"{name} KEPT" in report, f"{name!r} was not checked"


def test_core_imports_without_a_display():
    code = ("import sys, pkgutil, importlib, localchat.core as c\n"
            "for m in pkgutil.walk_packages(c.__path__, 'localchat.core.'): importlib.import_module(m.name)\n"
            "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'\n"
            "assert 'localchat.core.chat.session' in sys.modules\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr


PRIVATE_LLAMA = re.compile(r"\._model\b|\._ctx\b|\.input_ids\b|\.n_tokens\s*=|llama_cpp\._internals")


def test_only_inference_llama_touches_llama_cpp_private_parts():
    """llama-cpp-python's private parts change between versions: one module holds every touch of
    them, with a test each (tests/core/inference/test_llama.py) and a version bound."""
    touched = []
    for folder in ("localchat", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == ROOT / "localchat" / "core" / "inference" / "llama.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if PRIVATE_LLAMA.search(line):
                    touched.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not touched, "\n".join(touched)
