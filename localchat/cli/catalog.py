"""``localchat models update [--url URL]``: fetch the signed model catalog and say what changed.

The command always asks the server (the 12-hour time to live is for the window's background
refresh). A refused download keeps the catalog in use and says why; an installed model whose
entry left the catalog is named as staying installed. ``catalog_line`` is the line
``localchat models list`` prints about the catalog it uses.
"""

from __future__ import annotations

import argparse
import sys

from localchat.core.models.catalog import CatalogEntry
from localchat.core.models.catalog_update import (
    ENV_CATALOG_URL,
    CatalogState,
    CatalogUpdate,
    UpdateOutcome,
    update_catalog,
)
from localchat.core.models.inventory import ModelInventory
from localchat.core.settings import models_folder

# what a changed entry's difference is called, by CatalogEntry field
_FIELD_NAMES = {"file": "file", "arch": "architecture", "default_context": "context", "sampling": "sampling",
                "min_app_version": "app versions", "removed_in": "app versions"}


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``update`` to the ``models`` group (registered before this)."""
    models = sub.choices["models"]
    actions = next(a for a in models._actions if isinstance(a, argparse._SubParsersAction))
    for add in ACTIONS:
        add(actions)


def add_update(actions: argparse._SubParsersAction) -> None:
    p = actions.add_parser("update", help="fetch the newest signed model catalog and say what changed",
                           description="Download the project's model catalog, check its signature "
                           "and every entry, and use it if all is well; else keep the catalog in use. "
                           f"The address is --url, else {ENV_CATALOG_URL}, else the project's "
                           f"({ENV_CATALOG_URL}=off: never ask).")
    p.add_argument("--url", metavar="URL", help="the catalog's https:// address (its signature is URL.sig)")
    p.set_defaults(func=run_update)


def run_update(args: argparse.Namespace) -> int:
    print(f"Checking {args.url or 'the model catalog'}…", file=sys.stderr)
    result = update_catalog(args.paths, args.url, force=True)
    if result.outcome is UpdateOutcome.ADOPTED:
        print(f"{catalog_line(result.state)}.")
        print(changes_text(result, installed_ids(args)))
        return 0
    if result.outcome is UpdateOutcome.UNCHANGED:
        print(f"The catalog is up to date. {catalog_line(result.state)}.")
        return 0
    what = {UpdateOutcome.REJECTED: "The downloaded catalog was refused",
            UpdateOutcome.OFF: "The catalog was not checked"}.get(result.outcome, "The catalog could not be checked")
    print(f"localchat: {what}: {result.reason.rstrip('.')}.\nStill using the {_lower(catalog_line(result.state))}.",
          file=sys.stderr)
    return 1


def catalog_line(state: CatalogState) -> str:
    """``Model catalog of 2 December 2026, shipped with localchat (27 models, 2 new)``."""
    new = f", {len(state.new_ids)} new" if state.new_ids else ""
    return f"{state.summary} ({len(state.catalog)} models{new})"


def changes_text(result: CatalogUpdate, installed: set[str]) -> str:
    changes = result.changes
    if not changes:
        return "No model was added, removed or changed."
    lines: list[str] = []
    if changes.added:
        lines.append(f"Added ({len(changes.added)}):")
        lines += [f"  + {e.id}  {e.display_name}  {e.size_text}" for e in changes.added]
    if changes.removed:
        lines.append(f"Removed ({len(changes.removed)}):")
        lines += [f"  - {e.id}  {e.display_name}"
                  + ("  (installed: it stays installed and usable)" if e.id in installed else "")
                  for e in changes.removed]
    if changes.changed:
        lines.append(f"Changed ({len(changes.changed)}):")
        lines += [f"  ~ {after.id}  {after.display_name}: {', '.join(changed_fields(before, after))}"
                  for before, after in changes.changed]
    return "\n".join(lines)


def changed_fields(before: CatalogEntry, after: CatalogEntry) -> list[str]:
    names = [_FIELD_NAMES.get(name, name) for name in before.__dataclass_fields__
             if getattr(before, name) != getattr(after, name)]
    return list(dict.fromkeys(names))


def installed_ids(args: argparse.Namespace) -> set[str]:
    """Catalog ids of the installed models (none when the folder cannot be read)."""
    try:
        return {m.model_id for m in ModelInventory(models_folder(args.paths, args.settings)).scan() if m.model_id}
    except OSError:
        return set()


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


ACTIONS = (add_update,)
