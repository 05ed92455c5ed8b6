"""An emulator of the GitLab REST API v4 subset Docket reads: issues, merge requests and users, across projects.

Self-contained: it imports nothing from Docket outside `service/emulator/`. Build the WSGI app
with `service.emulator.gitlab.api.create_gitlab_app(state)`; `demo.demo_state(...)` seeds the
example team's issues and merge requests.
"""
