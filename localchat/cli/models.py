"""``localchat models``: the model catalog and what suits this machine, in a terminal.

One function per action, ``_add_<action>(actions)``, adds its parser and sets ``func`` on it;
``register`` adds the ``models`` group and calls every function in ``ACTIONS``. A new action
(``download``, ``verify``, ``rm``) is one more such function added to that tuple.
"""

from __future__ import annotations

import argparse
import json
import sys

from localchat.cli.catalog import catalog_line
from localchat.core.models.catalog import Catalog, CatalogEntry, load_catalog
from localchat.core.models.catalog_update import current_catalog
from localchat.core.models.fit import FitLevel
from localchat.core.models.recommend import Recommendation, SpeedPreference, best_model, rank_models
from localchat.core.units import GIB, size_text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("models", help="the model catalog, and which models suit this machine")
    actions = p.add_subparsers(dest="models_action", metavar="ACTION", required=True)
    for add in ACTIONS:
        add(actions)


def _catalog_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--catalog", metavar="FILE", help="read this catalog instead of the one shipped")
    p.add_argument("--json", action="store_true", help="print JSON for scripts instead of a table")


def catalog_of(args: argparse.Namespace) -> Catalog:
    """The catalog the command works on: --catalog FILE, else the one in use (the last verified
    download, else the shipped one); its problems are reported on stderr, not fatal.
    ``args.catalog_note`` says which it is and of when."""
    if args.catalog:
        catalog = load_catalog(args.catalog)
        args.catalog_note = f"Model catalog {args.catalog} ({len(catalog)} models)"
    else:
        state = current_catalog(args.paths)
        catalog, args.catalog_note = state.catalog, catalog_line(state)
    for problem in catalog.problems:
        print(f"localchat: warning: {problem.message}", file=sys.stderr)
    return catalog


# -- list ----------------------------------------------------------------------------------------------
def _add_list(actions: argparse._SubParsersAction) -> None:
    p = actions.add_parser("list", help="list the models of the catalog")
    p.add_argument("--kind", choices=("chat", "embedding"), help="only models of this kind")
    _catalog_option(p)
    p.set_defaults(func=run_list)


def run_list(args: argparse.Namespace) -> int:
    entries = [e for e in catalog_of(args) if args.kind in (None, e.kind)]
    if args.json:
        print(json.dumps([_entry_json(e) for e in entries], indent=2))
        return 0
    rows = [(e.id, e.display_name, f"{e.params_b:g}B", e.size_text, f"{e.default_context:,}", e.kind,
             e.license) for e in entries]
    print(f"{args.catalog_note}.")
    _table(("id", "model", "params", "file", "context", "kind", "license"), rows)
    return 0


def _entry_json(e: CatalogEntry) -> dict:
    return {"id": e.id, "name": e.name, "quant": e.quant, "kind": e.kind, "params_b": e.params_b,
            "license": e.license, "repo_id": e.file.repo_id, "filename": e.file.filename,
            "size_bytes": e.size_bytes, "size_exact": e.size_is_exact, "context": e.default_context}


# -- recommend -----------------------------------------------------------------------------------------
def _add_recommend(actions: argparse._SubParsersAction) -> None:
    p = actions.add_parser("recommend", help="rank the catalog's models for this machine",
                           description="Judge every model of the catalog against this machine's "
                           "memory: where it would run, what it needs, how much context fits. "
                           "--ram/--free/--vram ask 'what if' for another machine.")
    p.add_argument("--kind", choices=("chat", "embedding"), default="chat")
    p.add_argument("--ctx", type=int, metavar="TOKENS", help="judge every model at this context "
                   "(default: each model's own default)")
    p.add_argument("--ram", type=float, metavar="GIB", help="assume this much RAM in all (GiB)")
    p.add_argument("--free", type=float, metavar="GIB", help="assume this much RAM free (GiB)")
    p.add_argument("--vram", type=float, metavar="GIB",
                   help="assume a GPU with this much free memory, in GiB (0: none)")
    p.add_argument("--all", action="store_true", help="also list the models that are too big")
    p.add_argument("--prefer", choices=[p.value for p in SpeedPreference], default="balanced",
                   help="quality: accept ~4 tokens/s for a larger model; speed: want ~16 (default: ~8)")
    p.add_argument("--calibration", metavar="FILE",
                   help="predict speeds with this calibration (another machine's calibration.json) "
                   "instead of this machine's")
    _catalog_option(p)
    p.set_defaults(func=run_recommend)


def run_recommend(args: argparse.Namespace) -> int:
    from localchat.core.hardware import detect_hardware
    from localchat.core.models.calibration import gpu_bandwidth

    catalog = catalog_of(args)
    hw = detect_hardware()
    calibration = _calibration(args, hw)
    if args.ram is not None or args.free is not None or args.vram is not None:
        hw = hw.with_memory(ram=_bytes(args.ram), available=_bytes(args.free), vram=_bytes(args.vram))
        calibration = calibration.with_gpu(gpu_bandwidth(hw, calibration.cpu_bandwidth))
    ranked = rank_models(catalog, hw, kind=args.kind, n_ctx=args.ctx, calibration=calibration)
    best = best_model(ranked, SpeedPreference(args.prefer))
    best_id = best.entry.id if best else None
    if args.json:
        print(json.dumps({"machine": hw.summary(), "recommended": best_id, "why": best.why if best else None,
                          "prefer": args.prefer, "calibration": _calibration_json(calibration),
                          "models": [_recommendation_json(r) for r in ranked]}, indent=2))
        return 0
    print(f"This machine: {hw.summary()}")
    shown = ranked if args.all else [r for r in ranked if r.verdict.level is not FitLevel.TOO_BIG]
    rows = [("*" if r.entry.id == best_id else "", r.entry.display_name, size_text(r.verdict.needs_bytes),
             r.verdict.runs_on, r.speed_text or "-", f"{r.verdict.n_ctx:,}",
             f"{r.verdict.max_context:,}" if r.verdict.max_context else "-", r.badge.text) for r in shown]
    print()
    _table(("", "model", "needs", "runs on", "speed", "context", "max context", "fit"), rows)
    if len(shown) < len(ranked):
        print(f"\n{len(ranked) - len(shown)} more are too big for this machine (--all lists them).")
    print()
    if best is None:
        print("No model of the catalog fits this machine's memory.")
        return 1
    print(f"Recommended: {best.headline}.")
    print(best.why)
    print(best.verdict.reason)
    if best.speed is not None:
        print(f"Its {best.speed.ttft_text}.")
    if not calibration.measured:
        print("Speeds are estimates until this computer has been measured (the window does it on "
              "first start).")
    return 0


def _calibration(args: argparse.Namespace, hw):
    """A given calibration file, else this machine's kept one, else measured now (seconds, once)."""
    from localchat.core.errors import LocalChatError
    from localchat.core.models.calibration import (
        calibration_path,
        ensure_calibration,
        load_calibration,
        load_calibration_file,
    )

    if args.calibration:
        try:
            return load_calibration_file(args.calibration)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise LocalChatError(f"The calibration {args.calibration} cannot be read: {exc}.",
                                 "Give a calibration.json from a localchat data folder.") from exc
    root = args.paths.root
    kept = load_calibration(calibration_path(root), hw)
    if kept is not None:
        return kept
    print("localchat: measuring this computer's speed once (a few seconds)…", file=sys.stderr, flush=True)
    return ensure_calibration(root, hw)


def _calibration_json(c) -> dict:
    return {"measured": c.measured, "cpu_bandwidth_bytes_per_s": round(c.cpu_bandwidth),
            "cpu_efficiency": round(c.cpu_efficiency, 3), "token_overhead_s": round(c.token_overhead_s, 5),
            "cpu_flops": round(c.cpu_flops), "gpu_bandwidth_bytes_per_s":
                round(c.gpu_bandwidth) if c.gpu_bandwidth else None}


def _bytes(gib: float | None) -> int | None:
    return None if gib is None else int(gib * GIB)


def _recommendation_json(r: Recommendation) -> dict:
    v, est = r.verdict, r.verdict.estimate
    return {"id": r.entry.id, "name": r.entry.display_name, "fit": v.level.value,
            "placement": v.placement.value, "n_gpu_layers": v.n_gpu_layers, "context": v.n_ctx,
            "max_context": v.max_context, "ram_bytes": est.ram_bytes, "vram_bytes": est.vram_bytes,
            "needs_bytes": v.needs_bytes, "reason": v.reason,
            "speed": r.speed.to_dict() if r.speed is not None else None}


# -- output --------------------------------------------------------------------------------------------
def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    for row in (header, *rows):
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip())


from localchat.cli.downloads import ACTIONS as _DOWNLOAD_ACTIONS  # noqa: E402 - download, verify, rm

ACTIONS = (_add_list, _add_recommend, *_DOWNLOAD_ACTIONS)
