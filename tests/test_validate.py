"""The validator for consumers' files: one example file per rule, every bad input a problem, never a traceback."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ftz_reforms
from ftz_reforms.cli.app import main
from ftz_reforms.model.bounds import json_path
from ftz_reforms.validate import validate_bytes, validate_file

EXAMPLES = Path(__file__).parent / "validation"
VALID = sorted((EXAMPLES / "valid").glob("*.json"))

# The hostile values of an adversarial run, each a negative example: before schema 2.4.0 validate, load and import
# took every one, and list, search, show or the exports then printed control characters, raised or crashed.
HOSTILE = {
    "dataset-published-2024-13.json": ("$.sources[0].published", "not a year and month as YYYY-MM (got '2024-13')"),
    "dataset-published-24-01.json": ("$.sources[0].published", "not a year and month as YYYY-MM (got '24-01')"),
    "dataset-published-2024-1.json": ("$.sources[0].published", "not a year and month as YYYY-MM (got '2024-1')"),
    "control-esc-in-title.json": ("$.title_zh", "control character U+001B at position 2"),
    "control-bel-in-paragraph.json": ("$.practices[0].text_zh", "control character U+0007 at position 190"),
    "control-nul-in-point.json": ("$.practices[0].points[0]", "control character U+0000 at position 5"),
    "control-c1-in-english.json": ("$.summary_en", "control character U+0085 at position 2"),
    "page-2-63.json": ("$.source.page_end", "less than or equal to 100000 (got 9223372036854775808)"),
    "line-2-63.json": ("$.source.line_end", "less than or equal to 10000000 (got 9223372036854775808)"),
    "offset-2-63.json": ("$.metrics[0].start", "less than or equal to 10000000 (got 9223372036854775808)"),
    "ordinal-100.json": ("$.practices[0].ordinal", "less than or equal to 99 (got 100)"),
    "ordinal-0.json": ("$.practices[0].ordinal", "greater than or equal to 1 (got 0)"),
    "point-not-in-text.json": ("$.practices[0]", "points[0] '一是不在文中的一点' does not occur in text_zh"),
    "value-too-large.json": ("$.metrics[0].value", "less than or equal to 1000000000000000 (got 1e+16)"),
    "value-nan.json": ("$.metrics[0].value", "Input should be a finite number (got nan)"),
    "value-infinity.json": ("$.metrics[0].value", "Input should be a finite number (got inf)"),
    "relative-change-infinity.json": ("$.effects[0].relative_change", "Input should be a finite number (got -inf)"),
}

# Each negative example: the JSON path reported and a fragment of the message.
INVALID = {
    "empty.json": ("$", "the file is empty"),
    "blank.json": ("$", "the file is empty"),
    "truncated.json": ("$", "not valid JSON"),
    "invalid-utf8.json": ("$", "not UTF-8: byte 0xff"),
    "deeply-nested.json": ("$", "not valid JSON"),
    "not-an-object.json": ("$", "expected a JSON object"),
    "wrong-type.json": ("$.number", "expected an integer, found a string (got 'seven')"),
    "number-as-string.json": ("$.number", "expected an integer, found a string (got '7')"),
    "boolean-for-number.json": ("$.metrics[0].value", "expected a number, found true or false"),
    "repeated-key.json": ("$.number", "the key 'number' is written 2 times in one object"),
    "id-disagrees-with-number.json": ("$.id", "the id 'b5-07' does not agree with batch 5 and number 8 (b5-08)"),
    "metric-id-used-twice.json": ("$", "metrics[1] (b5-07-m01): an id names one metric, and 2 metrics have this one"),
    "withdrawn-id-in-use.json": ("$", "withdrawn[0] (b5-07-e01): a withdrawn id names no record of the case"),
    "effect-links-a-level.json": ("$", "effects[0] (b5-07-e01): before b5-07-m01 has role level, not before or after"),
    "effect-bad-measure.json": ("$.effects[0].measure", "Input should be 'processing_time'"),
    "dataset-newer-schema.json": ("$.schema_version", "ftz-reforms 2.x reads schema 2.0.0 to"),
    "dataset-no-cases.json": ("$.cases", "a dataset holds at least one case"),
    "dataset-repeated-case.json": ("$.cases[1].id", "the id 'b5-07' is also case 0's: ids are unique"),
    "dataset-published-not-a-month.json": ("$.sources[0].published", "not a year and month as YYYY-MM"),
    "unknown-field.json": ("$.rating", "Extra inputs are not permitted"),
    "missing-field.json": ("$.title_zh", "Field required"),
    "bad-unit.json": ("$.metrics[0].unit", "Input should be 'CNY'"),
    "bad-category.json": ("$.categories[1]", "Input should be 'customs_trade'"),
    "span-not-in-sentence.json": ("$", "span '999亿元' is not in its sentence"),
    "dataset-bad-version.json": ("$.data_version", "should match pattern"),
    "paragraph-outside-text.json": ("$.practices[0]", "paragraph_starts_zh must increase and stay inside the text"),
    "paragraphs-en-count.json": (
        "$.practices[0]",
        "paragraph_starts_en has 1 start for the 4 paragraphs of paragraph_starts_zh",
    ),
    **HOSTILE,
}


def test_every_negative_example_has_an_expectation_and_vice_versa() -> None:
    assert {path.name for path in (EXAMPLES / "invalid").glob("*.json")} == set(INVALID)
    assert {path.name for path in VALID} == {"case.json", "dataset.json"}


@pytest.mark.parametrize("path", VALID, ids=lambda path: path.name)
def test_valid_examples_pass(path: Path) -> None:
    assert validate_file(path) == []


def test_the_bundled_dataset_passes(repo: Path) -> None:
    assert validate_file(repo / "src" / "ftz_reforms" / "data" / "dataset.json") == []


@pytest.mark.parametrize("name", sorted(INVALID))
def test_each_negative_example_reports_its_rule(name: str) -> None:
    location, fragment = INVALID[name]
    problems = validate_file(EXAMPLES / "invalid" / name)
    if name == "dataset-repeated-case.json":  # a repeated case repeats its metrics' ids and breaks the order
        assert all("used twice" in p.message or "document order" in p.message for p in problems[1:]), problems
        assert len(problems) == 1 + len(ftz_reforms.get(7).metrics) + 1
    else:
        assert len(problems) == 1, problems
    assert problems[0].location == location
    assert fragment in problems[0].message
    assert str(problems[0]).startswith(f"{EXAMPLES / 'invalid' / name}: {location}: ")


def test_the_deep_example_is_nested_100000_levels() -> None:
    raw = (EXAMPLES / "invalid" / "deeply-nested.json").read_bytes()
    assert raw.startswith(b"[" * 100_000) and len(raw) == 200_000


def test_a_directory_and_a_missing_path_are_problems(tmp_path: Path) -> None:
    assert [p.message for p in validate_file(tmp_path)] == ["is a directory, not a JSON file"]
    assert [p.message for p in validate_file(tmp_path / "nope.json")] == ["no such file"]


def test_every_error_of_a_file_is_reported() -> None:
    raw = (EXAMPLES / "valid" / "case.json").read_text(encoding="utf-8")
    broken = raw.replace('"number": 7', '"number": "seven"').replace('"batch": 5', '"batch": 0')
    locations = [problem.location for problem in validate_bytes(broken.encode())]
    assert locations == ["$.number", "$.batch"]


def test_kind_forces_the_model() -> None:
    raw = (EXAMPLES / "valid" / "case.json").read_bytes()
    problems = validate_bytes(raw, kind="dataset")
    locations = {problem.location for problem in problems}
    assert {"$.cases", "$.schema_version", "$.id"} <= locations


def test_json_path_formats_indexes_and_names() -> None:
    assert json_path(("cases", 3, "metrics", 0, "value")) == "$.cases[3].metrics[0].value"
    assert json_path(()) == "$"


@pytest.mark.parametrize("raw", [b"\x00\x00\x00\x00\x00", b"\x00{\x00}", b"\xef\xbb\xbf{}", b"{\x00}"])
def test_nul_bytes_and_byte_order_marks_are_named_not_raised(raw: bytes) -> None:
    # Regression: given bytes with leading NULs, json guessed UTF-32 and raised its own UnicodeDecodeError.
    (problem,) = validate_bytes(raw)
    assert problem.location == "$" and problem.message.startswith("not valid JSON")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_no_bytes_make_the_validator_raise(raw: bytes) -> None:
    for problem in validate_bytes(raw):
        assert problem.location.startswith("$") and problem.message


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.integers(-(2**63), 2**63 - 1) | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    )
)
def test_no_json_value_makes_the_validator_raise(value: object) -> None:
    import orjson

    raw = orjson.dumps(value)
    problems = validate_bytes(raw)
    assert problems, "no arbitrary value is a valid case"


def test_cli_prints_every_problem_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(EXAMPLES / "valid" / "case.json"), *(str(EXAMPLES / "invalid" / name) for name in sorted(INVALID))]
    code = main(["validate", *files])
    out, err = capsys.readouterr()
    assert code == 1
    assert len(out.splitlines()) == sum(len(validate_file(EXAMPLES / "invalid" / name)) for name in INVALID)
    assert f"1 of {len(files)} files valid" in err


def test_cli_exits_0_when_all_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", *(str(path) for path in VALID)]) == 0
    assert capsys.readouterr().out == ""


def test_cli_never_prints_a_traceback(tmp_path: Path) -> None:
    args = [str(EXAMPLES / "invalid" / name) for name in sorted(INVALID)] + [str(tmp_path), str(tmp_path / "x")]
    result = subprocess.run(
        [sys.executable, "-m", "ftz_reforms", "validate", *args], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2, "a path that names no readable file is a usage error"
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stdout.splitlines()) == sum(len(validate_file(Path(arg))) for arg in args)


def test_the_derived_example_files_are_current() -> None:
    from tests.validation.examples import examples

    stale = [path.name for path, content in examples().items() if path.read_bytes() != content]
    assert stale == [], f"rerun: python -m tests.validation.examples ({stale})"


# --- at least as strict as the published JSON Schema, and what passes, every command serves ----------------

_SCHEMA = json.loads((Path(__file__).parents[1] / "schemas" / "dataset.schema.json").read_text(encoding="utf-8"))
_VALID_DATASET = json.loads((EXAMPLES / "valid" / "dataset.json").read_text(encoding="utf-8"))
_JSON_VALUES = (
    st.none()
    | st.booleans()
    | st.integers(-3, 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", "7", "CNY", "b5-07", "2024-01", "true", "主要做法", "5.0.0"])
    | st.just([])
    | st.just({})
)


def _places(value: object, where: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [where]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _places(item, (*where, index))
    return found


_Change = tuple[int, str, object]
"""A change of a document: which place (an index into its places, modulo their count), what, and the value."""


def _changed(changes: list[_Change]) -> dict[str, object]:
    """The valid dataset with the changes made: a value replaced, a key removed, or a list item repeated."""
    document = copy.deepcopy(_VALID_DATASET)
    for place, action, value in changes:
        places = _places(document)[1:]
        where = places[place % len(places)]
        parent: Any = document
        for step in where[:-1]:
            parent = parent[step]
        if action == "remove" and isinstance(parent, dict):
            del parent[where[-1]]
        elif action == "repeat" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[where[-1]]))  # type: ignore[index]
        else:
            parent[where[-1]] = value
    return document


_CHANGES = st.lists(
    st.tuples(st.integers(0, 10**6), st.sampled_from(["replace", "remove", "repeat"]), _JSON_VALUES),
    min_size=1,
    max_size=3,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=_CHANGES)
@pytest.mark.slow
def test_what_the_json_schema_refuses_validate_refuses_and_what_it_accepts_every_command_serves(
    changes: list[_Change], tmp_path_factory: pytest.TempPathFactory
) -> None:
    document = _changed(changes)
    raw = json.dumps(document, ensure_ascii=False).encode("utf-8")
    schema_errors = list(jsonschema.Draft202012Validator(_SCHEMA).iter_errors(document))
    problems = validate_bytes(raw, kind="dataset")
    if schema_errors:
        assert problems, f"the JSON Schema refuses ({schema_errors[0].message}), validate accepts"
    if problems:
        return
    path = tmp_path_factory.mktemp("mutated") / "dataset.json"
    path.write_bytes(raw)
    case_id = document["cases"][0]["id"]  # type: ignore[index]
    for argv in (
        ["list"],
        ["show", case_id],
        ["search", "船舶"],
        ["metrics"],
        ["export", "--table", "paragraphs", "--format", "csv", "-o", str(path.with_suffix(".csv"))],
        ["export", "--format", "sqlite", "-o", str(path.with_suffix(".db"))],
    ):
        assert main(["--data", str(path), *argv]) in (0, 1), argv


def test_every_metric_that_does_not_trace_is_reported_not_only_the_first() -> None:
    case = json.loads((EXAMPLES / "valid" / "case.json").read_text(encoding="utf-8"))
    case["metrics"][0]["span"] = "999亿元"
    case["metrics"][2]["start"] += 1
    problems = validate_bytes(json.dumps(case, ensure_ascii=False).encode("utf-8"))
    assert len(problems) == 1 and problems[0].location == "$"
    assert "metrics[0] (b5-07-m01): span '999亿元' is not in its sentence" in problems[0].message
    assert "metrics[2] (b5-07-m03): start" in problems[0].message
