"""An emulator of the Zendesk Support API subset Docket reads: ticket search, ticket comments, users.

Self-contained: it imports nothing from Docket outside `service/emulator/`. Build the WSGI app
with `service.emulator.zendesk.api.create_zendesk_app(state)`; `demo.demo_state(...)` seeds the
example team's tickets.
"""
