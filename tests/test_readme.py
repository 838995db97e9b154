"""The README and the tour: their examples run, their sample rows are the data's, and the README's first
two commands are the ones CI runs."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import ftz_reforms
from ftz_reforms import to_records
from ftz_reforms.tables.definitions import DATASET_TABLES
from ftz_reforms.tables.formats import LIST_SEPARATOR


@pytest.mark.parametrize(("page", "at_least"), [("README.md", 3), ("docs/tour.md", 30), ("docs/effects.md", 2)])
def test_examples_run(repo: Path, page: str, at_least: int) -> None:
    result = doctest.testfile(
        str(repo / page),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.IGNORE_EXCEPTION_DETAIL,
        verbose=False,
    )
    assert result.attempted >= at_least
    assert result.failed == 0


def test_package_docstring_examples_run() -> None:
    result = doctest.testmod(ftz_reforms, verbose=False)
    assert result.attempted >= 1
    assert result.failed == 0


def _cell(value: object) -> str:
    if isinstance(value, bool):  # as CSV writes it
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return "" if value is None else str(value)


def test_the_readme_sample_rows_are_the_first_rows_of_the_tables(repo: Path) -> None:
    text = (repo / "README.md").read_text(encoding="utf-8")
    samples = re.findall(r"^`(\w+)`: one row per .*? \((\d+) columns\)\n\n(\|.*\|)\n\|[- |]+\|\n(\|.*\|)$", text, re.M)
    assert [name for name, *_ in samples] == list(DATASET_TABLES)
    for name, count, header, row in samples:
        assert int(count) == len(DATASET_TABLES[name].columns), name
        columns = [cell.strip() for cell in header.strip("|").split("|")]
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        first = to_records(name)[0]
        assert cells == [_cell(first[column]) for column in columns], name


def test_readme_starts_with_the_two_commands(repo: Path) -> None:
    lines = (repo / "README.md").read_text(encoding="utf-8").splitlines()
    first_block = lines[lines.index("```sh") + 1 : lines.index("```")]
    assert len(first_block) == 2
    install_and_run, install_and_test = first_block
    assert install_and_run.startswith("pip install ")
    assert "ftz-reforms " in install_and_run
    assert ".[test]" in install_and_test
    assert "pytest" in install_and_test
    assert "README.md" in (repo / ".ci" / "run").read_text(encoding="utf-8")


def test_the_docs_the_readme_links_to_exist(repo: Path) -> None:
    text = (repo / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#:]+)\)", text)
    assert len(links) >= 6
    for link in links:
        assert (repo / link).is_file(), link
