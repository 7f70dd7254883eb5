# PyInstaller's own QtGui hook, minus the Qt plugins localchat never loads
# (installers/contents.py says which). Dropping them here, before PyInstaller follows their
# libraries, keeps those libraries out too (GTK, Wayland, EGLFS pull in dozens).
import os

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

from installers.contents import keep_in_bundle

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(src, dest) for src, dest in binaries if keep_in_bundle(f"{dest}/{os.path.basename(src)}")]
datas = [(src, dest) for src, dest in datas if keep_in_bundle(f"{dest}/{os.path.basename(src)}")]
