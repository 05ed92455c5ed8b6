"""Sheets v4, the part Docket reads: spreadsheets.values.get over spreadsheets kept as the content of Drive files."""
