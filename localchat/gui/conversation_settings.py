"""Per-conversation settings: system prompt, sampling and the response format."""

from __future__ import annotations

import json

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from localchat.core.chat.messages import FormatKind, ResponseFormat, Sampling
from localchat.core.inference.grammar import problems

FORMAT_CHOICES = (
    (FormatKind.TEXT, QT_TRANSLATE_NOOP("ConversationSettings", "Free text")),
    (FormatKind.JSON, "JSON"),
    (FormatKind.JSON_SCHEMA, QT_TRANSLATE_NOOP("ConversationSettings", "JSON schema")),
    (FormatKind.GRAMMAR, QT_TRANSLATE_NOOP("ConversationSettings", "Grammar (GBNF)")),
)

# (label, kind, source): what the examples menu puts in the editor
EXAMPLES = (
    (QT_TRANSLATE_NOOP("ConversationSettings", "A list of strings"), FormatKind.JSON_SCHEMA, {
        "type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 10}),
    (QT_TRANSLATE_NOOP("ConversationSettings", "An object with typed fields"), FormatKind.JSON_SCHEMA, {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer"},
                       "email": {"type": "string", "format": "email"}, "member": {"type": "boolean"}},
        "required": ["name", "age", "member"], "additionalProperties": False}),
    (QT_TRANSLATE_NOOP("ConversationSettings", "An enum choice"), FormatKind.JSON_SCHEMA, {
        "type": "object", "properties": {"sentiment": {"enum": ["positive", "neutral", "negative"]}},
        "required": ["sentiment"], "additionalProperties": False}),
    (QT_TRANSLATE_NOOP("ConversationSettings", "Yes or no (grammar)"), FormatKind.GRAMMAR, 'root ::= ("yes" | "no") "."\n'),
)


def example_source(source) -> str:
    return source if isinstance(source, str) else json.dumps(source, indent=2)


class ConversationSettings(QWidget):
    """Edits the system prompt, sampling and response format of the open conversation; emits
    ``changed`` with (system prompt, Sampling) whenever the person changes a value. "Reset to the
    model's defaults" goes back to the loaded model's sampling (``set_model_defaults``), else
    ``Sampling()``, and keeps the response format.

    The response format is free text, JSON, a JSON schema or a GBNF grammar; the editor checks a
    schema or grammar as it is typed (pure Python, no llama.cpp) and says each problem with its
    line or its place in the schema under it. What is typed is kept even while it has problems;
    a reply asked for then ends with the same problems as its error."""

    changed = Signal(str, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        form = QFormLayout(self)
        self.system_prompt = QPlainTextEdit()
        self.system_prompt.setPlaceholderText(self.tr("Optional instructions for the assistant"))
        self.system_prompt.setFixedHeight(90)
        form.addRow(self.tr("System prompt"), self.system_prompt)

        def spin(lo, hi, step, decimals=2):
            box = QDoubleSpinBox(minimum=lo, maximum=hi, singleStep=step, decimals=decimals)
            return box

        self.temperature = spin(0.0, 2.0, 0.05)
        self.top_p = spin(0.0, 1.0, 0.05)
        self.top_k = QSpinBox(minimum=0, maximum=1000)
        self.min_p = spin(0.0, 1.0, 0.01)
        self.repeat_penalty = spin(0.5, 2.0, 0.05)
        self.max_tokens = QSpinBox(minimum=1, maximum=131072, singleStep=256)
        self.seed = QSpinBox(minimum=-1, maximum=2**31 - 1)
        self.seed.setSpecialValueText(self.tr("Random"))
        for label, box in ((self.tr("Temperature"), self.temperature), (self.tr("Top-p"), self.top_p),
                           (self.tr("Top-k"), self.top_k), (self.tr("Min-p"), self.min_p),
                           (self.tr("Repeat penalty"), self.repeat_penalty),
                           (self.tr("Max reply tokens"), self.max_tokens), (self.tr("Seed"), self.seed)):
            form.addRow(label, box)
            box.valueChanged.connect(self._emit)
        self.system_prompt.textChanged.connect(self._emit)
        self._build_format(form)
        self.reset_button = QPushButton(self.tr("Reset to the model's defaults"))
        self.reset_button.clicked.connect(self._on_reset_clicked)
        form.addRow(self.reset_button)
        self._loading = False
        self.set_model_defaults(Sampling())

    def set_unavailable_formats(self, reasons: dict[FormatKind, str]) -> None:
        """Grey out the formats the model in use cannot hold a reply to, each with why (a remote
        backend that refused a JSON schema); ``{}`` offers them all again. A conversation that
        has one keeps it, and the line under the editor says why it will not work."""
        self.unavailable_formats = dict(reasons)
        items = self.format_kind.model()
        for i in range(self.format_kind.count()):
            reason = reasons.get(FormatKind(self.format_kind.itemData(i)))
            items.item(i).setEnabled(reason is None)
            items.item(i).setToolTip(reason or "")
        self._show_format()

    def _build_format(self, form: QFormLayout) -> None:
        self.format_kind = QComboBox()
        self.unavailable_formats: dict[FormatKind, str] = {}
        for kind, label in FORMAT_CHOICES:
            self.format_kind.addItem(QCoreApplication.translate("ConversationSettings", label), kind.value)
        self.format_kind.setToolTip(self.tr("Hold replies to a shape: the model can only write what it allows"))
        form.addRow(self.tr("Response format"), self.format_kind)
        self.examples = QComboBox()
        self.examples.addItem(self.tr("Examples…"))
        for label, _kind, _source in EXAMPLES:
            self.examples.addItem(QCoreApplication.translate("ConversationSettings", label))
        form.addRow(self.examples)
        self.format_source = QPlainTextEdit()
        self.format_source.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.format_source.setFixedHeight(140)
        form.addRow(self.format_source)
        self.format_status = QLabel()
        self.format_status.setWordWrap(True)
        form.addRow(self.format_status)
        self.describe_format = QCheckBox(self.tr("Describe it to the model in the system prompt"))
        self.describe_format.setToolTip(self.tr("Small models follow a schema better when they also read it"))
        form.addRow(self.describe_format)
        self.format_kind.currentIndexChanged.connect(self._on_format_kind_changed)
        self.examples.activated.connect(self._on_example_chosen)
        self.format_source.textChanged.connect(self._on_format_source_changed)
        self.describe_format.toggled.connect(self._emit)
        self._show_format()

    def response_format(self) -> ResponseFormat:
        kind = FormatKind(self.format_kind.currentData())
        edits = kind in (FormatKind.JSON_SCHEMA, FormatKind.GRAMMAR)
        source = self.format_source.toPlainText() if edits else ""
        describe = self.describe_format.isChecked() and kind is not FormatKind.TEXT
        return ResponseFormat(kind, source, describe=describe)

    def format_problems(self) -> list[str]:
        """What the status line under the editor says is wrong; [] when the format can be used."""
        return [str(p) for p in problems(self.response_format())]

    def _show_format(self) -> None:
        kind = FormatKind(self.format_kind.currentData())
        edits = kind in (FormatKind.JSON_SCHEMA, FormatKind.GRAMMAR)
        self.format_source.setVisible(edits)
        self.format_status.setVisible(edits)
        self.describe_format.setVisible(kind is not FormatKind.TEXT)
        self.format_source.setPlaceholderText('root ::= ("yes" | "no")' if kind is FormatKind.GRAMMAR
                                              else '{"type": "object", "properties": {…}}')
        found = self.format_problems() if edits else []
        unavailable = self.unavailable_formats.get(kind)
        if unavailable:
            found = [unavailable] + found
            self.format_status.setVisible(True)
        if found:
            self.format_status.setObjectName("problem")
            more = "\n" + self.tr("…and {count} more").format(count=len(found) - 6) if len(found) > 6 else ""
            self.format_status.setText("\n".join(found[:6]) + more)
        else:
            self.format_status.setObjectName("muted")
            self.format_status.setText(self.tr("The grammar can be used.") if kind is FormatKind.GRAMMAR
                                       else self.tr("The schema can be used."))
        self.format_status.style().unpolish(self.format_status)
        self.format_status.style().polish(self.format_status)

    def _on_format_kind_changed(self, _index: int) -> None:
        self._show_format()
        self._emit()

    def _on_format_source_changed(self) -> None:
        self._show_format()
        self._emit()

    def _on_example_chosen(self, index: int) -> None:
        if index <= 0:
            return
        _label, kind, source = EXAMPLES[index - 1]
        self._loading = True
        try:
            self.format_kind.setCurrentIndex(self.format_kind.findData(kind.value))
            self.format_source.setPlainText(example_source(source))
        finally:
            self._loading = False
        self.examples.setCurrentIndex(0)
        self._show_format()
        self._emit()

    def set_model_defaults(self, sampling: Sampling, source: str = "") -> None:
        """What the reset button goes back to: the loaded model's sampling
        (``models.defaults.model_defaults(...).sampling``). ``source`` names where it comes
        from, for the button's tooltip ("Llama 3.1 8B Instruct's authors")."""
        self.model_defaults = sampling
        s = sampling
        text = self.tr("Temperature {temperature}, top-p {top_p}, top-k {top_k}, min-p {min_p}, "
                       "repeat penalty {repeat_penalty}, {max_tokens} reply tokens").format(
            temperature=f"{s.temperature:g}", top_p=f"{s.top_p:g}", top_k=s.top_k, min_p=f"{s.min_p:g}",
            repeat_penalty=f"{s.repeat_penalty:g}", max_tokens=s.max_tokens)
        if source:
            text += self.tr(": as recommended by {source}").format(source=source)
        self.reset_button.setToolTip(text)

    def _on_reset_clicked(self) -> None:
        self.set_values(self.system_prompt.toPlainText(),
                        self.model_defaults.with_(response_format=self.response_format()), emit=True)

    def set_values(self, system_prompt: str, sampling: Sampling, emit: bool = False) -> None:
        self._loading = True
        try:
            if self.system_prompt.toPlainText() != system_prompt:
                self.system_prompt.setPlainText(system_prompt)
            self.temperature.setValue(sampling.temperature)
            self.top_p.setValue(sampling.top_p)
            self.top_k.setValue(sampling.top_k)
            self.min_p.setValue(sampling.min_p)
            self.repeat_penalty.setValue(sampling.repeat_penalty)
            self.max_tokens.setValue(sampling.max_tokens)
            self.seed.setValue(-1 if sampling.seed is None else sampling.seed)
            fmt = sampling.response_format
            self.format_kind.setCurrentIndex(max(0, self.format_kind.findData(fmt.kind.value)))
            if self.format_source.toPlainText() != fmt.source:
                self.format_source.setPlainText(fmt.source)
            self.describe_format.setChecked(fmt.describe)
        finally:
            self._loading = False
        self._show_format()
        if emit:
            self._emit()

    def values(self) -> tuple[str, Sampling]:
        seed = self.seed.value()
        return self.system_prompt.toPlainText().strip(), Sampling(
            temperature=round(self.temperature.value(), 3), top_p=round(self.top_p.value(), 3),
            top_k=self.top_k.value(), min_p=round(self.min_p.value(), 3),
            repeat_penalty=round(self.repeat_penalty.value(), 3), max_tokens=self.max_tokens.value(),
            seed=None if seed < 0 else seed, response_format=self.response_format())

    def _emit(self, *_args) -> None:
        if not self._loading:
            self.changed.emit(*self.values())
