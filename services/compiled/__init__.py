"""Compiled documents: a registered page answered by one SQL statement that builds its JSON."""
