"""Benchmarks: every figure a ratio measured in one run (python -m bench; see docs/PERFORMANCE.md)."""
