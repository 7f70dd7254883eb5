"""Help → About: version, build variant and llama.cpp system info, as a person reads and copies them."""

from PySide6.QtGui import QGuiApplication

from localchat import __version__
from localchat.core.build_info import BuildInfo, build_info
from localchat.gui.about import AboutDialog, app_icon


def test_about_shows_this_installs_version_build_and_system_info(qtbot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    info = build_info()
    assert f"localchat {__version__}" in dialog.title.text()
    assert dialog.variant_label.text().startswith(f"{info.variant} build")
    # every feature llama.cpp reported is listed, one a line
    shown = dialog.system_info.toPlainText().splitlines()
    assert any(line.startswith("CPU :") for line in shown)
    for feature in info.system_info.split("|"):
        if feature.strip():
            assert feature.strip() in shown


def test_a_gpu_build_says_which_backend(qtbot):
    cuda = BuildInfo("0.3.36", "CUDA", True, "CUDA : ARCHS = 890 | CPU : AVX2 = 1 |")
    dialog = AboutDialog(info=cuda)
    qtbot.addWidget(dialog)
    assert "CUDA build" in dialog.variant_label.text()
    assert "NVIDIA" in dialog.variant_label.text()
    assert dialog.system_info.toPlainText().splitlines() == ["CUDA : ARCHS = 890", "CPU : AVX2 = 1"]


def test_copy_details_puts_a_bug_report_ready_text_on_the_clipboard(qtbot):
    metal = BuildInfo("0.3.36", "Metal", True, "Metal : EMBED_LIBRARY = 1 | CPU : NEON = 1 |")
    dialog = AboutDialog(info=metal)
    qtbot.addWidget(dialog)
    QGuiApplication.clipboard().clear()
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(f"localchat {__version__}\n")
    assert "build: Metal" in copied and "GPU offload yes" in copied
    assert "Metal : EMBED_LIBRARY = 1" in copied
    assert dialog.copy_button.text() == "Copied"


def test_the_icon_renders():
    assert not app_icon().pixmap(48, 48).isNull()
