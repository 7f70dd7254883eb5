"""The ``localchat`` command line: the window by default, headless subcommands beside it."""
