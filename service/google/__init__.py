"""Talking to Google (or the emulator): clients, error translation, retries, the Drive registry and the outline reader."""
