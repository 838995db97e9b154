"""Packaging: the built wheel, installed in a fresh virtual environment, works as a user meets it (show,
search, validate, export, and a build that says in one line why it is not offered) and holds no build-only
code; CI runs every Python the classifiers claim."""

from __future__ import annotations

import ast
import csv
import io
import re
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from ftz_reforms import to_records
from tests.helpers import tomllib

EXAMPLES = Path(__file__).parent / "validation"


@pytest.fixture(scope="module")
def wheel(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout."""
    work = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work), str(repo)],
        check=True,
        capture_output=True,
    )
    (built,) = work.glob("ftz_reforms-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin directory of a fresh venv holding only the wheel built from this checkout and its dependencies."""
    work = tmp_path_factory.mktemp("wheel")
    venv.create(work / "venv", with_pip=True)
    bin_dir = work / "venv" / ("Scripts" if sys.platform == "win32" else "bin")
    subprocess.run([bin_dir / "python", "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    return bin_dir


def _run(bin_dir: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bin_dir / "ftz-reforms"), *args], capture_output=True, text=True, check=False, cwd=cwd, timeout=120
    )


@pytest.mark.slow
def test_the_wheel_holds_what_a_user_runs_and_no_build_only_code(wheel: Path, repo: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert not [name for name in names if name.startswith("ftz_reforms/bundling/")], "build-only code shipped"
    shipped = {name.removeprefix("ftz_reforms/") for name in names if name.endswith(".py")}
    source = {
        path.relative_to(repo / "src" / "ftz_reforms").as_posix()
        for path in (repo / "src" / "ftz_reforms").rglob("*.py")
        if "bundling" not in path.parts
    }
    assert shipped == source, "every run-time module, the parser and the importer included"
    assert {"ftz_reforms/data/dataset.json", "ftz_reforms/data/search_index.json", "ftz_reforms/py.typed"} <= names


@pytest.mark.slow
def test_the_wheel_runs_from_site_packages(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(installed / "python"), "-c", "import ftz_reforms, sys; print(ftz_reforms.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert "site-packages" in where.stdout


@pytest.mark.slow
def test_show_and_search_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    show = _run(installed, "show", "17", cwd=tmp_path)
    assert show.returncode == 0 and "台胞职业资格一体化服务模式" in show.stdout
    search = _run(installed, "search", "退货", cwd=tmp_path)
    assert search.returncode == 0 and search.stdout.startswith(" 1.  1 [b5-01]"), search.stdout + search.stderr
    english = _run(installed, "search", "sea-rail", "--format", "json", cwd=tmp_path)
    assert english.returncode == 0 and '"case_id": "b5-04"' in english.stdout


@pytest.mark.slow
def test_validate_and_export_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    good = _run(installed, "validate", str(EXAMPLES / "valid" / "case.json"), cwd=tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = _run(installed, "validate", str(EXAMPLES / "invalid" / "bad-unit.json"), cwd=tmp_path)
    assert bad.returncode == 1 and "$.metrics[0].unit" in bad.stdout
    exported = _run(installed, "export", "--table", "metrics", "--format", "csv", cwd=tmp_path)
    assert exported.returncode == 0
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [row["metric_id"] for row in rows] == [record["metric_id"] for record in to_records("metrics")]


@pytest.mark.slow
def test_import_and_query_a_casebook_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    casebook = Path(__file__).parent / "casebooks" / "batch90" / "casebook.txt"
    imported = _run(installed, "import", str(casebook), "--batch", "90", "-o", str(tmp_path / "b90.json"), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    found = _run(installed, "--data", str(tmp_path / "b90.json"), "search", "结算", cwd=tmp_path)
    assert found.returncode == 0 and "[b90-02]" in found.stdout.splitlines()[0]


@pytest.mark.slow
def test_build_from_the_wheel_is_one_line_and_no_option(installed: Path, tmp_path: Path) -> None:
    result = _run(installed, "build", "--check", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1
    assert "source checkout" in result.stderr and "--" not in result.stderr
    listed = _run(installed, "--help", cwd=tmp_path)
    assert " build " not in listed.stdout and "build --check" not in listed.stdout


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
    found = re.search(r"^for version in ([0-9. ]+); do$", ci, re.M)
    assert found is not None and found.group(1).split() == nox_pythons, "every interpreter nox needs is found"
    # ... and every one runs: a loop over some of them in a lane, the others one at a time.
    looped = re.findall(r'for version in ([0-9. ]+); do run "py\$version" "nox --no-color -s tests-\$version"', ci)
    singly = re.findall(r'"nox --no-color -s tests-(3\.[0-9]+)"', ci)
    assert sorted([*" ".join(looped).split(), *singly]) == sorted(nox_pythons)
    assert 'run slow "python -m pytest -q -p no:cacheprovider -m slow"' in ci, "the slow tests, once"
    # CI's own virtual environment (the machine's python3, 3.11) runs the README's test command itself.
    assert claimed == {*nox_pythons, "3.11"}


def test_the_pre_commit_hook_is_shown_at_this_version(repo: Path) -> None:
    """The `rev:` a user copies (the hooks file's comment, the command line guide) is this release's tag."""
    from ftz_reforms import __version__

    for path in (repo / ".pre-commit-hooks.yaml", repo / "docs" / "cli.md"):
        revs = re.findall(r"rev: (\S+)", path.read_text(encoding="utf-8"))
        assert revs == [f"v{__version__}"], path.name


_TIMING = re.compile(r"~?\b\d+(?:\.\d+)?\s?(?:ms|µs|s|seconds?)\b")
"""A timing figure (``~0.5 s``, ``8 ms``, ``2 seconds``); a figure of the data (20 minutes, 1,440 minutes) is none."""


def test_no_comment_or_docstring_in_the_package_holds_a_timing_figure(repo: Path) -> None:
    """Figures go stale where nothing measures them: the benchmarks hold them (benchmarks/README.md)."""
    import io
    import tokenize

    found = []
    for path in sorted((repo / "src" / "ftz_reforms").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if not _TIMING.search(text):
            continue  # nothing that reads as a timing figure anywhere in the file, so in no note of it either
        tokens = tokenize.generate_tokens(io.StringIO(text).readline)
        notes = [(token.start[0], token.string) for token in tokens if token.type == tokenize.COMMENT]
        notes += [
            (node.lineno, node.value.value)
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        ]
        found += [f"{path.relative_to(repo)}:{line}: {hit}" for line, note in notes for hit in _TIMING.findall(note)]
    assert found == []
