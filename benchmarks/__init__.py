"""Benchmarks: each prints its figures next to the floor the issue sets."""
