"""Work data for the 1:1: Zendesk and GitLab figures for the days before a meeting, computed per pair.

The one entry point is `prepare(config, sources, meeting_date, timezone, now)` (service.workdata.preparation),
called when a week's section is first written; `template_context(work)` (service.workdata.rendering)
turns its result into what doc_templates/one_on_one/work_*.md read. Configuration: `parse_workdata`
(service.workdata.config). Names are imported on first use, so loading docket.toml does not load
zenpy and python-gitlab.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_HOMES = {
    "GitLabConfig": "config", "PairSources": "config", "WorkDataConfig": "config", "ZendeskInstance": "config",
    "parse_workdata": "config", "WorkData": "figures", "prepare": "preparation", "template_context": "rendering",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
