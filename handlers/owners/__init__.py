"""Owners' capabilities and the dialogue rules around them (corrections, interruptions)."""
