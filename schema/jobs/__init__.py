"""GraphQL for background jobs requested through the API."""
