"""The tenant's receivables policy and payment terms."""
