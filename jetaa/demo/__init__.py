"""Deterministic demo data for a realistic federation (`flask demo-data`)."""
