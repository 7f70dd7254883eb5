"""The remote-backend tests' shared fixture: backends started against a URL, stopped after."""

import pytest

from localchat.core.backends.config import BackendConfig, normalise_url
from localchat.core.backends.remote import RemoteBackend


@pytest.fixture
def backends():
    started = []

    def make(url, model="m", key=None, **options):
        config = BackendConfig("test", normalise_url(url), has_key=bool(key))
        started.append(RemoteBackend(config, key, model=model, batch_seconds=0, **options).start())
        return started[-1]

    yield make
    for backend in started:
        assert backend.stop()
