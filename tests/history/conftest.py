"""A person at the keyboard of a 1:1 doc, through the real Docs API: picking a chip's value, typing, striking, linking."""

from __future__ import annotations

from typing import Any

from service.meetings.check_in import DROPDOWNS


class Person:
    """Edits a document as one of its writers would in the Docs editor (each edit one batchUpdate)."""

    def __init__(self, google: Any, document_id: str) -> None:
        self.google, self.document_id = google, document_id

    def doc(self) -> dict:
        return self.google.documents.get(documentId=self.document_id, includeTabsContent=True).execute()

    def _body(self) -> dict:
        return self.doc()["tabs"][0]["documentTab"]

    def section(self, week: str) -> list[dict]:
        """The paragraphs (structural elements) of a week's section."""
        tab = self._body()
        (group,) = tab["namedRanges"][f"docket.week.{week}"]["namedRanges"]
        start, end = group["ranges"][0].get("startIndex", 0), group["ranges"][0]["endIndex"]
        return [e for e in tab["body"]["content"] if "paragraph" in e and start <= e.get("startIndex", 0) < end]

    def line(self, week: str, startswith: str, nth: int = 0) -> dict:
        found = [e for e in self.section(week) if _text(e).lstrip().startswith(startswith)]
        return found[nth]

    def _write(self, *requests: dict) -> None:
        self.google.documents.batchUpdate(documentId=self.document_id, body={"requests": list(requests)}).execute()

    def pick(self, element: dict, shown: str) -> None:
        """Choose `shown` in the first chip of a paragraph."""
        chip = next(p["dropdown"] for p in element["paragraph"]["elements"] if "dropdown" in p)
        definition = chip["dropdownProperties"]["dropdownDefinitionId"]
        dropdown = next(d for d in DROPDOWNS if d.id == definition)
        option = next(o for o, value in dropdown.options if value == shown)
        self._write({"updateDropdownProperties": {"dropdownId": chip["dropdownId"], "fields": "selectedOptionId",
                                                  "dropdownProperties": {"selectedOptionId": option}}})

    def type_at_end(self, element: dict, text: str) -> None:
        self._write({"insertText": {"location": {"index": element["endIndex"] - 1}, "text": text}})

    def new_line_after(self, element: dict, text: str) -> None:
        """Press Enter at the end of a paragraph and type `text` (the new line keeps its list, as in Docs)."""
        self._write({"insertText": {"location": {"index": element["endIndex"] - 1}, "text": "\n" + text}})

    def strike(self, element: dict) -> None:
        start = element["paragraph"]["elements"][0]["startIndex"]
        self._write({"updateTextStyle": {"range": {"startIndex": start, "endIndex": element["endIndex"] - 1},
                                         "textStyle": {"strikethrough": True}, "fields": "strikethrough"}})

    def link(self, element: dict, words: str, url: str) -> None:
        at = _text(element).index(words)
        start = element["paragraph"]["elements"][0]["startIndex"] + _utf16(_text(element)[:at])
        self._write({"updateTextStyle": {"range": {"startIndex": start, "endIndex": start + _utf16(words)},
                                         "textStyle": {"link": {"url": url}}, "fields": "link"}})


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _text(element: dict) -> str:
    """A paragraph's text, chips as U+E907 as Docs counts them."""
    out = []
    for part in element["paragraph"]["elements"]:
        out.append(part["textRun"]["content"] if "textRun" in part else "\ue907")
    return "".join(out).rstrip("\n")


def chip_value(element: dict) -> str | None:
    chip = next((p["dropdown"] for p in element["paragraph"]["elements"] if "dropdown" in p), None)
    return chip["dropdownProperties"]["displayValue"] if chip else None


def plain(element: dict) -> str:
    return _text(element).replace("\ue907", "").strip()
