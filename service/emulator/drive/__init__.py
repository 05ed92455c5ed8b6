"""The Drive v3 API: the Drive index (files, shared drives, grants), its query language, and routes."""
