"""The use cases: 1:1 documents, the leadership sync, and the weekly job over all of them (no Flask here)."""
