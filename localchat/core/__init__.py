"""The library behind localchat. Nothing in here imports Qt."""

import os


def _sleep_while_waiting() -> None:
    """Make llama.cpp's idle threads sleep rather than spin (OpenMP builds; read once, when
    llama.cpp loads, so this runs before anything imports llama_cpp). Spinning threads win when
    every core is free (a 7B on 2 idle cores: 7.8 tok/s spinning, 6.2 sleeping), but on a busy
    machine a descheduled thread stalls the others at each of the few hundred barriers of a
    token (on 2 busy cores: 0.75 spinning, 4.7 sleeping; docs/PERFORMANCE.md). A desktop is
    seldom idle, so sleeping it is; OMP_WAIT_POLICY=ACTIVE in the environment chooses spinning."""
    if "OMP_WAIT_POLICY" not in os.environ and "GOMP_SPINCOUNT" not in os.environ:
        os.environ["OMP_WAIT_POLICY"] = "PASSIVE"


# Here rather than in engine.py: OpenMP reads the policy once, when llama.cpp's libraries load,
# and any core module (build_info, hardware) may be the first to load them.
_sleep_while_waiting()
