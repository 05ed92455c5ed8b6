"""The Docs v1 API: the document model (tabs, paragraphs, named ranges, lists), batchUpdate requests, and routes."""
