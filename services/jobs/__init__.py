"""Background jobs as services see them: the specs, requesting one, reading its status."""
