"""Exit statuses of the command line, shared by the modules that decide them (``batch.run``)."""

EXIT_OK = 0
"""Success: every document converted cleanly, every file valid."""
EXIT_INVALID = 1
"""A document failed or carried an error diagnostic (``convert``), a file is invalid (``validate``)."""
EXIT_USAGE = 2
"""A usage or I/O error: nothing was (or could be) done."""
EXIT_INTERRUPTED = 130
"""^C (SIGINT), as shells report it."""
EXIT_TERMINATED = 143
"""SIGTERM, as shells report it."""
