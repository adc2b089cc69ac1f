"""Integrators: trusted documents (persisted operations) and, later, webhooks."""
