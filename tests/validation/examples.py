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
        HERE / "invalid" / "metric-ids-out-of-order.json": changed(
            case, lambda d: d["metrics"][0].__setitem__("id", "b5-07-m09")
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
    }


if __name__ == "__main__":
    for path, content in examples().items():
        path.write_bytes(content)
        print(f"wrote {path.relative_to(HERE.parent.parent)}")
