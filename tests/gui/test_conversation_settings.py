"""The conversation settings panel: "Reset to the model's defaults" goes back to the loaded
model's sampling (its catalog entry's), else to the app's."""

from PySide6.QtCore import Qt

from localchat.core.chat.messages import Sampling
from localchat.core.models.catalog import load_catalog
from localchat.core.models.defaults import model_defaults
from localchat.core.models.inventory import InstallRecord
from localchat.gui.conversation_settings import ConversationSettings

CATALOG = load_catalog()


def panel(qtbot) -> ConversationSettings:
    widget = ConversationSettings()
    qtbot.addWidget(widget)
    widget.set_values("Be brief.", Sampling(temperature=1.3, top_p=0.5, top_k=5, seed=7))
    return widget


def reset(qtbot, widget: ConversationSettings) -> list:
    with qtbot.waitSignal(widget.changed, timeout=2000) as changed:
        qtbot.mouseClick(widget.reset_button, Qt.MouseButton.LeftButton)
    return changed.args


def test_reset_goes_back_to_the_loaded_model_s_defaults(qtbot):
    llama = CATALOG.get("llama-3.1-8b-instruct-q4_k_m")
    record = InstallRecord(llama.file.filename, 1, None, "2025-01-01T00:00:00+00:00", model_id=llama.id)
    defaults = model_defaults(llama.file.filename, CATALOG, record)
    widget = panel(qtbot)
    widget.set_model_defaults(defaults.sampling, f"{llama.name}'s authors")

    assert reset(qtbot, widget) == ["Be brief.", Sampling(temperature=0.6, top_p=0.9)]
    assert widget.temperature.value() == 0.6 and widget.top_p.value() == 0.9 and widget.top_k.value() == 40
    assert widget.seed.text() == "Random"
    assert "Temperature 0.6, top-p 0.9" in widget.reset_button.toolTip()
    assert "Llama 3.1 8B Instruct's authors" in widget.reset_button.toolTip()


def test_without_a_model_s_defaults_reset_goes_back_to_the_app_s(qtbot):
    widget = panel(qtbot)
    assert reset(qtbot, widget) == ["Be brief.", Sampling()]


def test_another_model_brings_its_own_defaults(qtbot):
    widget = panel(qtbot)
    widget.set_model_defaults(Sampling(temperature=0.6, top_p=0.9))
    widget.set_model_defaults(Sampling(temperature=1.0, top_p=0.95, top_k=64))  # Gemma 3 loaded next
    assert reset(qtbot, widget)[1] == Sampling(temperature=1.0, top_p=0.95, top_k=64)
