"""The receivables ledger: invoices, payments, disputes, imports, interest, aging."""
