"""Every user-visible string of the window goes through Qt's translation system, and the Italian
and French translations are complete, compiled and shown when the system asks for them."""

import ast
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from localchat.gui import i18n

GUI = Path(i18n.__file__).parent
# the files whose strings are translated now (i18n.SOURCES); the others' owners add theirs there
TRANSLATED = sorted(GUI / name for name in i18n.SOURCES)
# Qt calls that show their string arguments to the person
SHOWN = {"setText", "setToolTip", "setPlaceholderText", "setWindowTitle", "addMenu", "addAction", "addItem",
         "setAccessibleName", "setAccessibleDescription", "setStatusTip", "setTitle", "setSpecialValueText",
         "addRow", "setHorizontalHeaderLabels", "show_error", "showMessage", "information", "warning",
         "question", "critical", "getOpenFileName", "getOpenFileNames", "getSaveFileName",
         "getExistingDirectory", "QLabel", "QPushButton", "QToolButton", "QAction", "QCheckBox",
         "QGroupBox", "QDockWidget", "QToolBar", "QListWidgetItem", "QMenu", "emit", "set_notice"}
NAMES = {"Qt", "Python", "llama.cpp"}  # the same in every language


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _wordy(node: ast.expr) -> bool:
    """A literal a person would read: letters and a space or a capital, not a key or a path."""
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    else:
        return False
    return text not in NAMES and any(c.isalpha() for c in text) and (" " in text.strip() or text[:1].isupper()) \
        and not text.startswith(("mdi6.", "#", "<")) and "://" not in text


def untranslated(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        logged = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and isinstance(node.func.value, ast.Name) and node.func.value.id in ("log", "logging")
        if isinstance(node, ast.Call) and _name(node.func) in SHOWN and not logged:
            for arg in [*node.args, *(k.value for k in node.keywords if k.arg in ("text", "title"))]:
                if _wordy(arg):
                    found.append(f"{path.name}:{node.lineno}: {ast.unparse(arg)[:60]}")
    return found


@pytest.mark.parametrize("path", TRANSLATED, ids=lambda p: p.name)
def test_every_shown_string_goes_through_the_translation_system(path):
    assert untranslated(path) == []


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    return {(c.findtext("name"), m.findtext("source")): m.find("translation")
            for c in root.iter("context") for m in c.iter("message")}


@pytest.mark.parametrize("language", i18n.TRANSLATIONS)
def test_the_translation_is_complete_and_up_to_date_with_the_code(language, tmp_path):
    shipped = GUI / "translations" / f"localchat_{language}.ts"
    fresh = tmp_path / "fresh.ts"
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    subprocess.run([str(lupdate), *map(str, TRANSLATED), "-ts", str(fresh)], check=True, capture_output=True)
    wanted = set(messages(fresh))
    have = messages(shipped)
    assert wanted - set(have) == set(), "strings in the code that the .ts file lacks: run i18n.update()"
    missing = [key for key in wanted if have[key] is None or have[key].get("type") in ("unfinished", "obsolete")
               or not (have[key].text or "").strip()]
    assert missing == []
    qm = shipped.with_suffix(".qm")
    assert qm.is_file() and qm.stat().st_mtime >= shipped.stat().st_mtime - 1, "the .qm is older than the .ts"


@pytest.mark.parametrize(("language", "file_menu", "new_chat"), [("it", "&File", "Nuova chat"),
                                                                 ("fr", "&Fichier", "Nouvelle discussion")])
def test_the_window_speaks_the_language_the_system_asks_for(qtbot, data_paths, monkeypatch, language,
                                                            file_menu, new_chat):
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from localchat.gui.main_window import MainWindow
    from localchat.gui.settings_dialog import SettingsDialog

    monkeypatch.setenv("LANGUAGE", language)
    app = QApplication.instance()
    assert i18n.install(app, i18n.choose_language(None)) == language
    try:
        w = MainWindow(data_paths, install_demo=False, welcome=False)
        qtbot.addWidget(w)
        titles = [a.text() for a in w.menuBar().actions()]
        assert titles[0] == file_menu and "&Help" not in titles
        assert w.new_chat_action.text() == new_chat
        assert w.composer.input.placeholderText() not in ("", "Send a message")
        dialog = SettingsDialog(w.settings, "models", 4, False, w)
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() != "Settings"
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text()
        assert ok not in ("Cancel", "&Cancel")  # Qt's own buttons too
        w.close()
    finally:
        i18n.install(app, "en")


def test_the_language_comes_from_the_settings_else_the_system_else_english(monkeypatch):
    monkeypatch.setenv("LANGUAGE", "fr_FR:en")
    assert i18n.choose_language(None) == "fr"
    assert i18n.choose_language("it") == "it"
    monkeypatch.setenv("LANGUAGE", "de")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert i18n.choose_language(None) in ("en",)


def test_the_language_picked_in_settings_is_kept_for_the_next_start(qtbot, data_paths):
    from localchat.core.settings import Settings, load_settings, save_settings
    from localchat.gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings(), "models", 4, False)
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    save_settings(data_paths.settings, dialog.result_settings())
    kept = load_settings(data_paths.settings)
    assert i18n.language_setting(kept) == "fr" and i18n.choose_language(i18n.language_setting(kept)) == "fr"
    dialog = SettingsDialog(kept, "models", 4, False)
    qtbot.addWidget(dialog)
    assert dialog.language.currentData() == "fr"
    dialog.language.setCurrentIndex(0)  # as the system again
    assert i18n.language_setting(dialog.result_settings()) is None


@pytest.mark.parametrize("path", sorted(GUI.rglob("*.py")), ids=lambda p: str(p.relative_to(GUI)))
def test_no_module_of_the_window_shows_a_string_that_cannot_be_translated(path):
    """Every module, not only those listed: a new window whose strings are plain fails here; one
    that translates them must be in i18n.SOURCES, or its strings never reach the .ts files."""
    assert untranslated(path) == []
    text = path.read_text(encoding="utf-8")
    if path.name == "self_test.py":  # it asks for a translation to check one, it shows none
        return
    if "self.tr(" in text or "QCoreApplication.translate(" in text or "QT_TRANSLATE_NOOP(" in text:
        assert str(path.relative_to(GUI)) in i18n.SOURCES, f"add {path.name} to i18n.SOURCES"
