"""The edge: Starlette app, settings, JWT auth, routes, CLI."""
