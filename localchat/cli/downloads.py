"""``localchat models download | verify | rm``: models on a headless machine.

``download`` fetches a catalog model or any GGUF file on Hugging Face with the same code as the
window (resume, verification, atomic install), with a progress bar on stderr; Ctrl+C pauses it
and running the same command again resumes it. A model the fit says is too big for this machine
is downloaded only with ``--yes`` (or a yes on a terminal). The actions plug into ``models.ACTIONS``.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from localchat.core.downloads.events import (
    DownloadEvent,
    DownloadProgress,
    DownloadRetrying,
    DownloadVerifying,
    JobState,
    progress_text,
)
from localchat.core.downloads.hub import HubGGUFFile, RemoteFile
from localchat.core.downloads.queue import DownloadQueue
from localchat.core.errors import LocalChatError, ModelNotFoundError, RemoteNotFoundError
from localchat.core.models.catalog import CatalogEntry
from localchat.core.models.fit import FitLevel, FitVerdict
from localchat.core.models.inventory import InstalledModel, ModelInventory
from localchat.core.settings import models_folder
from localchat.core.units import size_text

BAR = 24
log = logging.getLogger(__name__)


# -- download ----------------------------------------------------------------------------------------
def add_download(actions: argparse._SubParsersAction) -> None:
    p = actions.add_parser(
        "download", help="download a catalog model, or any GGUF file on Hugging Face",
        description="Download ID (from `localchat models list`) or OWNER/REPO/FILE.gguf into the "
        "models folder, checked against its sha256. An interrupted download resumes when the "
        "same command runs again. Gated models need a token: --token, HF_TOKEN, or the one "
        "`hf auth login` (or the window's Model Manager) saved. A model too big for this "
        "machine's memory needs --yes.")
    p.add_argument("model", metavar="ID_OR_REPO/FILE")
    p.add_argument("--revision", default="main", help="branch, tag or commit (OWNER/REPO/FILE only)")
    p.add_argument("--token", help="a Hugging Face read token (default: HF_TOKEN or the saved login)")
    p.add_argument("--catalog", metavar="FILE", help="read this catalog instead of the one shipped")
    p.add_argument("-y", "--yes", action="store_true",
                   help="download it even if it is too big for this machine's memory")
    p.set_defaults(func=run_download)


def wanted_files(args: argparse.Namespace) -> tuple[list[RemoteFile], CatalogEntry | None]:
    """The files to fetch (every part of a split model) and the catalog entry, if it is one."""
    if "/" in args.model:
        return RemoteFile.parse(args.model, args.revision).all_parts(), None
    from localchat.cli.models import catalog_of

    entry = catalog_of(args).get(args.model)
    if entry is None:
        raise RemoteNotFoundError(f"There is no model \"{args.model}\" in the catalog.",
                                  "See `localchat models list` for the ids, or give OWNER/REPO/FILE.gguf.")
    return RemoteFile.of_entry(entry).all_parts(), entry


def fit_here(remotes: list[RemoteFile], entry: CatalogEntry | None, token: str | None) -> FitVerdict | None:
    """How the model fits this machine: a catalog entry from its shape, a Hub file from its
    header (a few MB); None when the header cannot be read (the download then says why)."""
    from localchat.core.downloads.hub import fit_of_hub_file
    from localchat.core.hardware import detect_hardware
    from localchat.core.models.recommend import rank_models

    hardware = detect_hardware()
    if entry is not None:
        return rank_models([entry], hardware, kind=entry.kind)[0].verdict
    first = remotes[0]
    hub_file = HubGGUFFile(first.repo_id, tuple(r.filename for r in remotes), None,
                           tuple(r.sha256 for r in remotes), first.revision)
    try:
        return fit_of_hub_file(hub_file, hardware, token=token)
    except LocalChatError as exc:
        log.info("no fit for %s before its download: %s", first.key, exc)
        return None


def confirm_size(args: argparse.Namespace, remotes: list[RemoteFile], entry: CatalogEntry | None,
                 inventory: ModelInventory) -> bool:
    """Whether to go on: yes unless the fit says the model is too big for this machine and the
    person did not say --yes (or yes on a terminal). An installed model downloads nothing."""
    first = remotes[0]
    if args.yes or inventory.installed_download(first.repo_id, first.filename, first.sha256):
        return True
    verdict = fit_here(remotes, entry, args.token)
    if verdict is None or verdict.level is not FitLevel.TOO_BIG:
        return True
    name = entry.display_name if entry else first.basename
    if not sys.stdin.isatty():
        print(f"localchat: {name}: {verdict.reason} Add --yes to download it anyway.", file=sys.stderr)
        return False
    print(f"{name}: {verdict.reason}", file=sys.stderr)
    return input("Download it anyway? [y/N] ").strip().lower() in ("y", "yes")


class ProgressBar:
    """One line on stderr, redrawn in place on a terminal; a line per tenth elsewhere."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr  # looked up now: stderr may have been replaced since import
        self.tty = self.stream.isatty()
        self.label = ""
        self._last = 0.0
        self._tenth = -1

    def on_event(self, event: DownloadEvent) -> None:
        if isinstance(event, DownloadProgress):
            self.draw(event)
        elif isinstance(event, DownloadRetrying):
            self.say(f"{self.label}: {event.reason}; trying again in {event.delay:.0f} s")
        elif isinstance(event, DownloadVerifying):
            self.say(f"{self.label}: verifying the sha256")

    def draw(self, p: DownloadProgress) -> None:
        fraction = p.fraction or 0.0
        done = p.total is not None and p.downloaded >= p.total
        if self.tty:
            now = time.monotonic()
            if now - self._last < 0.2 and not done:
                return
            self._last = now
            filled = int(BAR * fraction)
            self.stream.write(f"\r{self.label} {100 * fraction:3.0f}% [{'#' * filled}{'.' * (BAR - filled)}] "
                              f"{progress_text(p.downloaded, p.total, p.speed, p.eta)}\033[K")
            self.stream.flush()
        elif int(10 * fraction) > self._tenth:
            self._tenth = int(10 * fraction)
            print(f"{self.label} {100 * fraction:3.0f}% {progress_text(p.downloaded, p.total, p.speed, p.eta)}",
                  file=self.stream, flush=True)

    def say(self, text: str) -> None:
        print(("\r\033[K" if self.tty else "") + text, file=self.stream, flush=True)


def models_dir_of(args: argparse.Namespace):
    """The models folder the settings name (else the data folder's), as the window uses it."""
    return models_folder(args.paths, args.settings)


def run_download(args: argparse.Namespace) -> int:
    remotes, entry = wanted_files(args)
    model_id = entry.id if entry else None
    models_dir = models_dir_of(args)
    if not confirm_size(args, remotes, entry, ModelInventory(models_dir)):
        return 1
    # without --token, huggingface_hub sends its own: HF_TOKEN, else the one `hf auth login` saved
    queue = DownloadQueue(models_dir, args.paths.downloads, token=args.token or None, max_active=1)
    bar = ProgressBar()
    queue.subscribe(bar.on_event)
    for i, remote in enumerate(remotes, start=1):
        bar.label = remote.basename if len(remotes) == 1 else f"{remote.basename} ({i}/{len(remotes)})"
        try:
            queue.add(remote, model_id=model_id)
            job = queue.wait(remote.key)
        except KeyboardInterrupt:
            queue.pause(remote.key)
            bar.say("Pausing the download…")
            job = queue.wait(remote.key)
            # The pause is only seen between two blocks: the last ones may have arrived first,
            # and then the file is verified and installed. Say what happened, not what was asked.
            if job is None or job.state != JobState.FINISHED:
                kept = size_text(job.downloaded if job else 0)
                bar.say(f"Paused with {kept} kept: run the same command to resume.")
                return 130
            bar.say(f"{bar.label}: installed (it had finished before the pause)")
            if i < len(remotes):
                bar.say("Paused before the next part: run the same command to download the rest.")
                return 130
            continue
        if job.state != JobState.FINISHED:
            if bar.tty:
                bar.say("")  # end the progress line
            raise job.error or LocalChatError(f"The download of {remote.basename} stopped.")
        bar.say(f"{bar.label}: installed")
    print(queue.job(remotes[0].key).path)
    return 0


# -- verify ------------------------------------------------------------------------------------------
def add_verify(actions: argparse._SubParsersAction) -> None:
    p = actions.add_parser("verify", help="check installed models against their recorded sha256",
                           description="Hash installed models and compare with the checksum recorded "
                           "when they were installed (files added by hand: check that they are "
                           "complete GGUF files). Exit status 1 if any is damaged.")
    p.add_argument("model", nargs="?", metavar="ID", help="one model (catalog id, name or file); default: all")
    p.set_defaults(func=run_verify)


def installed_models(args: argparse.Namespace) -> tuple[ModelInventory, list[InstalledModel]]:
    inventory = ModelInventory(models_dir_of(args))
    if args.model is None:
        return inventory, inventory.scan()
    model = inventory.find(args.model)
    if model is None:
        raise ModelNotFoundError(f"No installed model is called \"{args.model}\".",
                                 "Use a catalog id, a file name or OWNER/REPO/FILE; `localchat models "
                                 "verify` with no name checks them all.")
    return inventory, [model]


def run_verify(args: argparse.Namespace) -> int:
    inventory, models = installed_models(args)
    if not models:
        print(f"No models are installed in {inventory.models_dir}.")
        return 0
    damaged = 0
    for model in models:
        try:
            detail = inventory.verify(model)
        except LocalChatError as exc:
            damaged += 1
            print(f"DAMAGED  {model.name}: {exc}")
        else:
            print(f"ok       {model.name} ({size_text(model.size_on_disk)}, {model.source_text})")
            for line in detail.splitlines():
                print(f"           {line}")
    return 1 if damaged else 0


# -- rm ----------------------------------------------------------------------------------------------
def add_rm(actions: argparse._SubParsersAction) -> None:
    p = actions.add_parser("rm", help="delete an installed model")
    p.add_argument("model", metavar="ID", help="catalog id, name or file of the installed model")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask")
    p.set_defaults(func=run_rm)


def run_rm(args: argparse.Namespace) -> int:
    inventory, (model,) = installed_models(args)
    question = f"Delete {model.name} ({size_text(model.size_on_disk)}, {len(model.parts)} file(s))?"
    if not args.yes:
        if not sys.stdin.isatty():
            print(f"localchat: {question} Add --yes to delete without asking.", file=sys.stderr)
            return 1
        if input(f"{question} [y/N] ").strip().lower() not in ("y", "yes"):
            return 1
    inventory.remove(model)
    print(f"Deleted {model.name}.")
    return 0


ACTIONS = (add_download, add_verify, add_rm)
