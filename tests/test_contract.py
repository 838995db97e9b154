"""The models hold the contract, so import, load, validate and the published JSON Schema agree, and every
command can show what they accept.

An adversarial run found values that ``validate`` and ``load`` accepted and the commands could not show: control
characters (printed raw to the terminal by list and search, show raised), integers of 2**63 (the SQLite and
Parquet exports raised OverflowError), a section ordinal of 100 and a point missing from its text (show raised),
a ``published`` that was no YYYY-MM, NaN and infinity. Each is a negative example of ``tests/validation``
(``HOSTILE``); here every way in refuses it the same way.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

import ftz_reforms
from ftz_reforms.cli.app import main
from ftz_reforms.cli.render import case_lines, table
from ftz_reforms.errors import ArgumentError, CasebookError, DatasetFileError
from ftz_reforms.model.bounds import (
    CONTROL_CHARACTER_PATTERN,
    MAX_FIGURE,
    control_character_problem,
    escape_control_characters,
)
from ftz_reforms.model.records import NonEmpty
from ftz_reforms.text.effects import relative_change
from ftz_reforms.text.extract import scan
from ftz_reforms.validate import Problem, validate_bytes
from tests.helpers import casebook
from tests.test_validate import HOSTILE

INVALID = Path(__file__).parent / "validation" / "invalid"
VALID = Path(__file__).parent / "validation" / "valid"
SCHEMAS = Path(__file__).parents[1] / "schemas"

CONTROL = [chr(code) for code in (*range(0x20), *range(0x7F, 0xA0))]
"""Every control character: C0, DEL and C1 (Unicode's category Cc)."""

BEYOND_A_SCHEMA = {"point-not-in-text.json": "a point quoted from its section's text relates two fields"}
"""Hostile examples whose rule no JSON Schema can state."""
NOT_JSON = {"value-nan.json", "value-infinity.json", "relative-change-infinity.json"}
"""Hostile examples that are no JSON at all (RFC 8259 has no NaN or Infinity): a JSON parser refuses them before
any schema; Python's ``json`` reads them, and ``validate`` then names the field."""


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))  # Python's json: NaN and Infinity as floats


def _as_dataset(name: str) -> tuple[dict[str, Any], str]:
    """The hostile example ``name`` as a whole dataset, and the JSON path its problem is reported at."""
    document = _read(INVALID / name)
    location = HOSTILE[name][0]
    if "cases" in document:
        return document, location
    dataset = _read(VALID / "dataset.json")
    return {**dataset, "cases": [document]}, "$.cases[0]" + location.removeprefix("$")


def _write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, allow_nan=True), encoding="utf-8")
    return path


def test_the_examples_are_the_adversarial_runs_values() -> None:
    assert len(HOSTILE) == 17
    for name in HOSTILE:
        assert (INVALID / name).is_file(), name


# --- validate, on the command line --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_validate_exits_1_with_one_line_naming_the_path(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    location, fragment = HOSTILE[name]
    assert main(["validate", str(INVALID / name)]) == 1
    out, err = capsys.readouterr()
    (line,) = out.splitlines()
    assert line.startswith(f"{INVALID / name}: {location}: ") and fragment in line
    assert err == "0 of 1 file valid\n"
    assert not any(character in out for character in CONTROL if character != "\n")


def test_validate_in_a_process_refuses_every_hostile_file_without_a_traceback() -> None:
    files = [str(INVALID / name) for name in sorted(HOSTILE)]
    result = subprocess.run(
        [sys.executable, "-m", "ftz_reforms", "validate", *files], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == f"0 of {len(files)} files valid\n"
    lines = result.stdout.splitlines()
    assert len(lines) == len(files)
    for name, line in zip(sorted(HOSTILE), lines):
        location, fragment = HOSTILE[name]
        assert line.startswith(f"{INVALID / name}: {location}: ") and fragment in line, line
    assert not any(character in result.stdout for character in CONTROL if character != "\n")


# --- load, and every command reading a file ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_load_refuses_the_file_naming_the_path(name: str, tmp_path: Path) -> None:
    document, location = _as_dataset(name)
    path = _write(tmp_path / "dataset.json", document)
    with pytest.raises(DatasetFileError) as refused:
        ftz_reforms.load(path)
    message = str(refused.value)
    assert f"not a valid ftz-reforms dataset: {location}: " in message and HOSTILE[name][1] in message


@pytest.mark.parametrize("name", ["control-esc-in-title.json", "ordinal-100.json", "point-not-in-text.json"])
@pytest.mark.parametrize("command", [["list"], ["show", "b5-07"], ["search", "船舶"]])
def test_a_command_on_a_hostile_file_exits_2_with_one_line(
    name: str, command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before 2.4.0: list and search printed ESC [2J raw, show raised ValueError or IndexError.
    document, location = _as_dataset(name)
    path = _write(tmp_path / "dataset.json", document)
    assert main(["--data", str(path), *command]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.splitlines()
    assert location in line and "\x1b" not in err


def test_the_valid_examples_still_load(tmp_path: Path) -> None:
    assert ftz_reforms.load(VALID / "dataset.json").get(7).id == "b5-07"


# --- the published JSON Schema -----------------------------------------------------------------------------


def _validator(document: dict[str, Any]) -> jsonschema.Draft202012Validator:
    name = "dataset" if "cases" in document else "case"
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_published_schema_refuses_what_validate_refuses(name: str) -> None:
    raw = (INVALID / name).read_bytes()
    if name in NOT_JSON:
        with pytest.raises(orjson.JSONDecodeError):
            orjson.loads(raw)
        return
    document = orjson.loads(raw)
    errors = list(_validator(document).iter_errors(document))
    if name in BEYOND_A_SCHEMA:
        assert errors == [], "the schema cannot say it: validate alone refuses it"
        return
    assert errors, f"the published schema accepts {name}"
    location = HOSTILE[name][0]
    assert any(error.json_path == location for error in errors), [error.json_path for error in errors]


def test_the_schemas_bound_every_number_and_string() -> None:
    """Every integer and number of the schemas has a minimum and a maximum; every string a pattern, an enum or
    the rule against control characters, so a consumer of the schema refuses what the commands cannot show."""
    unbounded: list[str] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            kind = node.get("type")
            numbers = kind in ("integer", "number")
            if numbers and ("maximum" not in node or not {"minimum", "exclusiveMinimum"} & node.keys()):
                unbounded.append(where)
            free_text = kind == "string" and not {"pattern", "enum", "const"} & node.keys()
            if free_text and (node.get("not") != {"pattern": CONTROL_CHARACTER_PATTERN} or "maxLength" not in node):
                unbounded.append(where)
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    for name in ("dataset", "case"):
        walk(json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8")), name)
    assert unbounded == []


# --- no string of any record holds a control character ----------------------------------------------------


def _string_places(value: object, where: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(value, str):
        return [where]
    found: list[tuple[str | int, ...]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _string_places(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _string_places(item, (*where, index))
    return found


def _path(where: tuple[str | int, ...]) -> str:
    return "$" + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in where)


def test_every_string_of_a_case_refuses_a_control_character() -> None:
    # Every string place of the valid case, each with ESC put first: validate names that place, and so does the
    # published schema (the vocabularies and patterns refuse it as surely as free text does).
    case = _read(VALID / "case.json")
    places = _string_places(case)
    assert len(places) > 100
    schema = _validator(case)
    for where in places:
        document = json.loads(json.dumps(case))
        parent: Any = document
        for step in where[:-1]:
            parent = parent[step]
        parent[where[-1]] = "\x1b" + parent[where[-1]]
        problems = validate_bytes(json.dumps(document, ensure_ascii=False).encode("utf-8"))
        # (A case id's ESC also breaks the ids of its metrics, which the whole-file pass names as well.)
        assert _path(where) in [problem.location for problem in problems], (where, problems)
        assert any(error.json_path == _path(where) for error in schema.iter_errors(document)), where


_TEXT = TypeAdapter(NonEmpty)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1), st.data())
def test_any_text_with_a_control_character_is_refused_naming_the_first(text: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(text)))
    control = data.draw(st.sampled_from(CONTROL))
    hostile = text[:position] + control + text[position:]
    first = next(index for index, character in enumerate(hostile) if unicodedata.category(character) == "Cc")
    with pytest.raises(ValidationError) as refused:
        _TEXT.validate_python(hostile)
    expected = f"control character U+{ord(hostile[first]):04X} at position {first}"
    assert expected in str(refused.value)
    assert control_character_problem(hostile) == expected
    assert re.search(CONTROL_CHARACTER_PATTERN, hostile) is not None  # the schema's "not": refused there too
    shown = escape_control_characters(hostile)
    assert not any(unicodedata.category(character) == "Cc" for character in shown)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cc", "Cs"]), min_size=1))  # a lone surrogate is no text
def test_any_text_without_one_passes_the_string_check(text: str) -> None:
    assert _TEXT.validate_python(text) == text
    assert control_character_problem(text) is None
    assert re.search(CONTROL_CHARACTER_PATTERN, text) is None
    assert escape_control_characters(text) == text


# --- what import makes, the models take ---------------------------------------------------------------------

_HEAD = (" 1.标题", "中国（江苏）自由贸易试验区提供")
_BODY = (
    "一、主要做法",
    "（一）建立数据目录。一是梳理数据清单；二是明确分类标准。",
    "二、实践效果",
    "（一）成效明显。服务企业1200余家。",
)


def test_a_control_character_in_a_casebook_is_refused_with_its_line() -> None:
    # Before: U+0085 (a C1 control, NEL) passed the import's own check and was read as whitespace.
    text = casebook(*_HEAD, "企业办理时间由5个工作日\x85压缩至1个工作日。", *_BODY)
    with pytest.raises(CasebookError, match=r"line 5: a control character \(U\+0085\)"):
        ftz_reforms.import_casebook(text, batch=90)


@pytest.mark.parametrize("number", ["9" * 20, "9" * 400, "1.5万亿亿"])
def test_a_figure_beyond_the_bounds_is_excluded_not_stored(number: str) -> None:
    # Before: 9×400 yuan was a figure of value inf, which the import wrote as null: a file validate refused.
    text = casebook(*_HEAD, f"企业办理时间由5个工作日压缩至1个工作日，节约{number}元。", *_BODY)
    data = ftz_reforms.import_casebook(text, batch=90).data
    spans = [metric.span for metric in data.cases[0].metrics]
    assert spans == ["5个工作日", "1个工作日", "1200余家"]
    assert any(item.rule == "out_of_bounds" for item in scan(data.cases[0].summary_zh).exclusions)
    raw = orjson.dumps(data.model_dump(mode="json"))
    assert validate_bytes(raw, kind="dataset") == []


def test_a_relative_change_beyond_the_bounds_is_not_stated() -> None:
    before, after = ftz_reforms.extract_metrics("由0.001元提高到1000万亿元。")
    assert (before.value, after.value) == (0.001, MAX_FIGURE)
    assert relative_change(before, after, None, None) == (None, None)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"batch": 1000}, "batch must be a whole number from 1 to 999"),
        ({"batch": 90, "first_page": 100_001}, "first_page must be a whole number from 1 to 100,000"),
        ({"batch": 90, "title_zh": "标题\x1b[2J"}, "title_zh holds a control character U+001B at position 2"),
        ({"batch": 90, "publisher_en": "MOFCOM\x85"}, "publisher_en holds a control character U+0085"),
    ],
)
def test_import_arguments_beyond_the_contract_are_refused(arguments: dict[str, Any], message: str) -> None:
    text = casebook(*_HEAD, "企业办理时间由5个工作日压缩至1个工作日。", *_BODY)
    with pytest.raises(ArgumentError, match=re.escape(message)):
        ftz_reforms.import_casebook(text, **arguments)


def test_a_page_the_records_refuse_is_a_casebook_error_not_a_traceback() -> None:
    # Regression: a printed page number "1" after five page breaks ran the pages from -4, and the parser's Case
    # raised pydantic's ValidationError (a traceback on the command line).
    text = "1.标题\n\f中国（江苏）自由贸易试验区提供\n\f企业办理时间由5个工作日压缩至1个工作日。\n\f一、主要做法\n"
    text += "\f（一）建立数据目录。一是梳理数据清单；二是明确分类标准。\n\f二、实践效果\n1\n\f（一）成效明显。服务企业1200余家。\n"
    with pytest.raises(
        CasebookError, match=r"line 1: case 1: \$\.page_start: Input should be greater than or equal to 1"
    ):
        ftz_reforms.import_casebook(text, batch=90)


# --- defence in depth: a terminal never receives a control character ---------------------------------------


def test_show_and_tables_escape_what_a_record_made_without_validation_holds() -> None:
    case = ftz_reforms.get(7)
    section = case.practices[0].model_copy(
        update={"text_zh": "\x07" + case.practices[0].text_zh[1:], "points": ("不在文中的一点",)}
    )
    hostile = case.model_copy(update={"title_zh": "船舶\x1b[2J监管", "practices": (section,)})
    lines = [*case_lines(hostile), *case_lines(hostile, lang="en")]
    assert any("船舶\\x1b[2J监管" in line for line in lines)
    assert any("\\x07" in line for line in lines)
    rows = table(["title"], [[hostile.title_zh], ["\x85"]])
    assert rows[1:] == ["船舶\\x1b[2J监管", "\\x85"]
    for line in [*lines, *rows]:
        assert not any(unicodedata.category(character) == "Cc" for character in line), line


def test_search_lines_escape_a_hit_of_unvalidated_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import dataclasses

    from ftz_reforms.cli.app import main
    from ftz_reforms.collection import Collection

    (hit,) = ftz_reforms.search("船舶", limit=1)
    shifted = tuple((start + 1, end + 1) for start, end in hit.highlights)
    hostile = dataclasses.replace(hit, title_zh="船舶\x1b[2J监管", snippet="\x07" + hit.snippet, highlights=shifted)
    monkeypatch.setattr(Collection, "search", lambda self, query, **options: [hostile])
    assert main(["search", "船舶"]) == 0
    shown = capsys.readouterr().out
    assert "船舶\\x1b[2J监管" in shown and "\\x07" in shown
    assert not any(unicodedata.category(character) == "Cc" for character in shown.replace("\n", ""))


def test_a_problem_never_prints_a_control_character() -> None:
    raw = (VALID / "case.json").read_bytes().replace(b'"number": 7,', b'"number": 7, "\\u001b[2J": 1,', 1)
    (problem,) = validate_bytes(raw, file="x\x1b.json")
    assert problem.location == "$.\\x1b[2J"
    assert str(problem) == "x\\x1b.json: $.\\x1b[2J: Extra inputs are not permitted [Case]"
    assert str(Problem("f", "$", "\x9b")) == "f: $: \\x9b"


def test_an_integer_too_long_to_read_is_a_problem_not_a_traceback() -> None:
    # Regression: json raised ValueError past 4,300 digits ("nothing a file holds can make validate raise").
    raw = (VALID / "case.json").read_bytes().replace(b'"number": 7,', b'"number": ' + b"9" * 5000 + b",", 1)
    (problem,) = validate_bytes(raw)
    assert problem.location == "$" and "an integer of 5,000 digits" in problem.message
    long_but_readable = (VALID / "case.json").read_bytes().replace(b'"number": 7,', b'"number": ' + b"9" * 90 + b",")
    assert {problem.location for problem in validate_bytes(long_but_readable)} == {"$.number", "$.id"}


# --- times no calendar has ------------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", ["2023-13", "2023-00", "2023-06-32", "2023-02-00", "2022/2023-13"])
def test_a_time_no_calendar_has_is_refused_by_validate_and_the_schema(as_of: str) -> None:
    case = json.loads((VALID / "case.json").read_bytes())
    case["metrics"][0]["as_of"] = as_of
    problems = validate_bytes(json.dumps(case, ensure_ascii=False).encode("utf-8"))
    assert [problem.location for problem in problems] == ["$.metrics[0].as_of"]
    errors = list(_validator(case).iter_errors(case))
    assert [error.json_path for error in errors] == ["$.metrics[0].as_of"]


@pytest.mark.parametrize("as_of", ["2023", "2023-12", "2023-06-30", "2022-01/2022-06", "2020/2023"])
def test_every_time_the_extractor_writes_is_accepted(as_of: str) -> None:
    case = json.loads((VALID / "case.json").read_bytes())
    case["metrics"][0]["as_of"] = as_of
    assert validate_bytes(json.dumps(case, ensure_ascii=False).encode("utf-8")) == []


def test_an_imported_figure_is_never_pinned_to_a_month_no_calendar_has() -> None:
    # Before: 截至2023年13月45日 pinned the figure to "2023-13-45", which the model then accepted.
    lines = (Path(__file__).parent / "casebooks" / "batch90" / "casebook.txt").read_text(encoding="utf-8")
    text = lines.replace("。", "。截至2023年13月45日，服务企业1357余家。截至2023年6月，服务企业864余家。", 1)
    figures = {metric.span: metric.as_of for case in ftz_reforms.import_casebook(text, batch=90).data.cases
               for metric in case.metrics}  # fmt: skip
    assert figures["1357余家"] is None and figures["864余家"] == "2023-06"
