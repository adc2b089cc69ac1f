"""Background jobs as services see them: requesting one, reading its status."""
