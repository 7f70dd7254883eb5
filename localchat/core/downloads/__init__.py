"""Downloads from the Hugging Face Hub: the one HTTP client, jobs, the queue, checksums."""
