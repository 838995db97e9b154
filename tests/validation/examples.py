"""The validation example files, derived from the bundled data: one valid case (b5-07), a valid dataset
holding it, and one invalid file per rule, each a single change of a valid one.

    python -m tests.validation.examples      # rewrite them after the data contract changes

``tests/test_validate.py`` checks that the committed files are what this makes, so they cannot drift.
The files that are not JSON at all (empty, blank, truncated, invalid UTF-8, too deeply nested, not an
object) are written by hand and not made here.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

import ftz_reforms

HERE = Path(__file__).resolve().parent


def _dump(document: Any) -> bytes:
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


def examples() -> dict[Path, bytes]:
    """Every derived example file and its bytes."""
    case = ftz_reforms.get(7).model_dump(mode="json")
    dataset = {**ftz_reforms.dataset().data.model_dump(mode="json"), "cases": [case]}

    def changed(base: dict[str, Any], change: Callable[[dict[str, Any]], object]) -> bytes:
        document = copy.deepcopy(base)
        change(document)
        return _dump(document)

    assert case["categories"][1] == "government_services" and case["metrics"][0]["span"] == "超过2万艘次"
    assert case["metrics"][0]["value"] == 20000.0 and case["effects"][0]["relative_change"] == -70.0
    assert len(case["practices"][0]["paragraph_starts_zh"]) == 4
    return {
        HERE / "valid" / "case.json": _dump(case),
        HERE / "valid" / "dataset.json": _dump(dataset),
        HERE / "invalid" / "bad-category.json": changed(case, lambda d: d["categories"].__setitem__(1, "astrology")),
        HERE / "invalid" / "bad-unit.json": changed(case, lambda d: d["metrics"][0].__setitem__("unit", "furlong")),
        HERE / "invalid" / "dataset-bad-version.json": changed(dataset, lambda d: d.__setitem__("data_version", "v1")),
        HERE / "invalid" / "missing-field.json": changed(case, lambda d: d.pop("title_zh")),
        HERE / "invalid" / "span-not-in-sentence.json": changed(
            case, lambda d: d["metrics"][0].__setitem__("span", "999亿元")
        ),
        HERE / "invalid" / "paragraph-outside-text.json": changed(
            case, lambda d: d["practices"][0].__setitem__("paragraph_starts_zh", [0, 184, 302, 9999])
        ),
        HERE / "invalid" / "paragraphs-en-count.json": changed(
            case, lambda d: d["practices"][0].__setitem__("paragraph_starts_en", [0])
        ),
        HERE / "invalid" / "unknown-field.json": changed(case, lambda d: d.__setitem__("rating", 5)),
        HERE / "invalid" / "wrong-type.json": changed(case, lambda d: d.__setitem__("number", "seven")),
        # What a lax reading would convert, and the JSON Schema refuses.
        HERE / "invalid" / "number-as-string.json": changed(case, lambda d: d.__setitem__("number", "7")),
        HERE / "invalid" / "boolean-for-number.json": changed(
            case, lambda d: d["metrics"][0].__setitem__("value", True)
        ),
        HERE / "invalid" / "repeated-key.json": _dump(case).replace(
            b'  "number": 7,', b'  "number": 7,\n  "number": 7,'
        ),
        # What the contract says of a whole file.
        HERE / "invalid" / "id-disagrees-with-number.json": changed(case, lambda d: d.__setitem__("number", 8)),
        # Ids are permanent, so not in document order; but each names one record, and a withdrawn one none.
        HERE / "invalid" / "metric-id-used-twice.json": changed(
            case, lambda d: d["metrics"][1].__setitem__("id", d["metrics"][0]["id"])
        ),
        HERE / "invalid" / "withdrawn-id-in-use.json": changed(
            case,
            lambda d: d.__setitem__(
                "withdrawn", [{"id": d["effects"][0]["id"], "data_version": "0.8.0", "reason": "a test"}]
            ),
        ),
        # An effect's links keep the roles ROLE_RULE gives them, and its measure is of the vocabulary.
        HERE / "invalid" / "effect-links-a-level.json": changed(
            case, lambda d: d["effects"][0].__setitem__("before", "b5-07-m01")
        ),
        HERE / "invalid" / "effect-bad-measure.json": changed(
            case, lambda d: d["effects"][0].__setitem__("measure", "speed")
        ),
        HERE / "invalid" / "dataset-newer-schema.json": changed(
            dataset, lambda d: d.__setitem__("schema_version", "9.0.0")
        ),
        HERE / "invalid" / "dataset-no-cases.json": changed(dataset, lambda d: d.__setitem__("cases", [])),
        HERE / "invalid" / "dataset-repeated-case.json": changed(dataset, lambda d: d["cases"].append(case)),
        HERE / "invalid" / "dataset-published-not-a-month.json": changed(
            dataset, lambda d: d["sources"][0].__setitem__("published", "January 2024")
        ),
        **{
            HERE / "invalid" / f"dataset-published-{published}.json": changed(
                dataset, lambda d, published=published: d["sources"][0].__setitem__("published", published)
            )
            for published in ("2024-13", "24-01", "2024-1")
        },
        # What every command must be able to show: no control character in any string, every number within
        # its bounds, every point quoted from its text (each example a hostile value a terminal, a table or
        # an export could not take).
        HERE / "invalid" / "control-esc-in-title.json": changed(case, lambda d: d.__setitem__("title_zh", ESC_TITLE)),
        HERE / "invalid" / "control-bel-in-paragraph.json": changed(
            case, lambda d: d["practices"][0].__setitem__("text_zh", _replaced(d["practices"][0]["text_zh"], 190, "\a"))
        ),
        HERE / "invalid" / "control-nul-in-point.json": changed(
            case,
            lambda d: d["practices"][0].__setitem__(
                "points", [_replaced(d["practices"][0]["text_zh"][180:200], 5, "\0")]
            ),
        ),
        HERE / "invalid" / "control-c1-in-english.json": changed(
            case, lambda d: d.__setitem__("summary_en", _replaced(d["summary_en"], 2, "\x85"))
        ),
        HERE / "invalid" / "page-2-63.json": changed(case, lambda d: d["source"].__setitem__("page_end", 2**63)),
        HERE / "invalid" / "line-2-63.json": changed(case, lambda d: d["source"].__setitem__("line_end", 2**63)),
        HERE / "invalid" / "offset-2-63.json": changed(case, lambda d: d["metrics"][0].__setitem__("start", 2**63)),
        HERE / "invalid" / "ordinal-100.json": changed(case, lambda d: d["practices"][0].__setitem__("ordinal", 100)),
        HERE / "invalid" / "ordinal-0.json": changed(case, lambda d: d["practices"][0].__setitem__("ordinal", 0)),
        HERE / "invalid" / "point-not-in-text.json": changed(
            case, lambda d: d["practices"][0].__setitem__("points", ["一是不在文中的一点"])
        ),
        HERE / "invalid" / "value-too-large.json": changed(case, lambda d: d["metrics"][0].__setitem__("value", 1e16)),
        # NaN and Infinity are no JSON (orjson writes them as null): written into the text as Python's json does.
        HERE / "invalid" / "value-nan.json": _dump(case).replace(b'"value": 20000.0,', b'"value": NaN,', 1),
        HERE / "invalid" / "value-infinity.json": _dump(case).replace(b'"value": 20000.0,', b'"value": Infinity,', 1),
        HERE / "invalid" / "relative-change-infinity.json": _dump(case).replace(
            b'"relative_change": -70.0,', b'"relative_change": -Infinity,', 1
        ),
    }


ESC_TITLE = "船舶\x1b[2J监管申报新模式"
"""A title holding ESC [2J, the sequence that clears a terminal."""


def _replaced(text: str, position: int, character: str) -> str:
    """``text`` with the character at ``position`` replaced (offsets into the text stay where they were)."""
    return text[:position] + character + text[position + 1 :]


if __name__ == "__main__":
    for path, content in examples().items():
        path.write_bytes(content)
        print(f"wrote {path.relative_to(HERE.parent.parent)}")
