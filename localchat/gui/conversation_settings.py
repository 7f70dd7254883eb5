"""Per-conversation settings: system prompt and sampling."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QPlainTextEdit, QPushButton, QSpinBox, QWidget

from localchat.core.chat.messages import Sampling


class ConversationSettings(QWidget):
    """Edits the system prompt and sampling of the open conversation; emits ``changed`` with
    (system prompt, Sampling) whenever the person changes a value. "Reset to the model's
    defaults" goes back to the loaded model's (``set_model_defaults``), else ``Sampling()``."""

    changed = Signal(str, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        form = QFormLayout(self)
        self.system_prompt = QPlainTextEdit()
        self.system_prompt.setPlaceholderText("Optional instructions for the assistant")
        self.system_prompt.setFixedHeight(90)
        form.addRow("System prompt", self.system_prompt)

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
        self.seed.setSpecialValueText("Random")
        for label, box in (("Temperature", self.temperature), ("Top-p", self.top_p), ("Top-k", self.top_k),
                           ("Min-p", self.min_p), ("Repeat penalty", self.repeat_penalty),
                           ("Max reply tokens", self.max_tokens), ("Seed", self.seed)):
            form.addRow(label, box)
            box.valueChanged.connect(self._emit)
        self.system_prompt.textChanged.connect(self._emit)
        self.reset_button = QPushButton("Reset to the model's defaults")
        self.reset_button.clicked.connect(self._on_reset_clicked)
        form.addRow(self.reset_button)
        self._loading = False
        self.set_model_defaults(Sampling())

    def set_model_defaults(self, sampling: Sampling, source: str = "") -> None:
        """What the reset button goes back to: the loaded model's sampling
        (``models.defaults.model_defaults(...).sampling``). ``source`` names where it comes
        from, for the button's tooltip ("Llama 3.1 8B Instruct's authors")."""
        self.model_defaults = sampling
        s = sampling
        self.reset_button.setToolTip(
            f"Temperature {s.temperature:g}, top-p {s.top_p:g}, top-k {s.top_k}, min-p {s.min_p:g}, "
            f"repeat penalty {s.repeat_penalty:g}, {s.max_tokens} reply tokens"
            + (f": as recommended by {source}" if source else ""))

    def _on_reset_clicked(self) -> None:
        self.set_values(self.system_prompt.toPlainText(), self.model_defaults, emit=True)

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
        finally:
            self._loading = False
        if emit:
            self._emit()

    def values(self) -> tuple[str, Sampling]:
        seed = self.seed.value()
        return self.system_prompt.toPlainText().strip(), Sampling(
            temperature=round(self.temperature.value(), 3), top_p=round(self.top_p.value(), 3),
            top_k=self.top_k.value(), min_p=round(self.min_p.value(), 3),
            repeat_penalty=round(self.repeat_penalty.value(), 3), max_tokens=self.max_tokens.value(),
            seed=None if seed < 0 else seed)

    def _emit(self, *_args) -> None:
        if not self._loading:
            self.changed.emit(*self.values())
