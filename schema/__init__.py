"""The GraphQL contract: types, queries, mutations, subscriptions, loaders, permissions."""
