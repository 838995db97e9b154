"""The validator for consumers' files: one example file per rule, every bad input a problem, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftz_reforms.cli.app import main
from ftz_reforms.validate import json_path, validate_bytes, validate_file

EXAMPLES = Path(__file__).parent / "validation"
VALID = sorted((EXAMPLES / "valid").glob("*.json"))

# Each negative example: the JSON path reported and a fragment of the message.
INVALID = {
    "empty.json": ("$", "the file is empty"),
    "blank.json": ("$", "the file is empty"),
    "truncated.json": ("$", "not valid JSON"),
    "invalid-utf8.json": ("$", "not UTF-8: byte 0xff"),
    "deeply-nested.json": ("$", "not valid JSON"),
    "not-an-object.json": ("$", "expected a JSON object"),
    "wrong-type.json": ("$.number", "valid integer"),
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
    assert len(out.splitlines()) == len(INVALID)
    assert f"1 of {len(files)} files valid" in err


def test_cli_exits_0_when_all_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", *(str(path) for path in VALID)]) == 0
    assert capsys.readouterr().out == ""


def test_cli_never_prints_a_traceback(tmp_path: Path) -> None:
    args = [str(EXAMPLES / "invalid" / name) for name in sorted(INVALID)] + [str(tmp_path), str(tmp_path / "x")]
    result = subprocess.run(
        [sys.executable, "-m", "ftz_reforms", "validate", *args], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stdout.splitlines()) == len(args)


def test_the_derived_example_files_are_current() -> None:
    from tests.validation.examples import examples

    stale = [path.name for path, content in examples().items() if path.read_bytes() != content]
    assert stale == [], f"rerun: python -m tests.validation.examples ({stale})"
