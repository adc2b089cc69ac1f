"""GraphQL for collections."""
