"""Credit decisions: financial analysis, scoring and classes, limits, exposure, checks."""
