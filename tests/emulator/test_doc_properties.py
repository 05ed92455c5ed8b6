"""Property: random valid and invalid insert/delete sequences match a reference model of UTF-16 text."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.emulator.docs.document import Document
from service.emulator.errors import ApiError
from service.emulator.ids import IdSource

# BMP letters, RTL, CJK, a precomposed accent, astral emoji (surrogate pairs), tab and newline.
ALPHABET = ["a", "Z", "é", "ש", "م", "会", "😄", "🎉", "\t", "\n"]


class Reference:
    """The body as a list of UTF-16 code units (bytes from Python's own codec, independent of the emulator)."""

    def __init__(self) -> None:
        self.units: list[bytes] = [b"\n\x00"]

    @property
    def end(self) -> int:
        return len(self.units) + 1  # + the section break at 0

    def text(self) -> str:
        return b"".join(self.units).decode("utf-16-le")

    def _inside_pair(self, index: int) -> bool:
        """Body index `index` sits between a high and a low surrogate."""
        pos = index - 1
        if not 0 < pos < len(self.units):
            return False
        return 0xDC00 <= int.from_bytes(self.units[pos], "little") <= 0xDFFF

    def insert(self, index: int, text: str) -> bool:
        if not 1 <= index < self.end:
            return False
        if self._inside_pair(index):
            index += 1  # Google moves the insertion point after the cluster
        data = text.encode("utf-16-le")
        new = [data[i : i + 2] for i in range(0, len(data), 2)]
        self.units[index - 1 : index - 1] = new
        return True

    def delete(self, start: int, end: int) -> bool:
        if not (1 <= start < end <= self.end - 1):
            return False
        if self._inside_pair(start) or self._inside_pair(end):
            return False
        del self.units[start - 1 : end - 1]
        return True


def check_structure(resource: dict[str, Any], end: int) -> None:
    content = resource["body"]["content"]
    assert "startIndex" not in content[0] and content[0]["endIndex"] == 1
    position = 1
    for element in content[1:]:
        assert element["startIndex"] == position
        inner = position
        texts = []
        for run in element["paragraph"]["elements"]:
            assert run["startIndex"] == inner
            text = run["textRun"]["content"]
            assert text
            inner += len(text.encode("utf-16-le")) // 2
            assert run["endIndex"] == inner
            texts.append(text)
        joined = "".join(texts)
        assert joined.endswith("\n") and "\n" not in joined[:-1]
        assert element["endIndex"] == inner
        position = inner
    assert position == end
    for group in resource.get("namedRanges", {}).values():
        for named in group["namedRanges"]:
            for rng in named["ranges"]:
                assert 1 <= rng["startIndex"] < rng["endIndex"] <= end


operation = st.one_of(
    st.tuples(st.just("insert"), st.integers(-1, 400), st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=6).map("".join)),
    st.tuples(st.just("delete"), st.integers(-1, 400), st.integers(0, 12)),
    st.tuples(st.just("style"), st.integers(-1, 400), st.integers(1, 8)),
)


@settings(max_examples=250, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=25))
def test_random_edits_match_reference_and_keep_indexes_contiguous(ops: list[tuple[Any, ...]]) -> None:
    ids = IdSource(1)
    doc = Document.create("prop", "Property", ids)
    reference = Reference()
    doc.batch_update({"requests": [{"createNamedRange": {"name": "whole", "range": {"startIndex": 1, "endIndex": 2}}}]}, ids)
    for kind, raw, arg in ops:
        end = reference.end
        index = raw % (end + 2) - 1  # mostly valid, sometimes out of bounds (-1 .. end)
        before = doc.to_state()
        if kind == "insert":
            request = {"insertText": {"location": {"index": index}, "text": arg}}
            valid = reference.insert(index, arg)
        elif kind == "delete":
            request = {"deleteContentRange": {"range": {"startIndex": index, "endIndex": index + arg}}}
            valid = reference.delete(index, index + arg)
        else:
            request = {"updateTextStyle": {"range": {"startIndex": index, "endIndex": min(index + arg, end)}, "textStyle": {"bold": True}, "fields": "bold"}}
            valid = 1 <= index < min(index + arg, end)
        try:
            doc.batch_update({"requests": [request]}, ids)
            applied = True
        except ApiError as error:
            assert error.code == 400
            assert doc.to_state() == before  # a refused batch changes nothing
            applied = False
        assert applied == valid, (request, reference.text())
        assert doc.plain_text() == reference.text()
        check_structure(doc.to_resource(), reference.end)
