"""The library behind localchat. Nothing in here imports Qt."""

from localchat.core.inference.threads import apply_wait_policy

# Here rather than in engine.py: OpenMP reads the policy once, when llama.cpp's libraries load,
# and any core module (build_info, hardware) may be the first to load them. llama.cpp's threads
# spin briefly, then sleep (threads.spin_count); OMP_WAIT_POLICY or GOMP_SPINCOUNT in the
# environment wins. The thread count is chosen per reply (threads.choose_threads).
apply_wait_policy()
