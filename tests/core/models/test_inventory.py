"""The models folder: install records, sideloaded files, verify, delete, import."""

from __future__ import annotations

import shutil

import pytest

from localchat.core.downloads.checksums import hash_file
from localchat.core.errors import ModelFileError, NotAGGUFError, VerificationError
from localchat.core.models.inventory import SOURCE_LOCAL, InstallRecord, ModelInventory, now_iso


@pytest.fixture
def inventory(data_paths) -> ModelInventory:
    return ModelInventory(data_paths.models)


def install_copy(inventory: ModelInventory, source, name: str, **record) -> None:
    target = inventory.models_dir / name
    shutil.copyfile(source, target)
    inventory.save_record(InstallRecord(name, target.stat().st_size, hash_file(target), now_iso(),
                                        repo_id="acme/Tiny-GGUF", repo_filename=name, verified=True,
                                        **record))


def test_a_gguf_dropped_in_by_hand_is_listed_as_sideloaded(inventory, tiny_model):
    shutil.copyfile(tiny_model, inventory.models_dir / "mine.gguf")
    install_copy(inventory, tiny_model, "downloaded.gguf", model_id="tiny-chat")
    (inventory.models_dir / "notes.txt").write_text("not a model")

    models = {m.path.name: m for m in inventory.scan()}
    assert set(models) == {"mine.gguf", "downloaded.gguf"}
    assert models["mine.gguf"].sideloaded and "sideloaded" in models["mine.gguf"].source_text
    assert not models["downloaded.gguf"].sideloaded
    assert models["downloaded.gguf"].source_text == "Hugging Face: acme/Tiny-GGUF"
    assert models["downloaded.gguf"].size_on_disk == tiny_model.stat().st_size


def test_split_parts_are_one_model(inventory, tiny_model):
    for part in (1, 2):
        shutil.copyfile(tiny_model, inventory.models_dir / f"big-Q4_K_M-0000{part}-of-00002.gguf")

    (model,) = inventory.scan()
    assert model.name == "big-Q4_K_M"
    assert model.path.name.endswith("00001-of-00002.gguf") and len(model.parts) == 2
    assert model.size_on_disk == 2 * tiny_model.stat().st_size


def test_find_by_catalog_id_file_name_or_repo_path(inventory, tiny_model):
    install_copy(inventory, tiny_model, "tiny.gguf", model_id="tiny-chat")

    for ident in ("tiny-chat", "tiny.gguf", "tiny", "acme/Tiny-GGUF/tiny.gguf"):
        assert inventory.find(ident).path.name == "tiny.gguf"
    assert inventory.find("nothing") is None


def test_verify_catches_a_file_damaged_after_install(inventory, tiny_model):
    install_copy(inventory, tiny_model, "tiny.gguf")
    model = inventory.find("tiny.gguf")
    assert "matches" in inventory.verify(model)

    data = bytearray(model.path.read_bytes())
    data[-10] ^= 0xFF
    model.path.write_bytes(bytes(data))
    with pytest.raises(VerificationError, match="damaged"):
        inventory.verify(model)


def test_verify_of_a_sideloaded_file_checks_that_it_is_complete(inventory, tiny_model):
    target = inventory.models_dir / "cut.gguf"
    target.write_bytes(tiny_model.read_bytes()[: tiny_model.stat().st_size // 2])
    with pytest.raises(ModelFileError, match="incomplete"):
        inventory.verify(inventory.find("cut.gguf"))


def test_remove_deletes_files_and_records(inventory, tiny_model):
    install_copy(inventory, tiny_model, "tiny.gguf")
    inventory.remove(inventory.find("tiny.gguf"))

    assert inventory.scan() == []
    assert inventory.record_for(inventory.models_dir / "tiny.gguf") is None


def test_mark_used_is_remembered(inventory, tiny_model):
    install_copy(inventory, tiny_model, "tiny.gguf")
    shutil.copyfile(tiny_model, inventory.models_dir / "side.gguf")
    inventory.mark_used(inventory.models_dir / "tiny.gguf")
    inventory.mark_used(inventory.models_dir / "side.gguf")

    assert inventory.find("tiny.gguf").last_used
    side = inventory.find("side.gguf")
    assert side.last_used and side.sideloaded


def test_import_adds_a_local_gguf_with_its_checksum(inventory, tiny_model, tmp_path):
    source = tmp_path / "elsewhere" / "my-model.gguf"
    source.parent.mkdir()
    shutil.copyfile(tiny_model, source)

    model = inventory.import_file(source)
    assert model.path == inventory.models_dir / "my-model.gguf"
    assert model.record.source == SOURCE_LOCAL and model.record.sha256 == hash_file(source)
    assert source.exists(), "the original stays where it was"
    with pytest.raises(ModelFileError, match="already"):
        inventory.import_file(source)


def test_import_refuses_what_is_not_gguf(inventory, tmp_path):
    bogus = tmp_path / "fake.gguf"
    bogus.write_bytes(b"PK\x03\x04 not a model at all")
    with pytest.raises(NotAGGUFError):
        inventory.import_file(bogus)
    assert inventory.scan() == []


def test_a_damaged_record_leaves_the_model_listed(inventory, tiny_model):
    install_copy(inventory, tiny_model, "tiny.gguf")
    (inventory.records_dir / "tiny.gguf.json").write_text("{broken")
    (model,) = inventory.scan()
    assert model.sideloaded
