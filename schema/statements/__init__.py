"""GraphQL for monthly statements."""
