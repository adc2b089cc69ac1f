"""GraphQL for early-warning signals."""
