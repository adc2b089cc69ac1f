"""Receivables KPIs and daily aging snapshots."""
