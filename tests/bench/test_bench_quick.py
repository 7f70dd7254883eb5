"""The benchmark entry runs end to end in --quick mode, so it cannot rot. No timing is asserted:
the figures depend on the machine and its load; only that each section measured something."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_run_prints_the_whole_table(tmp_path):
    table_file = tmp_path / "table.md"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LOCALCHAT_BENCH_CACHE=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--markdown", str(table_file)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]

    table = table_file.read_text().split("\n\nMachine:")[0]
    rows = [line.split("|")[1:-1] for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]
    sections = {cells[0].strip() for cells in rows}
    assert sections == {"bandwidth", "decode", "prompt", "threads", "options", "stream", "ttft", "startup", "memory"}
    for cells in rows:
        value = cells[2].strip().split()[0].replace(",", "")
        assert float(value) > 0, cells  # every figure was measured
    ratios = [float(m.replace(",", "")) for m in re.findall(r"\*\*([-0-9.e+,]+)\*\*", table)]
    assert ratios and all(r > 0 for r in ratios)
    assert table in done.stdout.replace("\r", "")  # the same table went to the terminal
    assert not (tmp_path / "cache").exists()  # --quick makes no large models


def test_an_unknown_section_is_refused():
    done = subprocess.run([sys.executable, "-m", "bench", "--only", "decode,nonsense"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "nonsense" in done.stderr
