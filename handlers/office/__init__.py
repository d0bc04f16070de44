"""The office console's use cases: each takes an explicit `Actor` and checks its scope."""
