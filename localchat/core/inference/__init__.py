"""The one inference thread and what it runs: llama.cpp behind one small interface."""
