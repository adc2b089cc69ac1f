"""GraphQL for credit decisions: analysis, scoring, limits, exposure and the credit check."""
