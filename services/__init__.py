"""Use cases: each opens a unit of work, applies domain rules, saves and records events."""
