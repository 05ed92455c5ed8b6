"""Docket: runs recurring 1:1 and leadership meeting documents in Google Docs."""
