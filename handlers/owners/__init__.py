"""Owners' use cases (a module per capability)."""
