"""Mutations: one module per capability, each taking one `input` and returning a payload."""
