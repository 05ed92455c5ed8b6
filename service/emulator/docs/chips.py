"""Inline elements a request inserts: page breaks, person and date chips, and dropdown chips with their definitions."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from service.emulator.errors import unmodelled

from .edits import inherited_style, insert_runs, past_cluster
from .paragraphs import Paragraph, Run, atom
from .requests import RequestContext

_DEFINITION_ID = re.compile(r"^kix\.[a-zA-Z0-9_-]{2,14}$")  # DOCS-DD DropdownDefinition.dropdownDefinitionId
_OPTION_ID = re.compile(r"^dropdownItem\.[a-zA-Z0-9_-]{2,14}$")  # DOCS-DD DropdownOption.optionId
_OPTION_STYLE_FIELDS = {"foregroundColor", "backgroundColor"}  # DOCS-DD DropdownOption.textStyle
MIN_OPTIONS, MAX_OPTIONS = 2, 50  # DOCS-DD DropdownDefinitionProperties.options
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _insert_atom(ctx: RequestContext, req: dict[str, Any], kind: str, payload: dict[str, Any], *,
                 body_only: bool = False, newline: bool = False) -> None:
    where, index = ctx.insertion(req, body_only=body_only)
    index = past_cluster(where, index)
    style = inherited_style(where, index)
    runs: list[Run] = [atom(kind, payload, style)]
    if newline:
        runs.append(Run("\n", {k: v for k, v in style.items() if k != "link"}))
    insert_runs(where, index, runs, ctx.ids)


def insert_page_break(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    """A page break followed by a newline (DOCS-DD InsertPageBreakRequest); body only, so the
    segment id must be empty. Inside a table it would be refused; tables are not edited here."""
    ctx.check_keys(req, {"location", "endOfSegmentLocation"})
    _insert_atom(ctx, req, "pageBreak", {}, body_only=True, newline=True)
    return {}


def insert_person(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    """A person chip (1 unit). personId is minted; the name is kept only when given (DOCS-DD
    PersonProperties: email always present, name when displayed instead of the email)."""
    ctx.check_keys(req, {"location", "endOfSegmentLocation", "personProperties"})
    props = req.get("personProperties") or {}
    ctx.check_keys(props, {"email", "name"}, "personProperties")
    email = props.get("email")
    if not isinstance(email, str) or not _EMAIL.match(email):
        raise ctx.error("personProperties.email must be an email address.")  # UNCONFIRMED wording
    person: dict[str, Any] = {"personId": ctx.ids.named_range_id(), "personProperties": dict(props)}
    _insert_atom(ctx, req, "person", person)
    return {}


def insert_date(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    """A date chip (1 unit). Not modelled: displayText for locales other than en and for custom formats."""
    ctx.check_keys(req, {"location", "endOfSegmentLocation", "dateElementProperties"})
    props = dict(req.get("dateElementProperties") or {})
    ctx.check_keys(props, {"dateFormat", "displayText", "locale", "timeFormat", "timeZoneId", "timestamp"},
                   "dateElementProperties")
    props.pop("displayText", None)  # output only
    if props.get("locale") not in (None, "", "en"):
        raise unmodelled("insertDate with a locale other than en")
    try:
        moment = datetime.fromisoformat(str(props.get("timestamp") or "1970-01-01T00:00:00Z").replace("Z", "+00:00"))
    except ValueError:
        raise ctx.error("dateElementProperties.timestamp must be an RFC 3339 timestamp.") from None
    if props.get("timeZoneId") not in (None, "", "etc/UTC", "UTC") or props.get("timeFormat") not in (
            None, "", "TIME_FORMAT_UNSPECIFIED", "TIME_FORMAT_DISABLED"):
        raise unmodelled("insertDate with a time zone or a time shown")
    fmt = props.get("dateFormat") or "DATE_FORMAT_MONTH_DAY_YEAR_ABBREVIATED"
    shown = {
        "DATE_FORMAT_MONTH_DAY_YEAR_ABBREVIATED": "%b {d}, %Y",
        "DATE_FORMAT_MONTH_DAY_ABBREVIATED": "%b {d}",
        "DATE_FORMAT_MONTH_DAY_FULL": "%B {d}",
        "DATE_FORMAT_ISO8601": "%Y-%m-%d",
    }.get(fmt)
    if shown is None:
        raise unmodelled(f"insertDate with dateFormat {fmt}")
    moment = moment.astimezone(UTC)
    props["displayText"] = moment.strftime(shown).replace("{d}", str(moment.day))
    _insert_atom(ctx, req, "dateElement", {"dateId": ctx.ids.named_range_id(), "dateElementProperties": props})
    return {}


# -- dropdowns -------------------------------------------------------------------------------------


def _check_definition(ctx: RequestContext, definition: dict[str, Any], existing: set[str]) -> dict[str, Any]:
    ctx.check_keys(definition, {"dropdownDefinitionId", "dropdownDefinitionProperties"}, "dropdownDefinition")
    definition_id = definition.get("dropdownDefinitionId") or ""
    if definition_id:
        if not _DEFINITION_ID.match(definition_id):
            raise ctx.error(f"The dropdown definition ID {definition_id!r} must match ^kix\\.[a-zA-Z0-9_-]{{2,14}}$.")
        if definition_id in existing:
            raise ctx.error(f"The dropdown definition ID {definition_id!r} is already used in this tab.")
    else:
        definition_id = ctx.ids.named_range_id()
    props = definition.get("dropdownDefinitionProperties") or {}
    ctx.check_keys(props, {"options", "title"}, "dropdownDefinition.dropdownDefinitionProperties")
    options = props.get("options") or []
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise ctx.error(f"A dropdown definition must have between {MIN_OPTIONS} and {MAX_OPTIONS} options, not {len(options)}.")
    seen: set[str] = set()
    checked = []
    for n, option in enumerate(options):
        ctx.check_keys(option, {"displayValue", "optionId", "textStyle"}, f"dropdownDefinition.options[{n}]")
        option_id = option.get("optionId") or ""
        if option_id and not _OPTION_ID.match(option_id):
            raise ctx.error(f"The option ID {option_id!r} must match ^dropdownItem\\.[a-zA-Z0-9_-]{{2,14}}$.")
        if not option_id:
            option_id = "dropdownItem." + ctx.ids.named_range_id()[4:]
        if option_id in seen:
            raise ctx.error(f"The option ID {option_id!r} is used twice in this dropdown definition.")
        seen.add(option_id)
        if not isinstance(option.get("displayValue"), str) or not option["displayValue"]:
            raise ctx.error(f"options[{n}].displayValue must be set.")  # Choice: an empty option is refused.
        style = option.get("textStyle") or {}
        if set(style) - _OPTION_STYLE_FIELDS:
            raise ctx.error("A dropdown option's textStyle may only set foregroundColor and backgroundColor.")
        checked.append({**option, "optionId": option_id})
    out_props = {"options": checked}
    if props.get("title"):
        out_props["title"] = props["title"]
    return {"dropdownDefinitionId": definition_id, "dropdownDefinitionProperties": out_props}


def create_dropdown_definition(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    ctx.check_keys(req, {"dropdownDefinition", "tabId"})
    _, tab = ctx.tab(req.get("tabId"))
    if not isinstance(req.get("dropdownDefinition"), dict):
        raise ctx.error("dropdownDefinition is required.")
    definition = _check_definition(ctx, req["dropdownDefinition"], set(tab.dropdowns))
    tab.dropdowns[definition["dropdownDefinitionId"]] = definition
    return {"createDropdownDefinition": {"dropdownDefinition": definition}}


def _option(definition: dict[str, Any], option_id: str) -> dict[str, Any] | None:
    for option in definition["dropdownDefinitionProperties"]["options"]:
        if option["optionId"] == option_id:
            return option
    return None


def insert_dropdown(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    """A dropdown chip of a definition in the same tab, its first option selected unless selectedOptionId says."""
    ctx.check_keys(req, {"location", "endOfSegmentLocation", "dropdownDefinitionId", "selectedOptionId"})
    place = req.get("location") or req.get("endOfSegmentLocation") or {}
    _, tab = ctx.tab(place.get("tabId") if isinstance(place, dict) else None)
    definition = tab.dropdowns.get(req.get("dropdownDefinitionId") or "")
    if definition is None:
        raise ctx.error(f"The dropdown definition {req.get('dropdownDefinitionId')!r} does not exist in this tab.")
    selected = req.get("selectedOptionId") or definition["dropdownDefinitionProperties"]["options"][0]["optionId"]
    option = _option(definition, selected)
    if option is None:
        raise ctx.error(f"The option {selected!r} is not an option of the dropdown definition.")
    dropdown = {"dropdownId": ctx.ids.named_range_id(), "dropdownProperties": {
        "dropdownDefinitionId": definition["dropdownDefinitionId"], "selectedOptionId": selected,
        "displayValue": option["displayValue"]}}
    _insert_atom(ctx, req, "dropdown", dropdown)
    return {"insertDropdown": {"dropdown": dropdown}}


def _chips(tab: Any) -> list[tuple[Any, int, Paragraph, int, Run]]:
    """(segment, item number, paragraph, run number, run) of every dropdown chip of a tab."""
    found = []
    for _, segment in tab.all_segments():
        for number, para in segment.paragraphs():
            for k, run in enumerate(para.runs):
                if run.kind == "dropdown":
                    found.append((segment, number, para, k, run))
    return found


def update_dropdown_properties(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    """Select another option of a dropdown chip (what a person's pick amounts to); displayValue follows."""
    ctx.check_keys(req, {"dropdownId", "dropdownProperties", "fields", "tabId"})
    fields = ctx.fields(req.get("fields"), {"selectedOptionId", "dropdownDefinitionId", "displayValue"})
    if fields & {"dropdownDefinitionId", "displayValue"}:
        raise ctx.error("Only dropdownProperties.selectedOptionId can be updated.")  # displayValue is the server's
    props = req.get("dropdownProperties") or {}
    ctx.check_keys(props, {"selectedOptionId", "dropdownDefinitionId", "displayValue"}, "dropdownProperties")
    _, tab = ctx.tab(req.get("tabId"))
    for segment, number, para, k, run in _chips(tab):
        payload = run.payload or {}
        if payload.get("dropdownId") != req.get("dropdownId"):
            continue
        current = payload.get("dropdownProperties") or {}
        definition = tab.dropdowns.get(current.get("dropdownDefinitionId", ""))
        option = _option(definition, props.get("selectedOptionId") or "") if definition else None
        if option is None:
            raise ctx.error(f"The option {props.get('selectedOptionId')!r} is not an option of the dropdown's definition.")
        new_props = {**current, "selectedOptionId": option["optionId"], "displayValue": option["displayValue"]}
        runs = list(para.runs)
        runs[k] = Run(run.text, run.style, run.kind, {**payload, "dropdownProperties": new_props}, None, run.styled)
        segment.put(number, Paragraph(tuple(runs), para.style, para.bullet, para.extra, para.text))
        return {}
    raise ctx.error(f"The dropdown {req.get('dropdownId')!r} was not found.")


def delete_dropdown_definition(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    """Deletes an unused definition; one still used by a chip is a 400 (DOCS-DD)."""
    ctx.check_keys(req, {"dropdownDefinitionId", "tabId"})
    _, tab = ctx.tab(req.get("tabId"))
    definition_id = req.get("dropdownDefinitionId") or ""
    if definition_id not in tab.dropdowns:
        raise ctx.error(f"The dropdown definition {definition_id!r} does not exist in this tab.")
    if any((run.payload or {}).get("dropdownProperties", {}).get("dropdownDefinitionId") == definition_id
           for *_, run in _chips(tab)):
        raise ctx.error(f"The dropdown definition {definition_id!r} is used by dropdowns in the document.")
    del tab.dropdowns[definition_id]
    return {}
