"""GraphQL for integrators: trusted documents (persisted operations)."""
