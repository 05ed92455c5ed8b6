"""The document kinds Docket ships with, in the order the weekly job runs them."""

from __future__ import annotations

from service.meetings.kind import Catalog
from service.meetings.leadership import AGENDA_KIND, CONFIDENTIAL_KIND
from service.meetings.one_on_one import KIND as ONE_ON_ONE_KIND

BUILTIN_KINDS = Catalog((ONE_ON_ONE_KIND, AGENDA_KIND, CONFIDENTIAL_KIND))
