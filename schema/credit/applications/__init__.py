"""Credit applications, agreements and reviews in GraphQL (issue 10 part C)."""
