"""The `docket` command line (DESIGN §1.6): exit 0 on success, 1 when a document failed, 2 on bad usage or configuration."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from typing import Any, Callable

import click

from service.calendar import Week, parse_date
from service.errors import ConfigError, DocketError
from service.settings import Settings, load_settings

CONFIDENTIAL_NOTICE = "[confidential document: its text is shown only in Google Docs, to the leadership members]"


def _settings(config: str | None) -> Settings:
    try:
        return load_settings(config)
    except ConfigError as exc:
        raise click.exceptions.Exit(_fail(exc.message, 2)) from None


def _fail(message: str, code: int) -> int:
    click.echo(f"error: {message}", err=True)
    return code


def _engine(settings: Settings) -> Any:
    from service.engine import Engine

    return Engine.build(settings)


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
    except DocketError as exc:
        code = _fail(exc.message, 1)
    sys.exit(code)


@click.group(help="Docket runs your support team's 1:1 and leadership meeting documents in Google Docs.")
def main() -> None:
    pass


def _where(settings: Settings, outcome: Any) -> str:
    """Where a person reads the section: Google Docs, or the local view on the embedded default."""
    if settings.backend == "google":
        return str(outcome.url)
    heading = outcome.url.partition("#heading=")[2]
    return f"{settings.service.base_url}/local/docs/{outcome.document_id}" + (f"#{heading}" if heading else "")


@main.command(help="The main job: bring every document up to this week (one dated section each, exactly once).")
@click.option("--date", "date_text", metavar="YYYY-MM-DD", help="A day of the week to act on (default: today in each meeting's time zone).")
@config_option
def weekly(date_text: str | None, config: str | None) -> None:
    from service.meetings.weekly import jobs, run_weekly

    on = _date_option(date_text)
    settings = _settings(config)

    def action() -> int:
        engine = _engine(settings)
        week = Week.of(on, datetime.now(timezone.utc))
        total = sum(count for _kind, _title, count, _work in jobs(engine, week))
        done = [0]

        def show(result: Any) -> None:
            done[0] += 1
            progress = f"[{done[0]}/{total}]"
            if hasattr(result, "action"):
                click.echo(f"{progress} {result.action:<9} {result.title}  {_where(settings, result)}")
            else:
                click.echo(f"{progress} FAILED    {result.title}: {result.reason}")
                if result.kind == "leadership":
                    done[0] += 1  # the agenda and the confidential doc fail together

        click.echo(f"Docket weekly for the week of {week.today_in(settings.organization.timezone).isoformat()} "
                   f"({settings.backend} backend, config: {settings.source})")
        report = run_weekly(engine, week, on_outcome=show)
        if settings.backend != "google":
            click.echo(f"Read them with `docket docs show DOC_ID`, or run `docket serve` and open the links above.")
        if not report.ok:
            click.echo(f"{len(report.failures)} document(s) failed.", err=True)
            return 1
        return 0

    _run(action)


@main.command("add-item", help="Add an item to the leadership sync's agenda for the week (members only; "
                                "text: one line, at most 1000 characters).")
@click.option("--author", required=True, metavar="EMAIL", help="The leadership member adding the item.")
@click.option("--text", required=True, metavar="TEXT", help="The item, one line.")
@click.option("--fyi", "kind", flag_value="fyi", help="Needs no discussion: prefixed 'FYI:' in the agenda.")
@click.option("--confidential", "kind", flag_value="confidential",
              help="Written only to the confidential doc; the agenda gets a placeholder naming you.")
@click.option("--date", "date_text", metavar="YYYY-MM-DD", help="A day of the meeting's week (default: today in its time zone).")
@config_option
def add_item(author: str, text: str, kind: str | None, date_text: str | None, config: str | None) -> None:
    from service.meetings.leadership import Leadership

    on = _date_option(date_text)
    settings = _settings(config)
    kind = kind or "discussion"

    def action() -> int:
        engine = _engine(settings)
        outcome = Leadership(engine).add_item(author=author, text=text, kind=kind, week=Week.of(on, datetime.now(timezone.utc)))
        # Never echo the text: for a confidential item it must not reach command output.
        done = "added" if outcome.created else "already present"
        where = "the confidential doc, with a placeholder in the agenda" if kind == "confidential" else "the agenda"
        click.echo(f"{kind} item {outcome.item_id} {done}: {where}  {_where(settings, outcome)}")
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
        engine = _engine(settings)
        for doc in engine.registry.all_documents():
            click.echo(f"{doc.kind:<24} {doc.id}  {doc.name}")
        return 0

    _run(action)


@docs.command("show", help="Print a document as text (or its Docs API JSON with --json).")
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True, help="Print the documents.get resource.")
@config_option
def docs_show(doc_id: str, as_json: bool, config: str | None) -> None:
    from service.google.document_view import as_text

    settings = _settings(config)

    def action() -> int:
        engine = _engine(settings)
        doc = engine.registry.get(doc_id)
        if doc.kind == "leadership_confidential":
            # Confidential text never reaches command output (DESIGN §1.5).
            click.echo(f"{doc.name}\n{CONFIDENTIAL_NOTICE}")
            return 0
        resource = engine.google.call(engine.google.documents.get(documentId=doc_id), f"documents.get {doc_id}", method="docs.get")
        click.echo(json.dumps(resource, indent=2, ensure_ascii=False) if as_json else as_text(resource).rstrip("\n"))
        return 0

    _run(action)


@main.command(help="Serve the built-in Docs/Drive emulator over HTTP (state in $DOCKET_DATA_DIR).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=9000, show_default=True, type=int)
@config_option
def emulator(host: str, port: int, config: str | None) -> None:
    from service.emulator.bootstrap import serve_emulator

    settings = _settings(config)
    click.echo(f"Docket emulator on http://{host}:{port} (data: {settings.data_dir}); "
               f"point DOCKET_GOOGLE_ENDPOINT at it.", err=True)
    serve_emulator(settings.data_dir, host=host, port=port, shared_drive_id=settings.google.folder_id)
