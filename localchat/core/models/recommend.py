"""The recommendation: which of the catalog's models suits this machine best.

The rule: the most capable model that fits with room to spare *and* writes at a comfortable
speed here (``SpeedPreference``: ~8 tokens/s by default, 4 preferring quality, 16 preferring
speed). When none of those that fit is that fast, the fastest of them. The one-line ``why`` says
when speed decided ("larger models fit but would run under 4 tokens/s"). Without a calibration
(``rank_models(..., calibration=None)``) speed is not known and memory alone decides.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from localchat.core.models.catalog import CatalogEntry
from localchat.core.models.fit import FitLevel, FitVerdict, MemoryBudget, Placement, fit_model
from localchat.core.models.speed import COMFORTABLE_TPS, Calibration, SpeedPrediction, predict_speed
from localchat.core.units import size_text

if TYPE_CHECKING:
    from localchat.core.hardware import Hardware

_LEVEL_ORDER = {FitLevel.FITS: 0, FitLevel.TIGHT: 1, FitLevel.TOO_BIG: 2}


class SpeedPreference(enum.Enum):
    """How fast a recommended model must write: the bar moves with what the person prefers."""

    QUALITY = "quality"
    BALANCED = "balanced"
    SPEED = "speed"

    @property
    def min_tps(self) -> float:
        return {SpeedPreference.QUALITY: COMFORTABLE_TPS / 2, SpeedPreference.BALANCED: COMFORTABLE_TPS,
                SpeedPreference.SPEED: COMFORTABLE_TPS * 2}[self]

    @property
    def label(self) -> str:
        return {SpeedPreference.QUALITY: "Prefer quality", SpeedPreference.BALANCED: "Balanced",
                SpeedPreference.SPEED: "Prefer speed"}[self]


@dataclass(frozen=True)
class Recommendation:
    """A catalog model judged for this machine at its default context, and how fast it would
    run there (None: no calibration to predict with)."""

    entry: CatalogEntry
    verdict: FitVerdict
    speed: SpeedPrediction | None = None
    why: str = ""  # for the recommended one: why it, in one line

    @property
    def badge(self):
        return self.verdict.badge

    @property
    def speed_text(self) -> str:
        """``"~14 tokens/s"``, or ``""`` when unknown or the model does not fit."""
        if self.speed is None or self.verdict.level is FitLevel.TOO_BIG:
            return ""
        return self.speed.text

    @property
    def headline(self) -> str:
        """``"Mistral 7B Instruct v0.2 Q4_K_M needs 5.0 GiB; you have 12.0 GiB free"``."""
        v, est, name = self.verdict, self.verdict.estimate, self.entry.display_name
        if v.placement is Placement.GPU and not v.budget.unified:
            return (f"{name} needs {size_text(est.vram_bytes)} of GPU memory; "
                    f"your GPU has {size_text(v.budget.vram_free)} free")
        if v.placement is Placement.PARTIAL and not v.budget.unified:
            return (f"{name} needs {size_text(est.total_bytes)} ({size_text(est.vram_bytes)} on the "
                    f"GPU, {size_text(est.ram_bytes)} in RAM); you have {size_text(v.budget.vram_free)} "
                    f"of GPU memory and {size_text(v.budget.ram_free)} of RAM free")
        return f"{name} needs {size_text(est.ram_bytes)}; you have {size_text(v.budget.ram_free)} free"


def rank_models(entries: Iterable[CatalogEntry], machine: "Hardware | MemoryBudget", *,
                kind: str = "chat", n_ctx: int | None = None,
                calibration: Calibration | None = None) -> list[Recommendation]:
    """The catalog's models of ``kind`` for this machine, best first: those that fit with room
    to spare, then the tight ones, then those too big; within each, the most capable first
    (more parameters, then the finer quantization), then the smaller file. With a
    ``calibration``, each carries its predicted speed at the placement its fit plans."""
    budget = machine if isinstance(machine, MemoryBudget) else MemoryBudget.of(machine)
    judged = []
    for entry in entries:
        if entry.kind != kind:
            continue
        context = min(n_ctx or entry.default_context, entry.arch.context)
        facts = entry.model_facts()
        verdict = fit_model(facts, budget, n_ctx=context)
        speed = None
        if calibration is not None and kind == "chat":
            speed = predict_speed(facts, calibration, n_gpu_layers=verdict.n_gpu_layers)
        judged.append(Recommendation(entry, verdict, speed))
    judged.sort(key=lambda r: (_LEVEL_ORDER[r.verdict.level], -r.entry.capability, r.entry.size_bytes))
    return judged


def best_model(ranked: list[Recommendation],
               preference: SpeedPreference = SpeedPreference.BALANCED) -> Recommendation | None:
    """The one to offer on first start, with ``why`` said: the most capable that fits with
    headroom (else the best tight one) and, when speeds are known, runs at least at the
    preference's bar (else the fastest of those); None when nothing fits."""
    for level in (FitLevel.FITS, FitLevel.TIGHT):
        group = [r for r in ranked if r.verdict.level is level]
        if group:
            return _choose(group, preference)
    return None


def _choose(group: list[Recommendation], preference: SpeedPreference) -> Recommendation:
    from dataclasses import replace

    top = group[0]  # the most capable
    tight = " (it fits, with little memory to spare)" if top.verdict.level is FitLevel.TIGHT else ""
    if any(r.speed is None for r in group):
        return replace(top, why=f"{top.entry.display_name}: the most capable model that fits here{tight}.")
    bar = preference.min_tps
    quick = [r for r in group if r.speed.decode_tps >= bar]
    if quick:
        chosen = quick[0]
        skipped = group[:group.index(chosen)]
        if not skipped:
            why = (f"{chosen.entry.display_name}: {chosen.speed.text} here; the most capable model "
                   f"that fits{tight}.")
        else:
            fastest_skipped = max(r.speed.decode_tps for r in skipped)
            why = (f"{chosen.entry.display_name}: {chosen.speed.text} here; larger models fit but "
                   f"would run under {_ceil_text(fastest_skipped)} tokens/s.")
        return replace(chosen, why=why)
    chosen = max(group, key=lambda r: r.speed.decode_tps)
    return replace(chosen, why=(f"{chosen.entry.display_name}: {chosen.speed.text} here, the fastest that "
                                f"fits; every model runs under {bar:g} tokens/s on this computer."))


def _ceil_text(tps: float) -> str:
    return f"{math.ceil(tps)}" if tps >= 1 else f"{math.ceil(tps * 10) / 10:g}"
