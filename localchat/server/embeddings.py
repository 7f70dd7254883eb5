"""``POST /v1/embeddings``: vectors from an embedding model of the models folder, computed by the
one inference worker (an ``EmbedJob``, which waits while a reply streams).

The model is the one the request names (an embedding model's file name or stem), else the
models folder's first embedding model, else the demo's all-MiniLM-L6-v2 (converted once from its
package). Vectors are unit length; ``encoding_format`` ``float`` gives lists of numbers and
``base64`` little-endian float32 bytes, as OpenAI's API does (the ``openai`` package asks for
base64). Token arrays as input are refused with a clear 400; ``usage`` is not counted (0).
"""

from __future__ import annotations

import asyncio
import base64
import struct
from pathlib import Path
from typing import Any

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse

from localchat.core.errors import LocalChatError
from localchat.server.schemas import ApiError, Lenient, parse_request

MAX_INPUTS = 2048  # OpenAI's limit per request
EMBED_TIMEOUT_S = 600.0


class EmbeddingRequest(Lenient):
    input: Any
    model: str | None = None
    encoding_format: str = "float"
    dimensions: int | None = Field(None, ge=1)


def texts_of(req: EmbeddingRequest) -> list[str]:
    value = req.input
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise ApiError(400, "'input' must be a string or a non-empty list of strings.", param="input")
    if not all(isinstance(v, str) for v in value):
        raise ApiError(400, "Only text input is supported, not token arrays.", param="input")
    if len(value) > MAX_INPUTS:
        raise ApiError(400, f"At most {MAX_INPUTS} inputs per request.", param="input")
    if any(not v for v in value):
        raise ApiError(400, "An input is an empty string.", param="input")
    return value


def embedding_model(models_dir: Path | None, wanted: str | None):
    """The EmbeddingModel that answers a request naming ``wanted`` (None: any); disk work, and the
    first time the demo's model is converted: off the event loop."""
    from localchat.core.documents.embed import default_embedding_model, embedding_model_for, is_embedding_file

    if models_dir is None:
        raise ApiError(404, "This server has no models folder to find an embedding model in.",
                       code="model_not_found")
    files = sorted(p for p in Path(models_dir).glob("*.gguf") if is_embedding_file(p))
    match = next((p for p in files if wanted in (p.name, p.stem)), None) if wanted else None
    if match is not None:
        return embedding_model_for(match)
    try:
        model = default_embedding_model(Path(models_dir))
    except LocalChatError as exc:
        raise ApiError(404, f"{exc.message} {exc.hint or ''}".strip(), code="model_not_found") from None
    if wanted and wanted not in (model.path.name, model.path.stem):
        names = ", ".join(sorted({p.stem for p in files} | {model.path.stem}))
        raise ApiError(404, f"{wanted!r} is not an embedding model here. Embedding models: {names}.",
                       param="model", code="model_not_found")
    return model


def encode(vector, encoding: str):
    if encoding == "base64":
        return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")
    return [float(x) for x in vector]


async def embeddings(request: Request, queue, body_limit: int) -> JSONResponse:
    from localchat.core.inference.worker import EmbedJob
    from localchat.server.completions import read_json

    req = parse_request(await read_json(request, body_limit), EmbeddingRequest)
    if req.encoding_format not in ("float", "base64"):
        raise ApiError(400, "encoding_format must be 'float' or 'base64'.", param="encoding_format")
    if req.dimensions is not None:
        raise ApiError(400, "dimensions is not supported: the model's own size is returned.",
                       param="dimensions")
    texts = texts_of(req)
    model = await asyncio.to_thread(embedding_model, queue.models_dir, req.model)
    job = EmbedJob(model, texts, query=True)  # a client waits for it: before indexing batches
    try:
        queue.worker.submit(job)
    except LocalChatError as exc:
        raise ApiError(503, exc.message, type="server_error") from None
    if not await asyncio.to_thread(job.done.wait, EMBED_TIMEOUT_S):
        queue.worker.cancel(job)
        raise ApiError(503, "The embeddings took too long.", type="server_error")
    if job.error or job.vectors is None:
        raise ApiError(500, f"The embeddings failed: {job.error or 'no vectors'}", type="server_error")
    request.state.model = model.path.stem
    return JSONResponse({
        "object": "list", "model": model.path.stem,
        "data": [{"object": "embedding", "index": i, "embedding": encode(v, req.encoding_format)}
                 for i, v in enumerate(job.vectors)],
        "usage": {"prompt_tokens": 0, "total_tokens": 0},
    })
