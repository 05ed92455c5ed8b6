"""The HTTP triggers: one Flask blueprint per trigger (Cloud Scheduler and Tasks, the Docs add-on, manager links), each owning its authentication."""
