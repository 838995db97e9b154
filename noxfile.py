"""The test suite on every Python the package claims: ``nox`` (CI runs it from ``.ci/run``).

Each session installs the project with its test extras into a fresh environment of that interpreter
and runs the README's test command there, the wheel smoke test included. Every supported interpreter
but CI's own (3.11, which runs the suite directly) runs here.
"""

from __future__ import annotations

import nox

nox.options.sessions = ["tests"]
nox.options.error_on_missing_interpreters = True

PYTHONS = ["3.10", "3.12", "3.13"]
"""The Pythons of the classifiers other than CI's own 3.11."""


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """pip install -e .[test], then pytest."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", *session.posargs)
