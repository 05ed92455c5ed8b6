"""Work data for the 1:1: Zendesk and GitLab figures for the days before a meeting, computed per pair.

The one entry point is `prepare(config, sources, meeting_date, timezone, now)` (service.workdata.prepare),
called when a week's section is first written; `template_context(work)` turns its result into
what doc_templates/one_on_one/work_*.md read. Configuration: `parse_workdata` (service.workdata.config).
"""

from service.workdata.config import GitLabConfig, PairSources, WorkDataConfig, ZendeskInstance, parse_workdata
from service.workdata.figures import WorkData
from service.workdata.prepare import prepare
from service.workdata.rendering import template_context

__all__ = ["GitLabConfig", "PairSources", "WorkData", "WorkDataConfig", "ZendeskInstance", "parse_workdata", "prepare",
           "template_context"]
