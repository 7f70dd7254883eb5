"""``localchat chat``: one reply streamed to stdout by the same engine as the window."""

from __future__ import annotations

import argparse
import sys

from localchat.core.chat.messages import Message, Sampling


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("chat", help="stream a reply to a prompt on stdout")
    p.add_argument("prompt", help="what to ask")
    p.add_argument("--model", required=True, help="path of a GGUF model file")
    p.add_argument("--system", default=None, help="a system prompt")
    p.add_argument("--temperature", type=float, default=Sampling.temperature)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--max-tokens", type=int, default=512)
    p.add_argument("--ctx", type=int, default=None, help="context window in tokens")
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--gpu-layers", type=int, default=0, help="layers to offload to the GPU (-1: all)")
    p.add_argument("--stats", action="store_true", help="print speed and token counts on stderr")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from localchat.core.chat.stats import GenerationStats
    from localchat.core.inference.engine import Engine

    engine = Engine()
    info = engine.load(args.model, n_ctx=args.ctx, n_threads=args.threads, n_gpu_layers=args.gpu_layers)
    if info.is_base_model:
        print(f"note: {info.name} is a base model: it continues text rather than follows "
              "instructions.", file=sys.stderr)
    messages = ([Message("system", args.system)] if args.system else []) + [Message("user", args.prompt)]
    sampling = Sampling(temperature=args.temperature, seed=args.seed, max_tokens=args.max_tokens)
    code = 0
    try:
        for event in engine.stream_chat(messages, sampling):
            if isinstance(event, GenerationStats):
                sys.stdout.write("\n")
                if event.error:
                    print(f"localchat: {event.error}", file=sys.stderr)
                    code = 1
                if args.stats:
                    print(event.summary, file=sys.stderr)
            else:
                sys.stdout.write(event.text)
                sys.stdout.flush()
    except KeyboardInterrupt:
        engine.cancel()
        code = 130
    finally:
        engine.close()
    return code
