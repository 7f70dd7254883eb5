"""A second start on the same data folder brings the first window forward."""

import subprocess
import sys

from localchat.core.paths import DataPaths
from localchat.gui.single_instance import SingleInstance


def test_second_start_asks_the_first_to_come_forward(qtbot, tmp_path):
    paths = DataPaths(tmp_path)
    first = SingleInstance(paths)
    assert first.listen()
    try:
        with qtbot.waitSignal(first.activation_requested, timeout=5_000):
            # a real second process, as when the person starts localchat again
            code = ("import os; os.environ['QT_QPA_PLATFORM']='offscreen';"
                    "from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]);"
                    "from localchat.core.paths import DataPaths;"
                    "from localchat.gui.single_instance import SingleInstance;"
                    f"raise SystemExit(0 if SingleInstance(DataPaths({str(tmp_path)!r})).notify_running() else 3)")
            proc = subprocess.Popen([sys.executable, "-c", code])
            qtbot.waitUntil(lambda: proc.poll() is not None, timeout=10_000)
        assert proc.returncode == 0
    finally:
        first.close()


def test_other_data_folders_are_other_instances(qtbot, tmp_path):
    first = SingleInstance(DataPaths(tmp_path / "a"))
    assert first.listen()
    try:
        assert not SingleInstance(DataPaths(tmp_path / "b")).notify_running()
    finally:
        first.close()
