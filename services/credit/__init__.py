"""Credit decisions: financial statements, external data, scoring, limits, exposure, checks."""
