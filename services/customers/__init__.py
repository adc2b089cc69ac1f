"""Customers and their credit files: master data, dossier, reviews, reports."""
