"""Calendar v3, the part Docket reads: events.list over calendars kept in the store's index."""
