"""The release workflow: it lints clean, and builds, self-tests and uploads every promised build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import REPO, need

WORKFLOW = REPO / ".github" / "workflows" / "release.yml"


def test_release_workflow_passes_actionlint():
    # shellcheck (from the test extra) next to actionlint checks the run: scripts too
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    need("shellcheck")
    out = subprocess.run([need("actionlint"), str(WORKFLOW)], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stdout + out.stderr


def test_release_builds_a_cpu_and_gpu_variant_for_every_system():
    job = yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]
    builds = {(entry["os"], entry["variant"]) for entry in job["strategy"]["matrix"]["include"]}
    assert {("ubuntu-22.04", v) for v in ("cpu", "cuda", "vulkan")} <= builds
    assert {("windows-2022", v) for v in ("cpu", "cuda", "vulkan")} <= builds
    assert {("macos-14", "cpu"), ("macos-14", "metal")} <= builds  # Apple silicon
    assert any(os_.startswith("macos") and "intel" in os_ and v == "cpu" for os_, v in builds)

    steps = " ".join(str(step.get("run", "")) + str(step.get("uses", "")) for step in job["steps"])
    for target in ("bundle", "deb", "appimage", "nsis", "dmg"):
        assert f"installers/build.py {target}" in steps
    # each packaged program is run, not only built: bundle, .deb, AppImage, installed .exe, .dmg
    assert steps.count("--self-test") >= 7
    assert "actions/upload-artifact" in steps
