"""Markdown + Jinja2 templates for the documents Docket writes (package data, not code)."""
