"""GraphQL for credit scoring: scorecard versions, scores, classes, overrides, simulation."""
