"""``localchat models update``: a signed catalog from a local server, what changed, refusals."""

import copy
import json
import shutil

import pytest

from localchat.cli.main import main
from localchat.core.models import catalog_update as cu
from localchat.core.models.catalog import load_catalog, shipped_catalog_text
from localchat.core.models.inventory import InstallRecord, ModelInventory, now_iso
from tests.catalog_server import SIGNER, Signer, catalog_bytes

RAW = json.loads(shipped_catalog_text())["models"]

pytestmark = pytest.mark.usefixtures("trust_the_test_key")


@pytest.fixture
def server(catalog_server):
    return catalog_server


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LOCALCHAT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv(cu.ENV_CATALOG_URL, raising=False)

    def call(*args):
        code = main(["models", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return call


def updated() -> list[dict]:
    models = copy.deepcopy([RAW[0], *RAW[2:]])
    models[0]["defaults"]["context"] = 4096
    added = copy.deepcopy(RAW[0])
    added.update(id="tiny-new-chat-q4_0", name="Tiny New Chat")
    added["file"].update(filename="tiny-new-chat-q4_0.gguf", sha256="ab" * 32)
    return [*models, added]


def publish(server, models, published="2030-01-01T00:00:00+00:00", signer=SIGNER):
    data = catalog_bytes(models, published)
    server.publish(data, signer.sign(data))


def test_update_prints_what_was_added_removed_and_changed(run, server, tmp_path, tiny_model):
    # a model installed from the entry the update removes: said to stay installed
    gone = RAW[1]
    models_dir = tmp_path / "data" / "models"
    models_dir.mkdir(parents=True)
    shutil.copyfile(tiny_model, models_dir / gone["file"]["filename"])
    ModelInventory(models_dir).save_record(InstallRecord(
        filename=gone["file"]["filename"], size=tiny_model.stat().st_size, sha256=None,
        installed_at=now_iso(), model_id=gone["id"]))
    publish(server, updated())

    code, out, _err = run("update", "--url", server.url())

    assert code == 0
    assert "Model catalog of 1 January 2030, downloaded from " + server.url() in out
    assert "Added (1):\n  + tiny-new-chat-q4_0  Tiny New Chat Q4_0" in out
    assert f"Removed (1):\n  - {gone['id']}" in out and "it stays installed and usable" in out
    assert f"Changed (1):\n  ~ {RAW[0]['id']}" in out and ": context" in out
    # the installed model is still there and listed by the inventory
    assert [m.model_id for m in ModelInventory(models_dir).scan()] == [gone["id"]]


def test_a_second_update_says_it_is_up_to_date(run, server):
    publish(server, updated())
    assert run("update", "--url", server.url())[0] == 0
    code, out, _ = run("update", "--url", server.url())
    assert code == 0 and out.startswith("The catalog is up to date.")
    assert server.gets()[-1].if_none_match  # asked with the ETag, answered 304


def test_a_refused_catalog_says_why_and_keeps_the_one_in_use(run, server):
    publish(server, updated(), signer=Signer(seed=7))
    code, out, err = run("update", "--url", server.url())
    assert code == 1 and out == ""
    assert "The downloaded catalog was refused: The catalog's signature does not match it" in err
    assert f"Still using the model catalog of {load_catalog().published_text}, shipped with localchat" in err
    assert "Traceback" not in err


def test_the_server_down_says_so(run):
    code, _out, err = run("update", "--url", "http://127.0.0.1:9/models.json")
    assert code == 1 and "The catalog could not be checked" in err and "Still using" in err


def test_a_plain_http_address_elsewhere_is_refused_in_a_sentence(run):
    code, _out, err = run("update", "--url", "http://example.com/models.json")
    assert code == 1 and "is not an https:// address" in err and "Traceback" not in err


def test_the_address_from_the_environment(run, server, monkeypatch):
    publish(server, updated())
    monkeypatch.setenv(cu.ENV_CATALOG_URL, server.url())
    code, out, _ = run("update")
    assert code == 0 and "Added (1)" in out


def test_updates_turned_off_say_so(run, monkeypatch):
    monkeypatch.setenv(cu.ENV_CATALOG_URL, "off")
    code, _out, err = run("update")
    assert code == 1 and "The catalog was not checked: Catalog updates are turned off" in err
