"""``localchat serve``: the OpenAI-compatible API, headless, over one loaded model.

The model is found and loaded as ``localchat chat`` does (the same flags, the same settings);
the port is taken before the load, so a port in use fails at once. Ctrl+C or SIGTERM stops the
server: running requests are cancelled, the port freed, the model closed, exit status 0.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from localchat.core.errors import LocalChatError
from localchat.core.settings import resolve_run_options

ENV_API_KEY = "LOCALCHAT_API_KEY"


def register(sub: argparse._SubParsersAction) -> None:
    from localchat.cli.chat import gpu_choice

    p = sub.add_parser(
        "serve", help="serve a model to other programs through an OpenAI-compatible API",
        description="Load a model and answer OpenAI-style requests (/v1/chat/completions, "
        "/v1/models) on http://HOST:PORT/v1 until Ctrl+C. Only this computer can connect unless "
        "--host says otherwise, and then an API key is required. See docs/API.md.")
    p.add_argument("--model", metavar="FILE_OR_NAME",
                   help="a GGUF file, or the name or catalog id of an installed model "
                        "(default: the model used last)")
    p.add_argument("--host", default="127.0.0.1",
                   help="the address to listen on (default 127.0.0.1: this computer only)")
    p.add_argument("--port", type=int, default=4891, help="default 4891; 0 picks a free one")
    p.add_argument("--api-key", metavar="KEY", default=None,
                   help=f"require 'Authorization: Bearer KEY' (or set {ENV_API_KEY})")
    p.add_argument("--cors-origin", metavar="URL", action="append", default=[],
                   help="let web pages from URL call the API (repeat for more; default: none)")
    p.add_argument("--log-contents", action="store_true",
                   help="keep the messages and replies in the request log (default: only the endpoint, "
                        "status, tokens and time)")
    p.add_argument("--max-queue", type=int, default=16, metavar="N",
                   help="API requests that may wait their turn; more are answered 503 (default 16)")
    p.add_argument("--ctx", type=int, default=None, metavar="TOKENS",
                   help="context window (default: the settings', else the model's)")
    p.add_argument("--threads", type=int, default=None, help="CPU threads (default: the settings')")
    p.add_argument("--gpu", type=gpu_choice, default=None, metavar="auto|cpu|all|N",
                   help="where the model runs (default: the settings')")
    p.set_defaults(func=run)


def wait_for_load(worker, job) -> object:
    """The loaded ModelInfo, or the load's error."""
    from localchat.core.inference.worker import ModelFailed, ModelLoaded

    outcome: list = []
    done = threading.Event()

    def on_event(event):
        if event.job is job and isinstance(event, (ModelLoaded, ModelFailed)):
            outcome.append(event)
            done.set()

    unsubscribe = worker.subscribe(on_event)
    try:
        while not done.wait(0.1):  # a timed wait: Ctrl+C is seen on every platform
            pass
    finally:
        unsubscribe()
    event = outcome[0]
    if isinstance(event, ModelFailed):
        message, _, hint = event.message.partition("\n")
        raise LocalChatError(message, hint or None)
    return event.info


def run(args: argparse.Namespace) -> int:
    from localchat.cli.chat import catalog_in_use, mark_used, model_path, run_settings
    from localchat.core.inference.worker import InferenceWorker, LoadJob
    from localchat.server.runner import ApiServer

    options = resolve_run_options(args.paths, run_settings(args))
    path = model_path(args.model, options)
    catalog = catalog_in_use(args.paths)

    def load_job(model: Path) -> LoadJob:  # this one, and any installed model a request names
        return LoadJob(str(model), **options.load_options(), catalog=catalog)

    worker = InferenceWorker().start()
    server = None
    try:
        server = ApiServer(worker, host=args.host, port=args.port,
                           api_key=args.api_key or os.environ.get(ENV_API_KEY) or None,
                           cors_origins=args.cors_origin, max_queue=args.max_queue,
                           models_dir=options.models_dir, load_job=load_job,
                           log_contents=args.log_contents, backends_root=args.paths.root).start()
        print(f"Loading {path.name}…", file=sys.stderr)
        info = wait_for_load(worker, worker.submit(load_job(path)))
        mark_used(path, options)
        print(f"{info.name} · {info.device_summary} · context {info.n_ctx}", file=sys.stderr)
        print(f"Serving {server.requests.model.id} at {server.base_url}", flush=True)
        print("Ctrl+C stops the server.", file=sys.stderr)
        wait_for_stop()
        print("Stopping…", file=sys.stderr)
    finally:
        if server is not None:
            server.stop()
        worker.stop()
    return 0


def wait_for_stop() -> None:
    """Until Ctrl+C or SIGTERM."""
    stop = threading.Event()
    handled = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])
    previous = {s: signal.signal(s, lambda *_: stop.set()) for s in handled}
    try:
        while not stop.wait(0.2):
            pass
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
