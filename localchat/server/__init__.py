"""The OpenAI-compatible API server: a client of core, like the window and the CLI.

``create_app(worker)`` builds the FastAPI app (no global app, no state at import); ``ApiServer``
serves it with uvicorn on a thread of its own. Every request is one ``ChatJob`` in the inference
worker's one FIFO, so API requests, the window's replies and ``localchat chat`` take turns.
"""
