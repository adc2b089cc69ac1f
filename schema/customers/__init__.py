"""GraphQL for customers and credit files."""
