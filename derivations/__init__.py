"""Claim records, one module per topic; each lists its records in ``CLAIMS``."""
