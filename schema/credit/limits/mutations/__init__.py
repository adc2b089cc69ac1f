"""Mutations of limits, exposure, orders and the credit check; each module has FIELDS."""
