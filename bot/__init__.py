"""Entry points and adapters: CLI, configuration, composition root, HTTP server, channels."""

__version__ = "0.1.0"  # keep equal to pyproject.toml's version (a test checks)
