"""Use cases the property office runs (CLI today, the console later), each with an explicit actor."""
