"""The `docket` command line: exit 0 on success, 1 when a document failed, 2 on bad usage or configuration."""

from __future__ import annotations

import difflib
import json
import sys
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any, Callable

import click

from service.calendar import Week, parse_date
from service.errors import BadRequest, ConfidentialityError, ConfigError, DocketError, Forbidden, NotFound
from service.google.document_view import as_text
from service.meetings.leadership import Leadership
from service.member_link import DEFAULT_DAYS as MEMBER_LINK_DAYS
from service.meetings.outcome import Failure, Outcome, where_to_read
from service.meetings.reading import read_for
from service.meetings.weekly import plan_week, run_weekly
from service.roster import with_roster
from service.services import Services
from service.settings import Settings, load_settings


def _settings(config: str | None) -> Settings:
    try:
        return load_settings(config)
    except ConfigError as exc:
        raise click.exceptions.Exit(_fail(exc.message, 2)) from None


def _fail(message: str, code: int) -> int:
    click.echo(f"error: {message}", err=True)
    return code


def _services(settings: Settings) -> Services:
    """The run's services, with the roster sheet's pairs when `[roster]` is set (bad rows reported, skipped)."""
    services, roster = with_roster(Services.build(settings))
    for problem in roster.problems if roster else ():
        click.echo(f"warning: {problem}", err=True)
    return services


def did_you_mean(value: str, configured: Iterable[str]) -> str:
    """"; did you mean X?" naming the configured address closest to a mistyped one, or "" when none is close
    (or the address is configured as it is: then it was not mistyped)."""
    value = value.strip().lower()
    known = sorted(set(configured))
    close = [] if value in known else difflib.get_close_matches(value, known, n=1, cutoff=0.8)
    return f"; did you mean {close[0]}?" if close else ""


def _no_leadership(settings: Settings) -> int | None:
    """Exit 2 when the command needs the leadership sync and docket.toml has none (a configuration matter)."""
    if settings.leadership is None:
        return _fail(f"no leadership sync is configured ([leadership] in {settings.source})", 2)
    return None


def _date_option(value: str | None) -> Any:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--date") from None


def config_option(f: Callable) -> Callable:
    return click.option("--config", "config", metavar="PATH", default=None,
                        help="docket.toml to use (else $DOCKET_CONFIG, ./docket.toml, the bundled example).")(f)


def _run(action: Callable[[], int]) -> None:
    """Run a command body: DocketErrors become a message and exit 2 (configuration) or 1."""
    try:
        code = action()
    except ConfigError as exc:
        code = _fail(exc.message, 2)
    except (BadRequest, Forbidden) as exc:
        # Bad usage: invalid input, or someone who may not do this. An exposed
        # confidential doc is not the caller's mistake: it is a failure (exit 1).
        code = _fail(exc.message, 1 if isinstance(exc, ConfidentialityError) else 2)
    except DocketError as exc:
        code = _fail(exc.message, 1)
    sys.exit(code)


WORK_DATA_HELP = (
    "Zendesk and GitLab data in each new 1:1 week (ticket review candidates, public replies on assigned tickets, "
    "the ticket baseline, issues opened and merge requests merged): add [zendesk] url and email (token in "
    "DOCKET_ZENDESK_TOKEN; a further instance as [zendesk.NAME], token DOCKET_ZENDESK_TOKEN_NAME, chosen per pair "
    "with zendesk_instance) and [gitlab] url (token in DOCKET_GITLAB_TOKEN) to docket.toml, and gitlab_username to "
    "each [[one_on_one]]. Without them the sections have no data block. The embedded default reads demo data "
    "from the built-in emulators; see the README."
)


@click.group(help="Docket runs your support team's 1:1 and leadership meeting documents in Google Docs.",
             epilog=WORK_DATA_HELP)
@click.version_option(package_name="docket", prog_name="docket", message="%(prog)s, version %(version)s")
def main() -> None:
    pass


def _where(settings: Settings, outcome: Any) -> str:
    """Where a person reads the section: Google Docs, or the local view on the embedded default."""
    return where_to_read(settings, outcome.document_id, str(outcome.url))


def _warn_if_links_unanswered(settings: Settings) -> None:
    """The links just printed point at service.base_url: say so when nothing answers there (local base_url only)."""
    from service.service_address import unanswered_warning

    warning = unanswered_warning(settings)
    if warning:
        click.echo(f"warning: {warning}", err=True)


@main.command(help="The main job: bring every document up to this week (one dated section each, exactly once).")
@click.option("--date", "date_text", metavar="YYYY-MM-DD", help="A day of the week to act on (default: today in each meeting's time zone).")
@config_option
def weekly(date_text: str | None, config: str | None) -> None:
    on = _date_option(date_text)
    settings = _settings(config)

    def action() -> int:
        services = _services(settings)
        week = Week.of(on, datetime.now(timezone.utc))
        jobs = plan_week(services, week)
        total = sum(job.documents for job in jobs)
        done = 0

        def show(result: Outcome | Failure) -> None:
            nonlocal done
            if isinstance(result, Outcome):
                done += 1
                click.echo(f"[{done}/{total}] {result.action:<9} {result.title}  {_where(settings, result)}")
            else:
                done += result.documents
                click.echo(f"[{done}/{total}] FAILED    {result.title}: {result.reason}")

        today = week.today_in(settings.organization.timezone)
        year, number, _ = today.isocalendar()
        click.echo(f"Docket weekly: {today.isoformat()}, ISO week {year}-W{number:02d} "
                   f"({settings.backend} backend, config: {settings.source})")
        report = run_weekly(services, week, on_outcome=show, jobs=jobs)
        for warning in report.warnings:
            click.echo(f"warning: {warning}", err=True)
        if settings.backend != "google" and report.outcomes:
            click.echo("Read them with `docket docs show DOC_ID`, or open the links above while `docket serve` runs.")
            _warn_if_links_unanswered(settings)
        click.echo(f"Summary: {report.summary}.")
        return 0 if report.ok else 1

    _run(action)


@main.command(help="The daily job: a Google Chat reminder to the manager the day before an engineer's time off "
                   "(read from their calendar), and \"1:1 today\" nudges for pairs with prep_nudge; each message exactly "
                   "once, however often it runs. Without a webhook, on a local backend, it prints the messages.")
@click.option("--date", "date_text", metavar="YYYY-MM-DD", help="The day to act as (default: today in each pair's time zone).")
@config_option
def daily(date_text: str | None, config: str | None) -> None:
    from service.demo import seed_demo_time_off
    from service.meetings.reminders import LABELS, Delivered, Reminders

    on = _date_option(date_text)
    settings = _settings(config)

    def printer(heading: str, text: str) -> None:
        click.echo(heading)
        click.echo("\n".join(f"    {line}" for line in text.splitlines()))

    def action() -> int:
        services = _services(settings)
        week = Week.of(on, datetime.now(timezone.utc))
        today = week.today_in(settings.organization.timezone)
        reminders = Reminders(services, printer=printer)
        reminders.targets()  # every webhook checked before anything, demo seeding included, changes
        seed_demo_time_off(services.google, services.settings, today)
        click.echo(f"Docket daily: {today.isoformat()} ({settings.backend} backend, config: {settings.source})")


        def show(result: Delivered | Failure) -> None:
            if isinstance(result, Failure):
                click.echo(f"FAILED    {result.title}: {result.reason}")
            elif result.status != "already sent":
                click.echo(f"{result.status:<9} {LABELS[result.kind]} to {result.manager} about {result.report} ({result.key})")

        report = reminders.run(week, on_result=show)
        sent = [d for d in report.delivered if d.status != "already sent"]
        earlier = len(report.delivered) - len(sent)
        click.echo(f"{len(sent)} message(s) sent or printed" + (f"; {earlier} already sent earlier" if earlier else "")
                   + ("" if report.delivered or report.failures else ": nothing is due today"))
        if not report.ok:
            click.echo(f"{len(report.failures)} message(s) or calendar(s) failed.", err=True)
            return 1
        return 0

    _run(action)


@main.command(help="Check the configuration (everything the other commands check, and what can be checked offline) "
                   "and print this week's plan: each document, its meeting's weekday and time zone, and date. "
                   "Calls no Google API and writes nothing.")
@click.option("--date", "date_text", metavar="YYYY-MM-DD", help="A day of the week to plan (default: today in each meeting's time zone).")
@config_option
def check(date_text: str | None, config: str | None) -> None:
    import os

    from service.config_check import check_configuration

    on = _date_option(date_text)
    settings = _settings(config)  # every problem loading the configuration: exit 2, naming the key and file

    def action() -> int:
        report = check_configuration(settings, Week.of(on, datetime.now(timezone.utc)), os.environ)
        verdict = "OK" if report.ok else f"{len(report.problems)} problem(s)"
        click.echo(f"Configuration: {settings.source} ({settings.backend} backend): {verdict}")
        for problem in report.problems:
            click.echo(f"error: {problem}", err=True)
        for warning in report.warnings:
            click.echo(f"warning: {warning}", err=True)
        click.echo("This week, as `docket weekly` would do it (nothing was written):")
        width = max((len(_planned_title(job)) for job in report.plan), default=0)
        for job in report.plan:
            click.echo(f"  {_planned_title(job):<{width}}  {job.weekday:<9}  {job.timezone:<20} {job.meeting.isoformat()}")
        if not report.plan:
            click.echo("  nothing: no [[one_on_one]] and no [leadership] configured")
        return 0 if report.ok else 2

    _run(action)


def _planned_title(job: Any) -> str:
    return job.title if job.documents == 1 else f"{job.title} ({job.documents} documents)"


@main.command("add-item", help="Add an item to the leadership sync's agenda for the week (members only; "
                                "text: one line, at most 1000 characters).")
@click.option("--author", required=True, metavar="EMAIL", help="The leadership member adding the item.")
@click.option("--text", required=True, metavar="TEXT", help="The item, one line.")
@click.option("--fyi", is_flag=True, help="Needs no discussion: prefixed 'FYI:' in the agenda.")
@click.option("--confidential", is_flag=True, help="Written only to the confidential doc; the agenda gets a placeholder naming you.")
@click.option("--date", "date_text", metavar="YYYY-MM-DD", help="A day of the meeting's week (default: today in its time zone).")
@config_option
def add_item(author: str, text: str, fyi: bool, confidential: bool, date_text: str | None, config: str | None) -> None:
    if fyi and confidential:
        raise click.UsageError("use --fyi or --confidential, not both")
    kind = "confidential" if confidential else "fyi" if fyi else "discussion"
    on = _date_option(date_text)
    settings = _settings(config)

    def action() -> int:
        if (refused := _no_leadership(settings)) is not None:
            return refused
        leadership = Leadership(_services(settings))
        try:
            outcome = leadership.add_item(author=author, text=text, kind=kind, week=Week.of(on, datetime.now(timezone.utc)))
        except ConfidentialityError:
            raise
        except Forbidden as exc:  # not a member (checked before anything is read): suggest the closest one
            return _fail(exc.message + did_you_mean(author, leadership.settings.members), 2)
        # Never echo the text: for a confidential item it must not reach command output.
        done = "added" if outcome.created else "already present"
        where = "the confidential doc, with a placeholder in the agenda" if kind == "confidential" else "the agenda"
        click.echo(f"{kind} item {outcome.item_id} {done}: {where}  {_where(settings, outcome)}")
        if settings.backend != "google":
            _warn_if_links_unanswered(settings)
        return 0

    _run(action)


@main.group(help="Inspect the documents Docket made.")
def docs() -> None:
    pass


@docs.command("list", help="List Docket's documents (kind, id, title).")
@config_option
def docs_list(config: str | None) -> None:
    settings = _settings(config)

    def action() -> int:
        for doc in _services(settings).registry.all_documents():
            click.echo(f"{doc.kind:<24} {doc.id}  {doc.name}")
        return 0

    _run(action)


@docs.command("show", help="Print a document as text (or its Docs API JSON with --json). The confidential doc's "
                            "text is shown only --as one of the leadership members.")
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True, help="Print the documents.get resource.")
@click.option("--as", "viewer", metavar="EMAIL", default=None,
              help="Who is reading: a leadership member may read the confidential doc.")
@config_option
def docs_show(doc_id: str, as_json: bool, viewer: str | None, config: str | None) -> None:
    settings = _settings(config)

    def action() -> int:
        services = _services(settings)
        try:
            reading = read_for(services, doc_id, viewer)
        except NotFound:
            return _fail(f"{doc_id} is not one of Docket's documents; `docket docs list` lists them", 2)
        if reading.resource is None:
            # The kind withholds its text from this viewer: its notice, never any of its text.
            click.echo(f"{reading.doc.name}\n[{reading.notice}]")
            if viewer is None:
                return 0
            kind = services.kinds.get(reading.doc.kind)
            return _fail(f"{viewer.strip().lower()} is not one of {kind.participants_label}"
                         + did_you_mean(viewer, kind.participants(services, reading.doc)), 2)
        resource = reading.resource
        click.echo(json.dumps(resource, indent=2, ensure_ascii=False) if as_json else as_text(resource).rstrip("\n"))
        return 0

    _run(action)


def _identity_option(_ctx: Any, _param: Any, value: str | None) -> str | None:
    from service.toml_table import is_email

    if value is not None and not is_email(value.strip()):
        raise click.BadParameter(f"'{value}' is not an email address")
    return value.strip().lower() if value is not None else None


def _error_codes(_ctx: Any, _param: Any, value: str) -> tuple[int, ...]:
    try:
        codes = tuple(int(c) for c in value.split(",") if c.strip())
    except ValueError:
        raise click.BadParameter("a comma-separated list of 429, 500, 503") from None
    if not codes or set(codes) - {429, 500, 503}:
        raise click.BadParameter("a comma-separated list of 429, 500, 503")
    return codes


@main.command(help="Serve the built-in Docs/Drive emulator over HTTP (state in $DOCKET_DATA_DIR), optionally with "
                   "injected faults: Google's 429/500/503, latency, the per-identity Docs write quota, people typing "
                   "between a client's read and its write, and writes whose response is lost. The same URL serves "
                   "demo Zendesk (/api/v2) and GitLab (/api/v4) APIs for the example team: set [zendesk] url and "
                   "[gitlab] url to it, with any DOCKET_ZENDESK_TOKEN and DOCKET_GITLAB_TOKEN.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=9000, show_default=True, type=int, help="0 picks a free port (the URL is printed).")
@click.option("--error-rate", default=0.0, show_default=True, type=click.FloatRange(0, 1),
              help="Chance that a request is refused (nothing changes) with one of --errors.")
@click.option("--errors", "error_codes", default="429,503", show_default=True, callback=_error_codes,
              help="HTTP statuses to inject: 429 (RESOURCE_EXHAUSTED), 500 (INTERNAL), 503 (UNAVAILABLE).")
@click.option("--lost-responses", default=0.0, show_default=True, type=click.FloatRange(0, 1),
              help="Chance that a Docs batchUpdate is applied but answered 500/503 (its response lost).")
@click.option("--latency-ms", default=0, show_default=True, type=click.IntRange(0, 60_000), help="Added to every request.")
@click.option("--write-quota", default=60, show_default=True, type=click.IntRange(0),
              help="Docs writes per identity per rolling minute, as Google's quota; beyond it 429. 0: unlimited.")
@click.option("--human-edits", default=0.0, show_default=True, type=click.FloatRange(0, 1),
              help="Chance that a person sharing the doc types a line between a client's documents.get and its batchUpdate.")
@click.option("--seed", default=None, type=int, help="Seed the fault dice, for a reproducible run.")
@click.option("--identity", default=None, metavar="EMAIL", callback=_identity_option,
              help="Who callers act as (default: a service account, which owns no files). A person's address "
                   "(not *.gserviceaccount.com) acts as that user, with a My Drive, as under domain-wide delegation.")
@config_option
def emulator(host: str, port: int, error_rate: float, error_codes: tuple[int, ...], lost_responses: float, latency_ms: int,
             write_quota: int, human_edits: float, seed: int | None, identity: str | None, config: str | None) -> None:
    from service.emulator.bootstrap import DEFAULT_IDENTITY, serve_emulator
    from service.emulator.faults import Faults

    settings = _settings(config)
    faults = Faults(error_rate=error_rate, error_codes=error_codes, lost_response_rate=lost_responses, latency=latency_ms / 1000,
                    write_quota=write_quota or None, human_edit_rate=human_edits, seed=seed)
    quota = f"{write_quota}/min per identity" if write_quota else "off"
    acting_as = identity or DEFAULT_IDENTITY

    def ready(url: str) -> None:
        click.echo(f"Docket emulator on {url} (data: {settings.data_dir}); point DOCKET_GOOGLE_ENDPOINT at it. "
                   f"Callers act as {acting_as}. Docs write quota: {quota}. "
                   f"Demo Zendesk and GitLab APIs: [zendesk] url / [gitlab] url = {url}.", err=True)

    def action() -> int:
        from service.google.clients import embedded_store_errors

        with embedded_store_errors(settings):
            serve_emulator(settings.data_dir, host=host, port=port, shared_drive_id=settings.google.folder_id,
                           faults=faults, identity=acting_as, on_ready=ready)
        return 0

    _run(action)


@main.command(help="Print a signed, expiring link that opens this week's section of a report's 1:1 doc (for their manager), "
                   "or with --confidential --member EMAIL one that lets a leadership member read the confidential doc "
                   "in the local view (`docket serve`, embedded and emulator backends).")
@click.option("--report", default=None, metavar="EMAIL", help="The engineer whose 1:1 the link opens.")
@click.option("--manager", default=None, metavar="EMAIL", help="Their manager, when the engineer has 1:1s with several.")
@click.option("--confidential", is_flag=True, help="A link to read the leadership confidential doc locally (with --member).")
@click.option("--member", default=None, metavar="EMAIL", help="The leadership member the --confidential link is for.")
@click.option("--days", default=None, type=click.IntRange(1, 366),
              help="How long the link works (default: 30 days; 1 day with --confidential).")
@config_option
def link(report: str | None, manager: str | None, confidential: bool, member: str | None, days: int | None,
         config: str | None) -> None:
    from service.triggers.links import link_signer

    if confidential:
        if report or manager:
            raise click.UsageError("--confidential links are for a member (--member), not a 1:1 (--report, --manager)")
        if not member:
            raise click.UsageError("--confidential needs --member EMAIL: the leadership member who will read it")
    elif member:
        raise click.UsageError("--member goes with --confidential")
    elif not report:
        raise click.UsageError("Missing option '--report' (or --confidential --member EMAIL)")
    settings = _settings(config)
    if confidential:
        assert member is not None
        _run(lambda: _member_link(settings, member, days or MEMBER_LINK_DAYS))
        return
    days = 30 if days is None else days
    assert report is not None

    def action() -> int:
        # The roster sheet, when configured, is read (as Docket) to find the pair.
        roster = _services(settings).settings if settings.roster.sheet_id else settings
        pairs = [p for p in roster.pairs_for_report(report) if manager is None or p.manager == manager.strip().lower()]
        if not pairs:
            whose = f" with manager {manager}" if manager else ""
            where = f"the roster sheet {settings.roster.sheet_id}" if settings.roster.sheet_id else f"one_on_one in {settings.source}"
            mistyped, configured = ((manager, [p.manager for p in settings.pairs_for_report(report)])
                                    if manager and settings.pairs_for_report(report)
                                    else (report, [p.report for p in settings.one_on_ones]))
            return _fail(f"no 1:1 is configured for {report}{whose} ({where})" + did_you_mean(mistyped, configured), 2)
        if len(pairs) > 1:
            managers = ", ".join(p.manager for p in pairs)
            return _fail(f"{report} has 1:1s with several managers ({managers}): choose one with --manager", 2)
        pair = pairs[0]
        links = link_signer(settings)
        click.echo(links.url(settings.service.base_url, links.issue(pair.manager, pair.report, days=days)))
        click.echo(f"For {pair.manager_name} <{pair.manager}>: opens the 1:1 with {pair.report_name}; "
                   f"valid for {days} day(s). Anyone with the link can open that doc's weekly section.", err=True)
        _warn_if_links_unanswered(settings)
        return 0

    _run(action)


def _member_link(settings: Settings, member: str, days: int) -> int:
    """`docket link --confidential --member EMAIL`: a member's signed link to the confidential doc's local view."""
    from service.meetings.leadership import CONFIDENTIAL_KIND
    from service.triggers.links import member_link_signer

    if settings.backend == "google":
        return _fail("on Google the members read the confidential doc in Google Docs, which only they can open; "
                     "member links open the local view of the embedded and emulator backends", 2)
    if (refused := _no_leadership(settings)) is not None:
        return refused
    services = _services(settings)
    leadership = Leadership(services)
    try:
        email = leadership.require_member(member, "read the confidential doc")
    except Forbidden as exc:
        return _fail(f"{exc.message} (leadership.members in {settings.source})"
                     + did_you_mean(member, leadership.settings.members), 2)
    doc = services.registry.find_one(CONFIDENTIAL_KIND.properties())
    if doc is None:
        return _fail("there is no confidential doc yet: `docket weekly` makes it", 2)
    links = member_link_signer(settings)
    click.echo(links.url(settings.service.base_url, doc.id, links.issue(email, doc.id, days=days)))
    click.echo(f"For {leadership.settings.name_of(email)} <{email}>: opens the confidential doc in `docket serve`'s local view "
               f"while they are a leadership member; valid for {days} day(s). Whoever has the link reads it as them: "
               "send it to them only.", err=True)
    return 0


@main.command(help="Serve the HTTP API (docs/http-api.md): Cloud Scheduler, the Docs add-on, manager links, local views. "
                   "On the embedded and emulator backends it listens at service.base_url (where the links Docket "
                   "prints point) unless --host/--port say otherwise.")
@click.option("--host", default=None, help="Address to bind (default: service.base_url's host when it is local, else 127.0.0.1).")
@click.option("--port", default=None, type=int,
              help="Port (default: $PORT, else service.base_url's port when it is local, else 8080); 0 picks a free one.")
@config_option
def serve(host: str | None, port: int | None, config: str | None) -> None:
    import os

    from werkzeug.serving import make_server

    from service.app import create_app
    from service.service_address import Address, mismatch_warning, serve_address

    settings = _settings(config)
    address = serve_address(settings, host, port, os.environ)

    def action() -> int:
        app = create_app(settings)
        # Werkzeug's threaded server is for one person's machine; production runs gunicorn on service.wsgi.
        server = make_server(address.host, address.port, app, threaded=True)
        served = Address(address.host, server.server_port)
        click.echo(f"Docket on {served.origin} ({settings.backend} backend, config: {settings.source})"
                   + (f"; documents at {served.origin}/local/docs" if settings.backend != "google" else ""), err=True)
        warning = mismatch_warning(settings, served)
        if warning:
            click.echo(f"warning: {warning}", err=True)
        try:
            server.serve_forever()
        finally:
            server.server_close()
        return 0

    _run(action)
