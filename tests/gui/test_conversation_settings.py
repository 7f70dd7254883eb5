"""The conversation settings panel: "Reset to the model's defaults" goes back to the loaded
model's sampling (its catalog entry's), else to the app's."""

import json

import pytest
from PySide6.QtCore import Qt

from localchat.core.chat.messages import FormatKind, ResponseFormat, Sampling
from localchat.core.models.catalog import load_catalog
from localchat.core.models.defaults import model_defaults
from localchat.core.models.inventory import InstallRecord
from localchat.gui.conversation_settings import EXAMPLES, ConversationSettings

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


# -- the response format ---------------------------------------------------------------------------
def choose_kind(widget, kind: FormatKind) -> None:
    widget.format_kind.setCurrentIndex(widget.format_kind.findData(kind.value))


def test_a_schema_is_checked_as_it_is_typed_and_kept_with_the_sampling(qtbot):
    widget = panel(qtbot)
    assert not widget.format_source.isVisibleTo(widget)  # free text: no editor
    choose_kind(widget, FormatKind.JSON_SCHEMA)
    assert widget.format_source.isVisibleTo(widget)
    with qtbot.waitSignal(widget.changed, timeout=2000) as changed:
        widget.format_source.setPlainText(json.dumps({"type": "integer", "minimum": 0}))
    assert widget.format_status.objectName() == "problem"
    assert "/minimum: the keyword 'minimum' is not supported" in widget.format_status.text()
    # what was typed is kept even with its problem: nothing the person wrote is lost
    assert changed.args[1].response_format.source == json.dumps({"type": "integer", "minimum": 0})

    with qtbot.waitSignal(widget.changed, timeout=2000) as changed:
        widget.format_source.setPlainText('{"type": "integer"}')
    assert widget.format_status.objectName() == "muted"
    assert widget.format_status.text() == "The schema can be used."
    fmt = changed.args[1].response_format
    assert fmt == ResponseFormat(FormatKind.JSON_SCHEMA, '{"type": "integer"}')
    assert changed.args[1].temperature == 1.3  # the rest of the sampling as it was


def test_json_typed_badly_says_where(qtbot):
    widget = panel(qtbot)
    choose_kind(widget, FormatKind.JSON_SCHEMA)
    widget.format_source.setPlainText('{\n  "type": "object",\n'
                                      '  "properties": {"a": {"$ref": "#/$defs/A"}}\n}')
    assert "/properties/a/$ref: the reference '#/$defs/A' points to nothing" in widget.format_status.text()
    widget.format_source.setPlainText('{\n  "type": "object"\n  "required": []\n}')
    assert widget.format_status.text().startswith("line 3, column 3: not JSON")


def test_a_broken_grammar_is_named_with_its_line(qtbot):
    widget = panel(qtbot)
    choose_kind(widget, FormatKind.GRAMMAR)
    widget.format_source.setPlainText('root ::= answer\nanswr ::= "yes"')
    text = widget.format_status.text()
    assert "line 1, column 10: the rule 'answer' is used but never defined" in text
    widget.format_source.setPlainText('root ::= answer\nanswer ::= "yes"')
    assert widget.format_status.text() == "The grammar can be used."


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_each_example_fills_the_editor_with_a_format_that_can_be_used(qtbot, index):
    widget = panel(qtbot)
    _label, kind, _ = EXAMPLES[index]
    with qtbot.waitSignal(widget.changed, timeout=2000) as changed:
        widget.examples.setCurrentIndex(index + 1)
        widget.examples.activated.emit(index + 1)
    fmt = changed.args[1].response_format
    assert fmt.kind is kind and fmt.source.strip()
    assert widget.format_problems() == []
    assert widget.format_status.objectName() == "muted"
    assert widget.examples.currentIndex() == 0  # ready to pick another


def test_a_conversation_s_format_is_shown_and_reset_keeps_it(qtbot):
    widget = panel(qtbot)
    fmt = ResponseFormat(FormatKind.GRAMMAR, 'root ::= "a"', describe=True)
    widget.set_values("Be brief.", Sampling(temperature=0.4, response_format=fmt))
    assert widget.format_kind.currentData() == "grammar"
    assert widget.format_source.toPlainText() == 'root ::= "a"' and widget.describe_format.isChecked()
    assert reset(qtbot, widget) == ["Be brief.", Sampling(response_format=fmt)]
    widget.set_values("", Sampling())  # another conversation, in free text
    assert widget.format_kind.currentData() == "text" and widget.format_source.toPlainText() == ""
    assert not widget.describe_format.isVisibleTo(widget)


def test_json_asks_for_no_editor_but_can_be_described(qtbot):
    widget = panel(qtbot)
    choose_kind(widget, FormatKind.JSON)
    assert not widget.format_source.isVisibleTo(widget) and widget.describe_format.isVisibleTo(widget)
    with qtbot.waitSignal(widget.changed, timeout=2000) as changed:
        widget.describe_format.setChecked(True)
    assert changed.args[1].response_format == ResponseFormat(FormatKind.JSON, describe=True)


# -- through the real window ---------------------------------------------------------------------
def test_the_window_answers_in_the_conversation_s_format_and_names_a_broken_one(qtbot, data_paths,
                                                                               tiny_model):
    from localchat.gui.main_window import MainWindow

    window = MainWindow(data_paths, install_demo=False, batch_seconds=0.002)
    qtbot.addWidget(window)
    window.show()
    try:
        with qtbot.waitSignal(window.model_ready, timeout=20_000):
            window.load_model(tiny_model)
        settings = window.conversation_settings
        choose_kind(settings, FormatKind.JSON_SCHEMA)
        settings.format_source.setPlainText(json.dumps({"type": "integer", "maximum": 9}))
        with qtbot.waitSignal(window.reply_finished, timeout=30_000) as finished:
            window.send("a digit")
        assert finished.args[0].stop_reason.value == "error"
        assert window.error_banner.isVisibleTo(window)
        assert "/maximum: the keyword 'maximum' is not supported" in window.error_banner.text()

        choose_kind(settings, FormatKind.GRAMMAR)
        settings.format_source.setPlainText('root ::= ("yes" | "no") "."')
        with qtbot.waitSignal(window.reply_finished, timeout=30_000) as finished:
            window.send("yes or no?")
        assert finished.args[0].validation.valid
        assert window.chat_view.last_bubble().item.text in ("yes.", "no.")
        saved = window.store.branch(window.conversation.id)[-1]
        assert saved.validation.valid and saved.content in ("yes.", "no.")
        conv = window.store.conversation(window.conversation.id)
        assert conv.sampling.response_format.kind is FormatKind.GRAMMAR
    finally:
        window.close()


def test_a_structured_reply_shows_its_check_and_valid_json_is_shown_indented(qtbot, data_paths, tiny_model):
    from localchat.gui.main_window import MainWindow

    window = MainWindow(data_paths, install_demo=False, batch_seconds=0.002)
    qtbot.addWidget(window)
    window.show()
    try:
        with qtbot.waitSignal(window.model_ready, timeout=20_000):
            window.load_model(tiny_model)
        settings = window.conversation_settings
        choose_kind(settings, FormatKind.JSON_SCHEMA)
        settings.format_source.setPlainText(json.dumps({
            "type": "object", "additionalProperties": False, "required": ["sure"],
            "properties": {"sure": {"type": "boolean"}}}))
        with qtbot.waitSignal(window.reply_finished, timeout=30_000):
            window.send("are you sure?")
        bubble = window.chat_view.last_bubble()
        assert bubble.check_label.isVisible() and bubble.check_label.text() == "✓ valid JSON"
        assert bubble.item.pretty == json.dumps(json.loads(bubble.item.text), indent=2)
        assert "sure" in bubble.body.text() and "json" in bubble.body.text()  # the code block and its header

        window.sampling = window.sampling.with_(max_tokens=2)  # cut off inside the object
        with qtbot.waitSignal(window.reply_finished, timeout=30_000) as finished:
            window.send("again")
        assert finished.args[0].stop_reason.value == "incomplete"
        bubble = window.chat_view.last_bubble()
        assert bubble.check_label.text().startswith("✗ Not valid JSON: The reply was cut off by the token limit")
        assert bubble.check_label.objectName() == "error" and bubble.item.pretty is None
    finally:
        window.close()
