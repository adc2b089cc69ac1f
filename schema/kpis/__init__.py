"""GraphQL for receivables KPIs."""
