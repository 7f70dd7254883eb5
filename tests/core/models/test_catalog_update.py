"""Catalog updates over a real local HTTP(S) server: a signed catalog is adopted, every kind of bad
download is refused whole with the catalog in use kept and the reason kept, 304 keeps the cache,
and the catalog is there at once when the server is down or slow."""

import copy
import json
import logging
import ssl
import threading
from datetime import datetime, timedelta, timezone

import pytest

from localchat.core.errors import CatalogError
from localchat.core.models import catalog_update as cu
from localchat.core.models.catalog import load_catalog, parse_catalog, shipped_catalog_text
from localchat.core.models.catalog_update import (
    CatalogCache,
    CatalogOrigin,
    UpdateOutcome,
    current_catalog,
    mark_seen,
    update_catalog,
)
from tests.catalog_server import SIGNER, CatalogServer, Signer, catalog_bytes, make_ca_and_server_cert

SHIPPED = load_catalog()
RAW = json.loads(shipped_catalog_text())["models"]


def new_entry(entry_id: str = "tiny-new-chat-q4_0", **changes) -> dict:
    """An entry the shipped catalog does not have, pinned as a new file must be."""
    entry = copy.deepcopy(RAW[0])
    entry["id"] = entry_id
    entry["name"] = "Tiny New Chat"
    entry["file"].update(filename=f"{entry_id}.gguf", sha256="ab" * 32, size_bytes=773025920)
    for key, value in changes.items():
        entry[key] = value
    return entry


def first_update() -> list[dict]:
    """Drops the shipped catalog's second model, changes its first, adds one."""
    models = copy.deepcopy([RAW[0], *RAW[2:]])
    models[0]["description"] = "A new description."
    return [*models, new_entry()]

pytestmark = pytest.mark.usefixtures("trust_the_test_key")


@pytest.fixture
def server(catalog_server):
    return catalog_server


def publish(server, models, *, published="2030-01-01T00:00:00+00:00", **kwargs) -> bytes:
    data = catalog_bytes(models, published, **kwargs)
    server.publish(data, SIGNER.sign(data))
    return data


def adopt_first(server, data_paths):
    publish(server, first_update())
    result = update_catalog(data_paths, server.url())
    assert result.outcome is UpdateOutcome.ADOPTED, result.reason
    return result


# -- adopted ----------------------------------------------------------------------------------------------
def test_a_good_signed_catalog_is_adopted_and_says_what_changed(server, data_paths):
    before = current_catalog(data_paths)
    assert before.origin is CatalogOrigin.SHIPPED and before.catalog.entries == SHIPPED.entries

    result = adopt_first(server, data_paths)

    assert [e.id for e in result.changes.added] == ["tiny-new-chat-q4_0"]
    assert [e.id for e in result.changes.removed] == [RAW[1]["id"]]
    assert [(a.id, b.description) for a, b in result.changes.changed] == [(RAW[0]["id"], "A new description.")]
    # a later start (a new read of the disk) uses it, with its date and where it came from
    now = current_catalog(data_paths)
    assert now.origin is CatalogOrigin.DOWNLOADED and now.url == server.url()
    assert now.catalog.get("tiny-new-chat-q4_0") is not None and now.catalog.get(RAW[1]["id"]) is None
    assert now.catalog.published_text == "1 January 2030"
    assert "1 January 2030" in now.summary and server.url() in now.summary
    assert now.rejected is None


# -- refused ----------------------------------------------------------------------------------------------
def _byte_changed(data):
    return data.replace(b"A later description.", b"A later descriptioN."), SIGNER.sign(data)


def _wrong_key(data):
    return data, Signer(seed=2).sign(data)


def _truncated(data):
    return data[: len(data) // 2], SIGNER.sign(data)


def _signed(data):
    return data, SIGNER.sign(data)


def _later(models, **kwargs):
    return catalog_bytes(models, "2031-01-01T00:00:00+00:00", **kwargs)


def _described(models):
    models = copy.deepcopy(models)
    models[0]["description"] = "A later description."
    return models


BAD = {
    "a byte changed after signing": (lambda: _byte_changed(_later(_described(first_update()))),
                                     "signature does not match"),
    "a wrong key": (lambda: _wrong_key(_later(first_update())), "signature does not match"),
    "a truncated file": (lambda: _truncated(_later(first_update())), "signature does not match"),
    "a schema from the future": (lambda: _signed(_later(first_update(), schema=2)),
                                 "version 2 model catalog, newer than this localchat reads"),
    "an entry with a bad filename": (
        lambda: _signed(_later([*first_update(), new_entry("evil", file={
            **RAW[0]["file"], "filename": "../../evil.gguf", "sha256": "cd" * 32})])),
        "model 'evil', field 'file.filename'"),
    "a new file without its sha256": (
        lambda: _signed(_later([*first_update(), new_entry("unpinned", file={
            **RAW[0]["file"], "filename": "unpinned.gguf", "sha256": None})])),
        "'unpinned' is a new file without its sha256 and size_bytes"),
    "an older catalog (a replay)": (lambda: _signed(catalog_bytes(first_update(), "2029-01-01T00:00:00+00:00")),
                                    "is older (of 1 January 2029) than the catalog in use (of 1 January 2030)"),
    "no date": (lambda: _signed(catalog_bytes(first_update(), None)), 'has no "published" date'),
    "no model at all": (lambda: _signed(_later([])), "offers no model"),
    "a signature that is not one": (lambda: (_later(first_update()), b"not a signature\n"),
                                    "not an Ed25519 signature"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_bad_download_is_refused_whole_and_the_catalog_in_use_is_kept(case, server, data_paths, caplog):
    adopt_first(server, data_paths)
    kept = current_catalog(data_paths).catalog
    make, reason = BAD[case]
    data, signature = make()
    server.publish(data, signature)

    with caplog.at_level(logging.WARNING, logger="localchat"):
        result = update_catalog(data_paths, server.url(), force=True)

    assert result.outcome is UpdateOutcome.REJECTED
    assert reason in result.reason
    assert reason in caplog.text  # in the log
    now = current_catalog(data_paths)
    assert now.catalog.entries == kept.entries and now.origin is CatalogOrigin.DOWNLOADED
    assert reason in now.rejected  # kept for the Model Manager, also after a restart


def test_a_catalog_without_a_signature_is_refused(server, data_paths):
    server.publish(catalog_bytes(first_update()), None)
    result = update_catalog(data_paths, server.url())
    assert result.outcome is UpdateOutcome.REJECTED and "has no signature" in result.reason
    assert current_catalog(data_paths).catalog.entries == SHIPPED.entries


def test_the_next_good_catalog_clears_the_refusal(server, data_paths):
    server.publish(*_wrong_key(_later(first_update())))
    assert update_catalog(data_paths, server.url()).outcome is UpdateOutcome.REJECTED
    assert current_catalog(data_paths).rejected
    adopt_first(server, data_paths)
    assert current_catalog(data_paths).rejected is None


def test_a_cached_catalog_changed_on_disk_is_not_used(server, data_paths, caplog):
    adopt_first(server, data_paths)
    cache = CatalogCache.of(data_paths)
    cache.catalog_file.write_bytes(cache.catalog_file.read_bytes().replace(b"Tiny New Chat", b"Tiny Evil Chat"))
    with caplog.at_level(logging.WARNING, logger="localchat"):
        state = current_catalog(data_paths)
    assert state.origin is CatalogOrigin.SHIPPED and state.catalog.entries == SHIPPED.entries
    assert "not usable" in caplog.text


# -- ETag, time to live -----------------------------------------------------------------------------------
def test_not_modified_keeps_the_cache(server, data_paths):
    adopt_first(server, data_paths)
    cached = CatalogCache.of(data_paths).catalog_file.read_bytes()

    result = update_catalog(data_paths, server.url(), force=True)

    assert result.outcome is UpdateOutcome.UNCHANGED and not result.changes
    first, second = server.gets()
    assert first.if_none_match is None and second.if_none_match  # the second asked with the ETag
    assert len(server.gets("/models.json.sig")) == 1  # a 304 needs no signature
    assert CatalogCache.of(data_paths).catalog_file.read_bytes() == cached
    assert current_catalog(data_paths).catalog.get("tiny-new-chat-q4_0") is not None


def test_the_server_is_asked_at_most_every_twelve_hours(server, data_paths):
    adopt_first(server, data_paths)
    soon = datetime.now(timezone.utc) + timedelta(hours=11)
    assert update_catalog(data_paths, server.url(), now=soon).outcome is UpdateOutcome.FRESH
    assert len(server.gets()) == 1
    later = datetime.now(timezone.utc) + timedelta(hours=13)
    assert update_catalog(data_paths, server.url(), now=later).outcome is UpdateOutcome.UNCHANGED
    assert len(server.gets()) == 2


# -- offline ------------------------------------------------------------------------------------------------
def test_the_server_down_at_start_leaves_the_shipped_catalog(data_paths):
    result = update_catalog(data_paths, "http://127.0.0.1:9/models.json")  # nothing listens on port 9
    assert result.outcome is UpdateOutcome.UNREACHABLE and "could not be reached" in result.reason
    state = current_catalog(data_paths)
    assert state.origin is CatalogOrigin.SHIPPED and len(state.catalog) == len(SHIPPED) > 0


def test_a_hanging_server_does_not_keep_the_cached_catalog_waiting(server, data_paths):
    adopt_first(server, data_paths)
    server.hold()
    results = []
    refresh = threading.Thread(target=lambda: results.append(update_catalog(data_paths, server.url(), force=True)))
    refresh.start()
    try:
        assert server.arrived.wait(30)  # the refresh is waiting on the server...
        state = current_catalog(data_paths)  # ...and the catalog is there all the same
        assert state.origin is CatalogOrigin.DOWNLOADED and state.catalog.get("tiny-new-chat-q4_0")
        assert not results
    finally:
        server.release()
        refresh.join(30)
    assert results[0].outcome is UpdateOutcome.UNCHANGED


def test_the_server_answering_an_error_keeps_the_catalog(server, data_paths):
    result = update_catalog(data_paths, server.url("/missing.json"))
    assert result.outcome is UpdateOutcome.UNREACHABLE and "HTTP 404" in result.reason


def test_a_download_older_than_the_shipped_catalog_is_refused(server, data_paths):
    publish(server, first_update(), published="2020-01-01T00:00:00+00:00")
    result = update_catalog(data_paths, server.url())
    assert result.outcome is UpdateOutcome.REJECTED and "is older" in result.reason
    assert current_catalog(data_paths).origin is CatalogOrigin.SHIPPED


def test_a_newer_shipped_catalog_wins_over_an_older_download(server, data_paths):
    """After an upgrade, the app's own catalog is newer than the last download: it is used."""
    adopt_first(server, data_paths)
    upgraded = parse_catalog(catalog_bytes(RAW, "2031-01-01T00:00:00+00:00").decode())
    state = current_catalog(data_paths, shipped=upgraded)
    assert state.origin is CatalogOrigin.SHIPPED and state.catalog.published_text == "1 January 2031"


# -- TLS ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    return make_ca_and_server_cert(tmp_path_factory.mktemp("tls"))


def test_https_with_the_servers_ca_as_trust_store(certificates, data_paths):
    ca, cert, key = certificates
    server = CatalogServer(tls=(cert, key))
    try:
        publish(server, first_update())
        trust = ssl.create_default_context(cafile=str(ca))
        result = update_catalog(data_paths, server.url(), verify=trust)
        assert result.outcome is UpdateOutcome.ADOPTED, result.reason
    finally:
        server.stop()


def test_https_to_a_certificate_nobody_vouches_for_is_refused(certificates, data_paths):
    """The default trust store does not know the test CA: verification is on."""
    _ca, cert, key = certificates
    server = CatalogServer(tls=(cert, key))
    try:
        publish(server, first_update())
        result = update_catalog(data_paths, server.url())
        assert result.outcome is UpdateOutcome.UNREACHABLE
        assert "certificate" in result.reason.lower()
        assert current_catalog(data_paths).origin is CatalogOrigin.SHIPPED
    finally:
        server.stop()


def test_a_redirect_is_followed_and_the_signature_is_next_to_the_file_it_leads_to(server, data_paths):
    publish(server, first_update())
    server.redirects["/latest.json"] = server.url()
    result = update_catalog(data_paths, server.url("/latest.json"))
    assert result.outcome is UpdateOutcome.ADOPTED, result.reason
    assert [r.path for r in server.requests] == ["/latest.json", "/models.json", "/models.json.sig"]


def test_a_redirect_to_plain_http_elsewhere_is_not_followed(server, data_paths):
    server.redirects["/models.json"] = "http://catalog.example.invalid/models.json"
    result = update_catalog(data_paths, server.url())
    assert result.outcome is UpdateOutcome.UNREACHABLE
    assert "redirected to http://catalog.example.invalid/models.json, which is not an https://" in result.reason
    assert current_catalog(data_paths).origin is CatalogOrigin.SHIPPED


@pytest.mark.parametrize("url", ["http://example.com/models.json", "ftp://127.0.0.1/models.json", "models.json"])
def test_an_address_that_is_not_https_is_refused(url, data_paths):
    with pytest.raises(CatalogError, match="not an https:// address"):
        update_catalog(data_paths, url)


def test_the_address_comes_from_the_environment(monkeypatch, server, data_paths):
    publish(server, first_update())
    monkeypatch.setenv(cu.ENV_CATALOG_URL, server.url())
    assert update_catalog(data_paths).outcome is UpdateOutcome.ADOPTED
    monkeypatch.delenv(cu.ENV_CATALOG_URL)
    assert cu.catalog_url() == cu.DEFAULT_CATALOG_URL


def test_updates_can_be_turned_off(monkeypatch, server, data_paths):
    publish(server, first_update())
    monkeypatch.setenv(cu.ENV_CATALOG_URL, "off")
    result = update_catalog(data_paths, force=True)
    assert result.outcome is UpdateOutcome.OFF and "turned off" in result.reason
    assert server.requests == [] and result.state.origin is CatalogOrigin.SHIPPED


# -- versions, new models ------------------------------------------------------------------------------
def test_entries_for_other_app_versions_are_hidden(server, data_paths):
    models = [*first_update(), new_entry("future-chat", min_app_version="9.0"),
              new_entry("retired-chat", removed_in="0.1.0")]
    publish(server, models)
    result = update_catalog(data_paths, server.url(), app_version="0.1.0")
    assert result.outcome is UpdateOutcome.ADOPTED
    ids = {e.id for e in result.state.catalog}
    assert "future-chat" not in ids and "retired-chat" not in ids and "tiny-new-chat-q4_0" in ids
    assert {e.id for e in result.changes.added} == {"tiny-new-chat-q4_0"}
    # the same download, read by a newer app, offers the entry meant for it
    assert current_catalog(data_paths, app_version="9.1").catalog.get("future-chat") is not None


def test_new_models_since_the_person_last_looked(server, data_paths):
    assert current_catalog(data_paths).new_ids == frozenset()  # the shipped ones are not news
    adopt_first(server, data_paths)
    state = current_catalog(data_paths)
    assert state.new_ids == {"tiny-new-chat-q4_0"} and [e.id for e in state.new_entries] == ["tiny-new-chat-q4_0"]
    mark_seen(data_paths, state.catalog)
    assert current_catalog(data_paths).new_ids == frozenset()


def test_an_installed_model_whose_entry_left_the_catalog_stays_usable(server, data_paths, tiny_model):
    """A model installed from an entry the next catalog drops is still listed, keeps its
    defaults from the file, and loads in llama.cpp."""
    import shutil

    from localchat.core.inference.engine import Engine
    from localchat.core.models.defaults import model_defaults
    from localchat.core.models.inventory import InstallRecord, ModelInventory, now_iso

    gone = RAW[1]
    inventory = ModelInventory(data_paths.models)
    target = data_paths.models / gone["file"]["filename"]
    shutil.copyfile(tiny_model, target)
    inventory.save_record(InstallRecord(filename=target.name, size=target.stat().st_size, sha256=None,
                                        installed_at=now_iso(), repo_id=gone["file"]["repo_id"],
                                        repo_filename=target.name, model_id=gone["id"]))
    catalog = adopt_first(server, data_paths).state.catalog
    assert catalog.get(gone["id"]) is None

    (installed,) = inventory.scan()
    assert installed.path == target and installed.model_id == gone["id"]
    defaults = model_defaults(target, catalog, inventory.record_for(target))
    engine = Engine()
    try:
        info = engine.load(target, n_ctx=defaults.context_for(0))
        assert info.n_ctx > 0
    finally:
        engine.close()
