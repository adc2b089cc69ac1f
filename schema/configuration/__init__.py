"""GraphQL for the tenant's receivables policy."""
