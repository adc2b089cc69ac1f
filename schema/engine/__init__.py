"""The execution fast path: completion plans beside graphql-core's executor."""
