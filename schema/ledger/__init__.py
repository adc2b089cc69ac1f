"""GraphQL for the receivables ledger."""
