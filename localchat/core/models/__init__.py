"""Model files: GGUF headers, memory fit, the catalog, recommendations, the installed models."""
