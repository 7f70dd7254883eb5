"""The rules of a conversation: messages, sampling, prompts, context budgets, sessions."""
