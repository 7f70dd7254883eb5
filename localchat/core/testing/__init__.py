"""Model writers and measurements for tests, benchmarks and the self-test; no app feature uses them."""
