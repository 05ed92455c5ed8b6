"""The daily job: a Google Chat reminder to the manager the day before an engineer's time off, and "1:1 today" nudges.

For each pair, in the pair's time zone (service/time_off.py has the date rules): the engineer's
out-of-office events in the next 14 days, read from their primary calendar *as the engineer*
(domain-wide delegation; `eventTypes=outOfOffice`), plus, when `[reminders] pto_calendar_id` is
set, the events of that shared calendar the engineer created or attends. A time off whose
reminder is due gets one message to the manager: who, which dates, the handbook's coverage
questions and the link to the pair's current week section. A pair with `prep_nudge = true` gets
"1:1 today" on its meeting day. Each message goes out exactly once (`reminder_ledger.py`).

Every webhook the run may use is resolved and checked before anything is read or sent, so a
bad one stops the run with nothing half-sent. A pair whose calendar cannot be read, or whose
message fails, is reported and the others still run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from service.calendar import Week, meeting_for
from service.chat_webhook import DEFAULT_ENV, ChatPoster, Webhook, resolve
from service.errors import ConfigError, DocketError
from service.google.calendar_events import list_events
from service.meetings.one_on_one import OneOnOnes, title_of
from service.meetings.outcome import Failure, where_to_read
from service.meetings.reminder_ledger import SENT, Ledger, nudge_key, pto_key, request_id
from service.meetings.reminder_text import pto_message, prep_message
from service.settings import OneOnOneSettings
from service.time_off import TimeOff, concerns, listing_window, periods

if TYPE_CHECKING:
    from service.services import Services

_log = logging.getLogger(__name__)

PTO, PREP = "pto", "prep"
LABELS = {PTO: "time-off reminder", PREP: "\"1:1 today\" nudge"}
# Where a message goes when no webhook is configured on a local backend: (heading, text).
Printer = Callable[[str, str], None]


@dataclass(frozen=True)
class Message:
    """One message due today for one pair."""

    pair: OneOnOneSettings
    kind: str  # PTO | PREP
    key: str  # its ledger record
    today: date  # in the pair's time zone
    time_off: TimeOff | None = None


@dataclass(frozen=True)
class Delivered:
    kind: str
    manager: str
    report: str
    key: str
    document_id: str
    status: str  # sent | printed | already sent
    text: str | None = None  # only when printed (a local backend without a webhook)

    def to_dict(self) -> dict[str, str]:
        body = {"kind": self.kind, "manager": self.manager, "report": self.report, "record": self.key,
                "document_id": self.document_id, "status": self.status}
        if self.text is not None:
            body["text"] = self.text
        return body


@dataclass(frozen=True)
class DailyReport:
    date: date
    delivered: tuple[Delivered, ...]
    failures: tuple[Failure, ...]
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict:
        """The body of POST /tasks/daily (docs/http-api.md)."""
        body: dict = {"date": self.date.isoformat(), "results": [d.to_dict() for d in self.delivered]}
        if self.failures:
            body["failures"] = [f.to_dict() for f in self.failures]
        if self.warnings:
            body["warnings"] = list(self.warnings)
        return body


class Reminders:
    """Plans and delivers the day's messages over one Services (its settings hold the roster)."""

    def __init__(self, services: Services, *, poster: ChatPoster | None = None, env: Mapping[str, str] | None = None,
                 printer: Printer | None = None) -> None:
        self.services = services
        self.poster = poster or ChatPoster()
        self.env = os.environ if env is None else env
        self.printer = printer

    # -- who gets what ---------------------------------------------------------------------------

    def _active(self, pair: OneOnOneSettings) -> bool:
        return self.services.settings.reminders.enabled or pair.prep_nudge

    def targets(self) -> dict[tuple[str, str], Webhook | None]:
        """Every active pair's webhook, resolved and checked now (None: printed, on a local backend only)."""
        settings = self.services.settings
        found: dict[tuple[str, str], Webhook | None] = {}
        for pair in settings.one_on_ones:
            if not self._active(pair):
                continue
            reference = pair.chat_webhook or settings.reminders.chat_webhook
            if reference is None and self.env.get(DEFAULT_ENV):
                reference = f"env:{DEFAULT_ENV}"  # the default webhook when none is named
            if reference is not None:
                whose = f"{pair.manager}'s webhook" if pair.chat_webhook else "the default webhook, [reminders] chat_webhook"
                found[(pair.manager, pair.report)] = resolve(reference, self.env, whose=whose)
            elif self.printer is not None and settings.backend != "google":
                found[(pair.manager, pair.report)] = None
            else:
                raise ConfigError(f"no Chat webhook for {pair.manager}: set chat_webhook in [reminders] or on their pair",
                                  key="reminders.chat_webhook", file=settings.source)
        return found

    def due(self, pair: OneOnOneSettings, week: Week) -> list[Message]:
        """The pair's messages due today: reminders of time off about to start, and the meeting-day nudge."""
        settings = self.services.settings
        today = week.today_in(pair.timezone)
        messages: list[Message] = []
        if settings.reminders.enabled:
            zone = ZoneInfo(pair.timezone)
            time_min, time_max = listing_window(today, zone)
            google = self.services.google
            events = list_events(google, calendar_id="primary", as_user=pair.report, time_min=time_min,
                                 time_max=time_max, event_types=("outOfOffice",))
            if settings.reminders.pto_calendar_id:
                shared = list_events(google, calendar_id=settings.reminders.pto_calendar_id, as_user=pair.report,
                                     time_min=time_min, time_max=time_max, event_types=("default", "outOfOffice"))
                events += [e for e in shared if concerns(e, pair.report)]
            messages += [Message(pair, PTO, pto_key(p.first_day), today, p) for p in periods(events, zone) if p.is_due(today)]
        if pair.prep_nudge and meeting_for(Week.of(today), pair.weekday, pair.timezone).date == today:
            messages.append(Message(pair, PREP, nudge_key(today), today))
        return messages

    # -- delivery --------------------------------------------------------------------------------

    def deliver(self, message: Message, target: Webhook | None) -> Delivered:
        """Send one message unless its record says it was sent; the link is to the pair's current week section."""
        services, pair = self.services, message.pair
        outcome = OneOnOnes(services).ensure_week(pair, Week.of(message.today))
        ledger = Ledger(services.google, outcome.document_id)
        current = ledger.read()
        done = Delivered(message.kind, pair.manager, pair.report, message.key, outcome.document_id, "already sent")
        if current.get(message.key) == SENT:
            return done
        link = where_to_read(services.settings, outcome.document_id, outcome.url)
        if message.kind == PTO:
            assert message.time_off is not None
            text = pto_message(pair, message.time_off, message.today, handbook_url=services.settings.organization.handbook_url,
                               section_link=link)
        else:
            text = prep_message(pair, section_link=link)
        # The record goes BEFORE the send: `pending`, then the post, then `sent`.
        # - A crash (or a Drive/Chat failure) before the post leaves `pending`: the next run finds it and
        #   sends — nothing had gone out, so that is the one message.
        # - A crash after the post but before `sent` (the answer lost, Drive failing) also leaves
        #   `pending`: the next run posts again with the same requestId, derived from this record, and
        #   Chat answers with the message it already made instead of making a second one.
        # Recording only after the send could not tell "never sent" from "sent, record lost", and
        # every Drive failure after a post would mean a duplicate. Writing `sent` before the post would
        # lose the reminder whenever the post then failed. A pending record plus an idempotent send is
        # what makes it exactly once (as far as Chat honours requestId on webhooks, UNCONFIRMED).
        ledger.claim(message.key, message.today, current)
        if target is None:
            assert self.printer is not None
            self.printer(f"{LABELS[message.kind]} for {pair.manager_name} <{pair.manager}> (no Chat webhook configured; "
                         f"this is what it would post):", text)
            status = "printed"
        else:
            self.poster.post(target, text, request_id=request_id(outcome.document_id, message.key))
            status = "sent"
        ledger.mark_sent(message.key)
        _log.info("reminder %s", status, extra={"kind": message.kind, "document_id": outcome.document_id, "action": status,
                                                "date": message.today.isoformat()})
        return Delivered(message.kind, pair.manager, pair.report, message.key, outcome.document_id, status,
                         text if status == "printed" else None)

    def run(self, week: Week, *, on_result: Callable[[Delivered | Failure], None] | None = None) -> DailyReport:
        """Check every webhook, then each pair: read, plan, deliver. A pair's failure is reported, the others go on."""
        targets = self.targets()  # ConfigError before anything is read or sent
        delivered: list[Delivered] = []
        failures: list[Failure] = []

        def record(result: Delivered | Failure) -> None:
            (failures if isinstance(result, Failure) else delivered).append(result)  # type: ignore[arg-type]
            if on_result is not None:
                on_result(result)

        for pair in self.services.settings.one_on_ones:
            if (pair.manager, pair.report) not in targets:
                continue
            try:
                messages = self.due(pair, week)
            except DocketError as exc:
                record(Failure("reminder", f"time off of {pair.report_name} <{pair.report}>", exc.message))
                continue
            for message in messages:
                record(self._attempt(message, targets[(pair.manager, pair.report)]))
        return DailyReport(week.today_in(self.services.settings.organization.timezone), tuple(delivered), tuple(failures))

    def _attempt(self, message: Message, target: Webhook | None) -> Delivered | Failure:
        title = f"{LABELS[message.kind]} to {message.pair.manager} ({title_of(message.pair)})"
        try:
            return self.deliver(message, target)
        except DocketError as exc:
            return Failure("reminder", title, exc.message)
        except Exception as exc:  # noqa: BLE001 - one broken message must not stop the others
            _log.error("reminder failed unexpectedly", exc_info=exc, extra={"kind": message.kind})
            return Failure("reminder", title, f"internal error ({type(exc).__name__}); see the service logs")
