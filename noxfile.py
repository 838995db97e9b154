"""The test suite on every Python the package claims: ``nox`` (CI runs it from ``.ci/run``).

Each session installs the project with its test extras into a fresh environment of that interpreter (made
and filled by uv, which is part of the dev extra) and runs the suite there but for the tests marked ``slow``
(the wheel in a fresh venv, pre-commit on a real repository, whole builds in subprocesses, hostile PDFs,
Datasette on a loopback port, pages in a real browser):
those prove what no interpreter changes, and CI runs them once, on its own 3.11. Every supported interpreter
but CI's own runs here.
"""

from __future__ import annotations

import nox

nox.options.sessions = ["tests"]
nox.options.error_on_missing_interpreters = True

PYTHONS = ["3.10", "3.12", "3.13"]
"""The Pythons of the classifiers other than CI's own 3.11."""


@nox.session(python=PYTHONS, venv_backend="uv")
def tests(session: nox.Session) -> None:
    """Install -e .[test], then pytest without the slow tests (pyproject's default; CI's 3.11 runs them)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", *session.posargs)
