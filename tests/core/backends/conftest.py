from tests.remote_servers import faults, llama_server  # noqa: F401 - fixtures
