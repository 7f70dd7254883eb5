"""The recommendation: which of the catalog's models suits this machine best."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from localchat.core.models.catalog import CatalogEntry
from localchat.core.models.fit import FitLevel, FitVerdict, MemoryBudget, Placement, fit_model
from localchat.core.units import size_text

if TYPE_CHECKING:
    from localchat.core.hardware import Hardware

_LEVEL_ORDER = {FitLevel.FITS: 0, FitLevel.TIGHT: 1, FitLevel.TOO_BIG: 2}


@dataclass(frozen=True)
class Recommendation:
    """A catalog model judged for this machine at its default context."""

    entry: CatalogEntry
    verdict: FitVerdict

    @property
    def badge(self):
        return self.verdict.badge

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
                kind: str = "chat", n_ctx: int | None = None) -> list[Recommendation]:
    """The catalog's models of ``kind`` for this machine, best first: those that fit with room
    to spare, then the tight ones, then those too big; within each, the most capable first
    (more parameters, then the finer quantization), then the smaller file."""
    budget = machine if isinstance(machine, MemoryBudget) else MemoryBudget.of(machine)
    judged = []
    for entry in entries:
        if entry.kind != kind:
            continue
        context = min(n_ctx or entry.default_context, entry.arch.context)
        judged.append(Recommendation(entry, fit_model(entry.model_facts(), budget, n_ctx=context)))
    judged.sort(key=lambda r: (_LEVEL_ORDER[r.verdict.level], -r.entry.capability, r.entry.size_bytes))
    return judged


def best_model(ranked: list[Recommendation]) -> Recommendation | None:
    """The one to offer on first start: the most capable that fits with headroom (or, when
    none does, the best tight one); None when nothing fits."""
    top = ranked[0] if ranked else None
    return top if top is not None and top.verdict.level is not FitLevel.TOO_BIG else None
