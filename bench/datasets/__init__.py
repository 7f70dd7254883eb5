"""Scripts that build benchmark datasets from real text (written under the bench cache)."""
