"""Closing: month-end provisions and write-offs."""
