"""GraphQL for the tenant itself: its profile."""
