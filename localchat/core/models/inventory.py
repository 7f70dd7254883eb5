"""The models folder: what is installed, where each model came from, and its checks.

Each installed file has an install record (source repo, revision, sha256, size, date, last use)
in ``<models>/.localchat/<file>.json``: one small file per model, written atomically, so two
processes (the window and the CLI) never lose each other's records. A ``.gguf`` file that has no
record was dropped into the folder by hand and is listed as sideloaded.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import shutil
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timezone
from pathlib import Path

from localchat.core.downloads.checksums import BLOCK, Progress, hash_file
from localchat.core.downloads.hub import check_file_name, split_part
from localchat.core.errors import ModelFileError, ModelNotFoundError, UnsafeFileNameError, VerificationError

log = logging.getLogger(__name__)

RECORDS_DIR = ".localchat"
SOURCE_HUB = "huggingface"
SOURCE_LOCAL = "local file"
SOURCE_SIDELOADED = "sideloaded"
_MAX_INSTALLED_NAME = 245  # with ".json", its record's name still fits in 255 bytes


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class InstallRecord:
    filename: str  # the file's name in the models folder
    size: int
    sha256: str | None
    installed_at: str
    source: str = SOURCE_HUB
    repo_id: str | None = None
    repo_filename: str | None = None
    revision: str | None = None
    commit: str | None = None
    model_id: str | None = None  # the catalog entry it was installed for
    verified: bool = False  # the sha256 was checked against the catalog's or the Hub's
    last_used: str | None = None
    original_path: str | None = None

    @classmethod
    def from_json(cls, text: str) -> "InstallRecord":
        raw = json.loads(text)
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known})

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @property
    def source_text(self) -> str:
        if self.source == SOURCE_HUB and self.repo_id:
            return f"Hugging Face: {self.repo_id}"
        return self.source


@dataclass(frozen=True)
class InstalledModel:
    path: Path  # the file llama.cpp opens (the first part of a split model)
    parts: tuple[Path, ...]
    size_on_disk: int
    record: InstallRecord | None

    @property
    def name(self) -> str:
        split = split_part(self.path.name)
        return split[0] if split else self.path.stem

    @property
    def sideloaded(self) -> bool:
        return self.record is None or self.record.source == SOURCE_SIDELOADED

    @property
    def source_text(self) -> str:
        return "added by hand (sideloaded)" if self.sideloaded else self.record.source_text

    @property
    def last_used(self) -> str | None:
        return self.record.last_used if self.record else None

    @property
    def model_id(self) -> str | None:
        return self.record.model_id if self.record else None


class ModelInventory:
    """The models folder as a list of InstalledModel. Disk work: keep it off the GUI thread."""

    def __init__(self, models_dir: Path):
        self.models_dir = Path(models_dir)
        self.records_dir = self.models_dir / RECORDS_DIR

    # -- records --------------------------------------------------------------------------------
    def _record_path(self, filename: str) -> Path:
        return self.records_dir / f"{filename}.json"

    def record_for(self, path: Path) -> InstallRecord | None:
        target = self._record_path(Path(path).name)
        try:
            return InstallRecord.from_json(target.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError) as exc:
            log.warning("install record %s is damaged (%s); the model shows as sideloaded", target, exc)
            return None

    def save_record(self, record: InstallRecord) -> None:
        self.records_dir.mkdir(parents=True, exist_ok=True)
        target = self._record_path(record.filename)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        tmp.write_text(record.to_json(), encoding="utf-8")
        os.replace(tmp, target)

    # -- the folder -----------------------------------------------------------------------------
    def scan(self) -> list[InstalledModel]:
        if not self.models_dir.is_dir():
            return []
        files = sorted(p for p in self.models_dir.glob("*.gguf") if p.is_file())
        groups: dict[str, list[Path]] = {}
        for path in files:
            split = split_part(path.name)
            groups.setdefault(f"{split[0]}/{split[2]}" if split else path.name, []).append(path)
        models = []
        for parts in groups.values():
            parts.sort()
            size = sum(p.stat().st_size for p in parts)
            models.append(InstalledModel(parts[0], tuple(parts), size, self.record_for(parts[0])))
        return sorted(models, key=lambda m: m.name.lower())

    def find(self, ident: str) -> InstalledModel | None:
        """By catalog id, file name, name, ``repo/file`` or path."""
        for model in self.scan():
            rec = model.record
            names = {model.name, model.path.name, str(model.path)}
            if rec:
                names |= {rec.model_id, f"{rec.repo_id}/{rec.repo_filename}"}
            if ident in names:
                return model
        return None

    def installed_download(self, repo_id: str, repo_filename: str, sha256: str | None) -> Path | None:
        """The file already installed from ``repo_id``/``repo_filename`` (with that checksum)."""
        for rec_path in self.records_dir.glob("*.json") if self.records_dir.is_dir() else ():
            rec = self.record_for(self.models_dir / rec_path.name[:-5])
            if (rec and Path(rec.filename).name == rec.filename and rec.repo_id == repo_id and rec.repo_filename == repo_filename
                    and (sha256 is None or rec.sha256 == sha256)
                    and (self.models_dir / rec.filename).is_file()):
                return self.models_dir / rec.filename
        return None

    def mark_used(self, path: Path) -> None:
        """Remember that a model was loaded (the Installed tab shows it)."""
        path = Path(path)
        rec = self.record_for(path) or InstallRecord(
            path.name, path.stat().st_size, None, now_iso(), source=SOURCE_SIDELOADED)
        self.save_record(replace(rec, last_used=now_iso()))

    def remove(self, model: InstalledModel) -> None:
        for part in model.parts:
            part.unlink(missing_ok=True)
            self._record_path(part.name).unlink(missing_ok=True)

    # -- bringing files in ----------------------------------------------------------------------
    def target_for(self, basename: str, repo_id: str) -> Path:
        """Where a download goes: its own name, or prefixed with its repo if that is taken.
        Raises UnsafeFileNameError for a name that is not one plain file in this folder."""
        check_file_name(basename)
        target = self.models_dir / basename
        if target.exists():
            prefix = repo_id.replace("/", "--")
            if len(f"{prefix}--{basename}".encode()) > _MAX_INSTALLED_NAME:
                prefix = hashlib.sha256(repo_id.encode()).hexdigest()[:8]
            target = self.models_dir / f"{prefix}--{basename}"
        return self._inside(target)

    def _inside(self, target: Path) -> Path:
        """``target``, refused unless it is a file directly in the models folder, whatever its
        name says (the last guard: names from the Hub were checked when they came in)."""
        check_file_name(target.name, max_bytes=_MAX_INSTALLED_NAME)
        if target.parent != self.models_dir and (
                os.path.normcase(os.path.abspath(target.parent))
                != os.path.normcase(os.path.abspath(self.models_dir))):
            raise UnsafeFileNameError(f"{target} is not in the models folder {self.models_dir}.",
                                      "Nothing was installed; pick another file.")
        if not target.name.lower().endswith(".gguf"):
            raise UnsafeFileNameError(f"{target.name} is not a .gguf file name; nothing was installed.",
                                      "Pick another file.")
        return target

    def install(self, partial: Path, target: Path, record: InstallRecord) -> Path:
        """Move a verified file into the folder (atomically) with its record."""
        target = self._inside(Path(target))
        self.models_dir.mkdir(parents=True, exist_ok=True)
        # the record first: a crash between the two leaves a record without a file (ignored),
        # never a file that looks sideloaded
        self.save_record(replace(record, filename=target.name))
        move_atomically(partial, target)
        return target

    def import_file(self, source: Path, *, progress: Progress | None = None) -> InstalledModel:
        """Add a GGUF file from elsewhere: a hard link when the disk allows, else a copy."""
        from localchat.core.models.gguf import read_local

        source = Path(source)
        read_local(source)  # refuses a file that is not GGUF or is incomplete, with its reason
        target = self.models_dir / source.name
        if target.exists():
            if target.samefile(source):
                raise ModelFileError(f"{source.name} is already in the models folder.")
            raise ModelFileError(f"A model named {source.name} is already installed.",
                                 "Rename the file, or delete the installed one first.")
        self.models_dir.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
            sha = hash_file(target, progress=progress)
        except OSError:
            sha = _copy_hashing(source, target, progress)
        record = InstallRecord(target.name, target.stat().st_size, sha, now_iso(),
                               source=SOURCE_LOCAL, original_path=str(source))
        self.save_record(record)
        return InstalledModel(target, (target,), record.size, record)

    def verify(self, model: InstalledModel, *, progress: Progress | None = None) -> str:
        """Check every part against its record (sha256 and size) or, without one, its header.

        Returns what was checked; raises VerificationError or a ModelFileError."""
        from localchat.core.models.gguf import read_local

        checked = []
        for part in model.parts:
            if not part.is_file():
                raise ModelNotFoundError(f"{part.name} is missing from the models folder.")
            rec = self.record_for(part)
            read_local(part)
            if rec is None or not rec.sha256:
                checked.append(f"{part.name}: complete GGUF file (no checksum known)")
                continue
            size = part.stat().st_size
            if size != rec.size or hash_file(part, progress=progress) != rec.sha256:
                raise VerificationError(
                    f"{part.name} is damaged: it no longer matches the checksum recorded when it "
                    "was installed.", "Delete it and download it again.")
            checked.append(f"{part.name}: sha256 {rec.sha256[:12]}… matches")
        return "\n".join(checked)


def _copy_hashing(source: Path, target: Path, progress: Progress | None) -> str:
    tmp = target.with_name(f".{target.name}.importing")
    h = hashlib.sha256()
    total, done = source.stat().st_size, 0
    try:
        with open(source, "rb") as src, open(tmp, "wb") as dst:
            for block in iter(lambda: src.read(BLOCK), b""):
                dst.write(block)
                h.update(block)
                done += len(block)
                if progress:
                    progress(done, total)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return h.hexdigest()


def move_atomically(src: Path, dst: Path) -> None:
    """Rename ``src`` to ``dst``; across disks, copy beside ``dst`` first, then rename."""
    try:
        os.replace(src, dst)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    tmp = dst.with_name(f".{dst.name}.moving")
    try:
        shutil.copyfile(src, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)
    src.unlink()
