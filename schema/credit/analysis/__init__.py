"""GraphQL for credit analysis: financial statements, ratios, Z'', external data, behaviour."""
