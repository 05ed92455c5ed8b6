"""The `docket` command line: exit 0 on success, 1 when a document failed, 2 on bad usage or configuration."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from typing import Any, Callable

import click

from service.calendar import Week, parse_date
from service.errors import BadRequest, ConfidentialityError, ConfigError, DocketError, Forbidden
from service.google.document_view import as_text
from service.meetings.leadership import Leadership
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
        if not report.ok:
            click.echo(f"{len(report.failures)} document(s) failed.", err=True)
            return 1
        return 0

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
        outcome = Leadership(_services(settings)).add_item(author=author, text=text, kind=kind, week=Week.of(on, datetime.now(timezone.utc)))
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
        reading = read_for(_services(settings), doc_id, viewer)
        if reading.resource is None:
            # The kind withholds its text from this viewer: its notice, never any of its text.
            click.echo(f"{reading.doc.name}\n[{reading.notice}]")
            return 0
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


@main.command(help="Print a signed, expiring link that opens this week's section of a report's 1:1 doc (for their manager).")
@click.option("--report", required=True, metavar="EMAIL", help="The engineer whose 1:1 the link opens.")
@click.option("--manager", default=None, metavar="EMAIL", help="Their manager, when the engineer has 1:1s with several.")
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 366), help="How long the link works.")
@config_option
def link(report: str, manager: str | None, days: int, config: str | None) -> None:
    from service.triggers.links import link_signer

    settings = _settings(config)

    def action() -> int:
        # The roster sheet, when configured, is read (as Docket) to find the pair.
        roster = _services(settings).settings if settings.roster.sheet_id else settings
        pairs = [p for p in roster.pairs_for_report(report) if manager is None or p.manager == manager.strip().lower()]
        if not pairs:
            whose = f" with manager {manager}" if manager else ""
            where = f"the roster sheet {settings.roster.sheet_id}" if settings.roster.sheet_id else f"one_on_one in {settings.source}"
            return _fail(f"no 1:1 is configured for {report}{whose} ({where})", 2)
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
