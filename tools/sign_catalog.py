"""Sign the model catalog for publishing: ``models.json`` gets its detached ``models.json.sig``.

    python tools/sign_catalog.py sign [CATALOG] [--stamp] [--key FILE]
    python tools/sign_catalog.py verify [CATALOG]
    python tools/sign_catalog.py keygen FILE

``sign`` checks the catalog as an app checks a download (every entry valid, new files pinned,
dated), optionally sets its ``published`` date to now (``--stamp``, the only bytes it changes),
signs the exact bytes with the project's Ed25519 key and checks the signature against the keys
built into localchat (``--any-key`` allows another key, for tests and key rotation). The private
key is read from ``LOCALCHAT_CATALOG_SIGNING_KEY`` (base64), else ``--key FILE``, else
``~/.config/localchat-release/catalog-signing.key``; a key file inside this repository is refused.
An entry whose file the last committed catalog does not list must pin ``sha256`` and
``size_bytes`` (apps refuse a download that adds an unpinned file).
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from localchat.core.errors import CatalogError
from localchat.core.models.catalog import Catalog, load_catalog, parse_catalog
from localchat.core.models.catalog_update import TRUSTED_KEYS, check_catalog, verify_signature

ENV_KEY = "LOCALCHAT_CATALOG_SIGNING_KEY"
DEFAULT_KEY = Path("~/.config/localchat-release/catalog-signing.key")
DEFAULT_CATALOG = ROOT / "localchat" / "data" / "models.json"
_PUBLISHED = re.compile(rb'("published"\s*:\s*)"[^"]*"')


class SigningError(Exception):
    pass


def signing_key(key_file: str | None):
    from nacl.signing import SigningKey

    if os.environ.get(ENV_KEY):
        text, where = os.environ[ENV_KEY], ENV_KEY
    else:
        path = Path(key_file or DEFAULT_KEY).expanduser().resolve()
        if path.is_relative_to(ROOT):
            raise SigningError(f"{path} is inside the repository; keep the signing key outside it.")
        try:
            text, where = path.read_text(encoding="ascii"), str(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise SigningError(f"the signing key cannot be read: {exc}. Set {ENV_KEY} or give --key.") from None
    try:
        seed = base64.b64decode(text.strip(), validate=True)
        return SigningKey(seed)
    except ValueError:
        raise SigningError(f"{where} does not hold a base64 Ed25519 key (32 bytes).") from None


def public_key(key) -> str:
    return base64.b64encode(bytes(key.verify_key)).decode()


def stamp(data: bytes, now: datetime) -> bytes:
    """``data`` with its ``published`` date set to ``now``, every other byte kept."""
    value = now.astimezone(timezone.utc).replace(microsecond=0).isoformat().encode()
    stamped, count = _PUBLISHED.subn(lambda m: m.group(1) + b'"' + value + b'"', data, count=1)
    if count != 1:
        raise SigningError('the catalog has no "published" field to stamp; add one after "schema".')
    return stamped


def baseline(path: Path, given: str | None) -> Catalog:
    """The files apps already know without a pinned sha256 and size: those of ``given``, else of
    the catalog as last committed (an entry added since must pin both), else of the file itself."""
    if given:
        return load_catalog(given)
    try:
        rel = path.resolve().relative_to(ROOT).as_posix()
        text = subprocess.run(["git", "-C", str(ROOT), "show", f"HEAD:{rel}"], capture_output=True,
                              check=True, text=True).stdout
        return parse_catalog(text, source=f"HEAD:{rel}")
    except (ValueError, OSError, subprocess.CalledProcessError, CatalogError):
        return load_catalog(path)


def run_sign(args) -> int:
    path = Path(args.catalog)
    data = path.read_bytes()
    if args.stamp:
        data = stamp(data, datetime.now(timezone.utc))
    try:
        catalog = check_catalog(data, in_use=None, shipped=baseline(path, args.baseline), source=path.name)
    except CatalogError as exc:
        raise SigningError(f"{exc.message} Nothing was signed.") from None
    key = signing_key(args.key)
    if public_key(key) not in TRUSTED_KEYS and not args.any_key:
        raise SigningError(f"the key {public_key(key)} is not one localchat trusts (TRUSTED_KEYS in "
                           "localchat/core/models/catalog_update.py); apps would refuse this catalog.")
    signature = base64.b64encode(key.sign(data).signature) + b"\n"
    verify_signature(data, signature, (public_key(key),))
    if args.stamp:
        path.write_bytes(data)
    sig = path.with_name(path.name + ".sig")
    sig.write_bytes(signature)
    print(f"signed {path} ({len(catalog)} models, published {catalog.published.isoformat()}): {sig}")
    return 0


def run_verify(args) -> int:
    path = Path(args.catalog)
    data = path.read_bytes()
    try:
        verify_signature(data, path.with_name(path.name + ".sig").read_bytes())
    except FileNotFoundError:
        raise SigningError(f"{path}.sig is missing.") from None
    except CatalogError as exc:
        raise SigningError(exc.message) from None
    print(f"{path}: the signature verifies with a key localchat trusts")
    return 0


def run_keygen(args) -> int:
    from nacl.signing import SigningKey

    path = Path(args.file).expanduser().resolve()
    if path.is_relative_to(ROOT):
        raise SigningError(f"{path} is inside the repository; keep the signing key outside it.")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = SigningKey.generate()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise SigningError(f"{path} exists; a key is never overwritten.") from None
    with os.fdopen(fd, "wb") as f:
        f.write(base64.b64encode(bytes(key)) + b"\n")
    print(f"private key: {path}\npublic key (add it to TRUSTED_KEYS): {public_key(key)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sign_catalog", description=__doc__.split("\n\n")[0])
    actions = parser.add_subparsers(dest="action", required=True)
    p = actions.add_parser("sign", help="check and sign a catalog (writes CATALOG.sig)")
    p.add_argument("catalog", nargs="?", default=str(DEFAULT_CATALOG))
    p.add_argument("--stamp", action="store_true", help="set its \"published\" date to now first")
    p.add_argument("--key", metavar="FILE", help=f"the private key (default: {ENV_KEY}, else {DEFAULT_KEY})")
    p.add_argument("--any-key", action="store_true", help="allow a key localchat does not trust")
    p.add_argument("--baseline", metavar="FILE", help="the catalog whose files need no pinned sha256 "
                   "and size (default: the file as last committed)")
    p.set_defaults(func=run_sign)
    p = actions.add_parser("verify", help="check CATALOG.sig against the keys localchat trusts")
    p.add_argument("catalog", nargs="?", default=str(DEFAULT_CATALOG))
    p.set_defaults(func=run_verify)
    p = actions.add_parser("keygen", help="write a new private key to FILE; print its public key")
    p.add_argument("file")
    p.set_defaults(func=run_keygen)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (SigningError, OSError) as exc:
        print(f"sign_catalog: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
