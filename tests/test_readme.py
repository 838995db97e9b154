"""The README's examples run, and its first two commands are the ones CI runs."""

from __future__ import annotations

import doctest
from pathlib import Path

import ftz_reforms


def test_python_tour_examples_run(repo: Path) -> None:
    result = doctest.testfile(
        str(repo / "README.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.IGNORE_EXCEPTION_DETAIL,
        verbose=False,
    )
    assert result.attempted >= 10
    assert result.failed == 0


def test_package_docstring_examples_run() -> None:
    result = doctest.testmod(ftz_reforms, verbose=False)
    assert result.attempted >= 1
    assert result.failed == 0


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
