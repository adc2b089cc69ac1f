"""Ledger mutations: postings, disputes, bulk imports."""
