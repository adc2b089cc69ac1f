"""Query helpers: take a connection inside the caller's transaction, never commit."""
