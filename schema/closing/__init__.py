"""GraphQL for provisions and write-offs."""
