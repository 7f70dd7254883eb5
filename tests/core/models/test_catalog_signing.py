"""tools/sign_catalog.py, the maintainers' signing command: what it signs, apps accept; what apps
would refuse, it refuses to sign; the key stays outside the repository."""

import base64
import copy
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from localchat.core.models.catalog import load_catalog, shipped_catalog_text
from localchat.core.models.catalog_update import check_download, verify_signature

ROOT = Path(__file__).resolve().parents[3]
TOOL = ROOT / "tools" / "sign_catalog.py"
RAW = json.loads(shipped_catalog_text())


def tool(*args, key: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "LOCALCHAT_CATALOG_SIGNING_KEY"}
    if key is not None:
        env["LOCALCHAT_CATALOG_SIGNING_KEY"] = key
    return subprocess.run([sys.executable, str(TOOL), *args], check=False, capture_output=True, text=True, env=env,
                          cwd=cwd or ROOT, timeout=120)


@pytest.fixture(scope="module")
def key_pair(tmp_path_factory) -> tuple[Path, str, str]:
    """(private key file, its base64 text, the public key) from the tool's keygen."""
    path = tmp_path_factory.mktemp("release") / "catalog-signing.key"
    done = tool("keygen", str(path))
    assert done.returncode == 0, done.stderr
    public = done.stdout.split("public key (add it to TRUSTED_KEYS): ")[1].strip()
    return path, path.read_text().strip(), public


def write_catalog(folder: Path, models=None, published="2031-01-01T00:00:00+00:00") -> Path:
    data = copy.deepcopy(RAW)
    data["published"] = published
    if models is not None:
        data["models"] = models
    path = folder / "models.json"
    path.write_text(json.dumps(data, indent=2))
    return path


def test_keygen_keeps_the_private_key_to_its_owner(key_pair):
    path, _text, public = key_pair
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(base64.b64decode(public)) == 32
    again = tool("keygen", str(path))
    assert again.returncode == 1 and "never overwritten" in again.stderr


def test_what_it_signs_an_app_accepts(tmp_path, key_pair):
    key_file, _text, public = key_pair
    catalog = write_catalog(tmp_path)
    done = tool("sign", str(catalog), "--key", str(key_file), "--any-key")
    assert done.returncode == 0, done.stderr
    data, signature = catalog.read_bytes(), (tmp_path / "models.json.sig").read_bytes()
    verify_signature(data, signature, (public,))
    accepted = check_download(data, signature, in_use=load_catalog(), shipped=load_catalog(),
                              source="models.json", keys=(public,))
    assert len(accepted) == len(RAW["models"])


def test_the_key_may_come_from_the_environment_and_stamp_sets_only_the_date(tmp_path, key_pair):
    _file, text, public = key_pair
    catalog = write_catalog(tmp_path, published="2000-01-01T00:00:00+00:00")
    before = catalog.read_bytes()
    done = tool("sign", str(catalog), "--stamp", "--any-key", key=text)
    assert done.returncode == 0, done.stderr
    after = catalog.read_bytes()
    assert b"2000-01-01" not in after and len(after) == len(before)
    assert after.replace(json.loads(after)["published"].encode(), b"2000-01-01T00:00:00+00:00") == before
    verify_signature(after, (tmp_path / "models.json.sig").read_bytes(), (public,))


def test_a_key_the_apps_do_not_trust_is_refused_without_any_key(tmp_path, key_pair):
    _file, text, _public = key_pair
    catalog = write_catalog(tmp_path)
    done = tool("sign", str(catalog), key=text)
    assert done.returncode == 1 and "not one localchat trusts" in done.stderr
    assert not (tmp_path / "models.json.sig").exists()


def test_a_catalog_apps_would_refuse_is_not_signed(tmp_path, key_pair):
    _file, text, _public = key_pair
    models = copy.deepcopy(RAW["models"])
    models[0]["file"]["filename"] = "../evil.gguf"
    done = tool("sign", str(write_catalog(tmp_path, models)), "--any-key", key=text)
    assert done.returncode == 1 and "file.filename" in done.stderr and "Nothing was signed" in done.stderr
    assert not (tmp_path / "models.json.sig").exists()


def test_a_new_file_must_be_pinned(tmp_path, key_pair):
    _file, text, _public = key_pair
    baseline = write_catalog(tmp_path)
    added = copy.deepcopy(RAW["models"][0])
    added.update(id="added-model")
    added["file"].update(filename="added.gguf", sha256=None)
    (tmp_path / "new").mkdir()
    catalog = write_catalog(tmp_path / "new", [*RAW["models"], added])
    done = tool("sign", str(catalog), "--baseline", str(baseline), "--any-key", key=text)
    assert done.returncode == 1 and "'added-model' is a new file without its sha256" in done.stderr


def test_a_key_file_inside_the_repository_is_refused(tmp_path):
    done = tool("sign", str(write_catalog(tmp_path)), "--key", str(ROOT / "catalog-signing.key"))
    assert done.returncode == 1 and "inside the repository" in done.stderr
    assert not (ROOT / "catalog-signing.key").exists()


def test_verify_checks_the_shipped_catalog_against_the_built_in_key():
    done = tool("verify")
    assert done.returncode == 0, done.stderr
