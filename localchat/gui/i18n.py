"""The window's language: Italian, French or English, from Settings → Language, else the system's.

Strings go through Qt's translation system (``self.tr`` in a QObject, ``QCoreApplication.translate``
elsewhere). The sources are ``translations/localchat_<lang>.ts`` (edit them with
``pyside6-linguist``); the window loads the compiled ``.qm`` next to them, and Qt's own
``qtbase_<lang>.qm`` for its standard buttons. After changing strings in the code::

    python -m localchat.gui.i18n     # refreshes the .ts files from the code, compiles the .qm files
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)

LANGUAGES = {"en": "English", "it": "Italiano", "fr": "Français"}
TRANSLATIONS = ("it", "fr")  # English is the code's own
TRANSLATIONS_DIR = Path(__file__).with_name("translations")
SETTING = "language"  # in Settings.extra: None or "system" follows the system
# the modules whose strings are translated (tests/gui/test_translations.py checks each)
SOURCES = ("main_window.py", "menus.py", "chat/view.py", "chat/bubble.py", "chat/composer.py", "chat/controller.py",
           "model_picker.py", "sidebar.py", "banner.py", "settings_dialog.py", "about.py", "memory_prompts.py",
           "model_manager.py", "model_cards.py", "catalog_status.py", "recommendation.py", "hub_search.py", "download_worker.py",
           "conversation_settings.py", "api_server.py", "documents.py", "backends.py", "model_controller.py",
           "sidebar_rows.py", "remote_models.py", "window_documents.py", "chat/sources.py",
           "chat/documents_chip.py", "chat/retrieval.py", "chat/token_view.py", "chat/prompt_dialog.py",
           "chat/compare.py", "chat/under_the_hood.py")

_installed: list = []  # the translators in use, kept alive and removable
_language: list[str] = []  # the language installed last


def installed_language() -> str | None:
    return _language[-1] if _language else None


def system_languages() -> list[str]:
    """The languages the system asks for, best first: on Linux as gettext reads them ($LANGUAGE's
    list, then the locale of $LC_ALL, $LC_MESSAGES or $LANG); elsewhere the system's own list."""
    wanted = [part for part in os.environ.get("LANGUAGE", "").split(":") if part]
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(name):
            return [*wanted, os.environ[name]]
    if wanted:
        return wanted
    from PySide6.QtCore import QLocale

    return list(QLocale.system().uiLanguages())


def choose_language(setting: str | None) -> str:
    """The language to show: the setting's, else the first the system asks for that localchat
    speaks, else English."""
    if setting in LANGUAGES:
        return setting
    for tag in system_languages():
        code = tag.replace("-", "_").split("_")[0].split(".")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"


def install(app, language: str) -> str:
    """Show ``language`` from now on (widgets made afterwards); the language shown."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _language[:] = ["en"]
    if language not in TRANSLATIONS:
        return "en"
    ours = QTranslator(app)
    if not ours.load(str(TRANSLATIONS_DIR / f"localchat_{language}.qm")):
        log.warning("the %s translation is missing from this installation", language)
        return "en"
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    app.installTranslator(ours)
    _installed.append(ours)
    _language[:] = [language]
    return language


def language_setting(settings) -> str | None:
    return settings.extra.get(SETTING)


def update() -> None:
    """Refresh the .ts files from the code (translations kept) and compile them (a developer's step)."""
    gui = Path(__file__).parent
    tools = Path(sys.executable).parent
    sources = [str(gui / name) for name in SOURCES]
    for language in TRANSLATIONS:
        ts = TRANSLATIONS_DIR / f"localchat_{language}.ts"
        subprocess.run([str(tools / "pyside6-lupdate"), *sources, "-no-obsolete", "-ts", str(ts)], check=True)
        subprocess.run([str(tools / "pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


if __name__ == "__main__":
    update()
