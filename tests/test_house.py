"""Fixes of the 0.6.0 review: citations name the right document, a stale search index is refused, and
every vocabulary value is read the same way."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import orjson
import pytest

import ftz_reforms
from ftz_reforms.build.overlays import tomllib
from ftz_reforms.casebook import parse_casebook
from ftz_reforms.errors import FilterError, StaleIndexError
from ftz_reforms.model.records import Dataset
from ftz_reforms.retrieval import engine


def test_a_parsed_case_never_cites_the_bundled_casebook(source_text: str, data: Dataset) -> None:
    parsed = parse_casebook(source_text, batch=5, first_page=5)[16]
    with pytest.raises(ValueError, match=r"b5-17 belongs to no dataset.*pass it"):
        parsed.citation()
    other = data.source.model_copy(update={"title_en": "Another Casebook", "title_zh": "另一本案例集"})
    assert "Another Casebook (另一本案例集), case 17 [b5-17]" in parsed.citation(other)


def test_a_case_cites_the_dataset_that_holds_it(data: Dataset) -> None:
    other_source = data.source.model_copy(update={"title_en": "A Copy Under Another Title"})
    copy = Dataset.model_validate({**data.model_dump(), "sources": [other_source.model_dump()]})
    assert "A Copy Under Another Title" in copy.cases[0].citation()
    assert data.source.title_en in ftz_reforms.get(1).citation(), "the bundled case keeps its own document"


@pytest.mark.parametrize(
    "raw",
    [
        {"format": 0, "data_version": ftz_reforms.DATA_VERSION},
        {"format": engine.INDEX_FORMAT, "data_version": "0.0.1"},
        {"cases": []},
        ["not", "an", "index"],
    ],
)
def test_an_index_of_another_format_or_data_version_is_refused(raw: object) -> None:
    with pytest.raises(StaleIndexError, match="rebuild it"):
        engine.checked_index(raw, "search_index.json")


def test_a_stale_bundled_index_is_a_one_line_error_on_the_command_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = orjson.loads((engine.DATA_DIRECTORY / engine.INDEX_FILE).read_bytes())
    (tmp_path / engine.INDEX_FILE).write_bytes(orjson.dumps({**raw, "data_version": "0.0.1"}))
    monkeypatch.setattr(engine, "DATA_DIRECTORY", tmp_path)
    monkeypatch.setattr(engine, "_index", None)
    from ftz_reforms.cli.app import main

    assert main(["search", "退货"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "for data 0.0.1" in err and "rebuild it" in err


@pytest.mark.parametrize("spelling", ["CNY", "cny", " Cny ", "万元", "元"])
def test_a_unit_reads_the_same_in_every_query(spelling: str) -> None:
    assert {found.metric.unit.value for found in ftz_reforms.metrics(unit=spelling)} == {"CNY"}
    with_cny = {found.case.number for found in ftz_reforms.metrics(unit="CNY")}
    assert set(ftz_reforms.filter_cases(unit=spelling)) == with_cny


@pytest.mark.parametrize(("name", "value"), [("unit", "furlong"), ("category", "astrology")])
def test_an_unknown_value_has_one_wording_everywhere(name: str, value: str) -> None:
    messages = []
    for call in (ftz_reforms.filter_cases, ftz_reforms.metrics):
        if call is ftz_reforms.metrics and name == "category":
            continue
        with pytest.raises(FilterError) as raised:
            call(**{name: value})
        messages.append(str(raised.value))
    assert all(message.startswith(f"unknown {name} {value!r}; accepted values: ") for message in messages)
    assert len(set(messages)) == 1


def test_ci_runs_every_python_the_classifiers_claim(repo: Path) -> None:
    classifiers = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]["classifiers"]
    claimed = {
        match.group(1) for c in classifiers if (match := re.fullmatch(r"Programming Language :: Python :: (3\.\d+)", c))
    }
    tree = ast.parse((repo / "noxfile.py").read_text(encoding="utf-8"))
    nox_pythons = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "PYTHONS" for t in node.targets)
    )
    ci = (repo / ".ci" / "run").read_text(encoding="utf-8")
    loop = re.search(r"^for version in ([0-9. ]+); do$", ci, re.M)
    assert loop is not None and loop.group(1).split() == nox_pythons
    # CI's own virtual environment (the machine's python3, 3.11) runs the README's test command itself.
    assert claimed == {*nox_pythons, "3.11"}
