"""Infrastructure: settings, runtime, logging, the event hub, the broker probe, demo data."""
