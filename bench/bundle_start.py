"""Cold start of the frozen app (the PyInstaller bundle) against the same code run from the venv.

    python installers/build.py bundle && python -m bench.bundle_start [--bundle dist/localchat] [--rounds 5]

Three figures, each frozen and from-the-venv alternated in the same run (bench.common.alternate):

- start → a localchat window is mapped on an X server (Xvfb, the xcb platform): watched from
  outside with xwininfo, every 10 ms, so it is the window a person would see;
- ``--self-test`` from start to exit, offscreen: the window shown, a tiny model written, loaded
  and 16 tokens streamed into it (an upper bound of start → shown window, which the offscreen
  platform does not let another process observe);
- the same ``--self-test`` on the xcb platform under Xvfb.

Every start gets an empty data folder. The first round warms the file cache; a really cold start
(after a reboot) reads the bundle from disk once more.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Report, Row, alternate, load_summary, machine_summary, markdown_table, median

REPO = Path(__file__).resolve().parents[1]
WINDOW_LINE = re.compile(r'^\s*(0x[0-9a-f]+) "[^"]*": \("[^"]*" "localchat"\)\s+(\d+)x(\d+)', re.M)


def _mapped_window(display: str) -> bool:
    tree = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True,
                          env={**os.environ, "DISPLAY": display}).stdout
    for window, width, height in WINDOW_LINE.findall(tree):
        if int(width) > 1 and int(height) > 1:
            info = subprocess.run(["xwininfo", "-id", window], capture_output=True, text=True,
                                  env={**os.environ, "DISPLAY": display}).stdout
            if "IsViewable" in info:
                return True
    return False


def time_to_window(cmd: list[str], display: str, timeout: float = 60.0) -> float:
    with tempfile.TemporaryDirectory(prefix="localchat-bench-") as data:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "LOCALCHAT_DATA_DIR": data}
        started = time.perf_counter()
        process = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while time.perf_counter() - started < timeout:
                if _mapped_window(display):
                    return time.perf_counter() - started
                if process.poll() is not None:
                    raise RuntimeError(f"{cmd[0]} exited ({process.returncode}) before showing a window")
                time.sleep(0.01)
            raise RuntimeError(f"no window from {cmd[0]} within {timeout:.0f} s")
        finally:
            process.terminate()
            process.wait(timeout=30)


def time_self_test(cmd: list[str], platform: str, display: str | None) -> float:
    with tempfile.TemporaryDirectory(prefix="localchat-bench-") as data:
        env = {**os.environ, "QT_QPA_PLATFORM": platform, "LOCALCHAT_DATA_DIR": data}
        if display:
            env["DISPLAY"] = display
        started = time.perf_counter()
        done = subprocess.run([*cmd, "--self-test"], env=env, capture_output=True, text=True, timeout=120)
        elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"self-test failed:\n{done.stdout}{done.stderr}")
    return elapsed


def start_xvfb() -> tuple[subprocess.Popen, str]:
    for number in range(90, 110):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            display = f":{number}"
            server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(500):
                if Path(f"/tmp/.X11-unix/X{number}").exists():
                    return server, display
                time.sleep(0.01)
            server.terminate()
    raise RuntimeError("could not start Xvfb")


def bundle_size(bundle: Path) -> int:
    return sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, default=REPO / "dist" / "localchat")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    args = parser.parse_args(argv)
    frozen = [str(args.bundle / "localchat")]
    venv = [sys.executable, "-m", "localchat"]
    if not Path(frozen[0]).exists():
        print(f"no bundle at {args.bundle}: python installers/build.py bundle", file=sys.stderr)
        return 1
    for tool in ("Xvfb", "xwininfo"):
        if shutil.which(tool) is None:
            print(f"{tool} is needed (Debian: xvfb, x11-utils)", file=sys.stderr)
            return 1

    print(machine_summary())
    print(load_summary())
    report = Report()
    size = bundle_size(args.bundle)
    report.add(Row("bundle", "size on disk", size / 1e6, "MB", note=str(args.bundle)))
    server, display = start_xvfb()
    try:
        figures = (
            ("start → window mapped (xcb, Xvfb)", lambda cmd: time_to_window(cmd, display)),
            ("--self-test, start to exit (offscreen)", lambda cmd: time_self_test(cmd, "offscreen", None)),
            ("--self-test, start to exit (xcb, Xvfb)", lambda cmd: time_self_test(cmd, "xcb", display)),
        )
        for name, measure in figures:
            runs = alternate({"frozen": lambda: measure(frozen), "venv": lambda: measure(venv)}, args.rounds)
            f, v = median(runs["frozen"]), median(runs["venv"])
            report.add(Row("cold start", f"{name}, bundle", f, "s", f / v, "÷ from the venv", "≤ 1.5",
                           f"first {runs['frozen'][0]:.2f} s; all {', '.join(f'{x:.2f}' for x in runs['frozen'])}"),
                       Row("cold start", f"{name}, venv", v, "s",
                           note=f"all {', '.join(f'{x:.2f}' for x in runs['venv'])}"))
    finally:
        server.terminate()
        server.wait(timeout=30)
    table = markdown_table(report.rows)
    print()
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
