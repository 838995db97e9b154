"""The build: current committed outputs, stable bytes, and a refused changed source."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ftz_reforms.bundling import command as build
from ftz_reforms.cli.app import main


def test_generated_files_are_current(capsys: pytest.CaptureFixture[str]) -> None:
    """``ftz-reforms build --check`` of this checkout exits 0: the whole build, run once a session (it is also the
    command's row in tests/test_exit_codes.py)."""
    code = main(["build", "--check"])
    shown = capsys.readouterr()
    assert (code, shown.err) == (0, "") and shown.out.startswith("up to date: "), shown.out


@pytest.mark.slow
def test_output_bytes_are_stable_run_after_run(repo: Path) -> None:
    assert build.render_outputs(repo) == build.render_outputs(repo)


_DIGESTS = (
    "import hashlib, sys\n"
    "from pathlib import Path\n"
    "from ftz_reforms.bundling.command import render_outputs\n"
    "for path, content in sorted(render_outputs(Path(sys.argv[1])).items()):\n"
    "    print(path, hashlib.sha256(content).hexdigest())\n"
)


@pytest.mark.slow
def test_the_build_is_byte_identical_under_any_hash_seed(repo: Path) -> None:
    """Set and dict order must never reach the output: two hash seeds, two processes, the same bytes."""
    runs = []
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", _DIGESTS, str(repo)], capture_output=True, text=True, env=env, check=True
        )
        runs.append(result.stdout)
    assert runs[0] == runs[1]
    committed = "".join(
        f"{path} {hashlib.sha256((repo / path).read_bytes()).hexdigest()}\n"
        for path in sorted(build.render_outputs(repo))
    )
    assert runs[0] == committed, "the committed files are what either process builds"


def _copy_sources(repo: Path, tmp_path: Path) -> Path:
    shutil.copytree(repo / "sources", tmp_path / "sources")
    return tmp_path


@pytest.mark.slow
def test_check_mode_names_every_stale_file(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _copy_sources(repo, tmp_path)
    assert build.main(["--root", str(root)]) == 0
    (root / "schemas" / "case.schema.json").write_text("{}")
    (root / "src" / "ftz_reforms" / "data" / "dataset.json").unlink()
    assert build.main(["--check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "stale: schemas/case.schema.json" in err
    assert "stale: src/ftz_reforms/data/dataset.json" in err
    assert "dataset.schema.json" not in err


def test_a_changed_source_is_refused(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _copy_sources(repo, tmp_path)
    source = root / "sources" / "batch5" / "casebook.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("一站式", "一站", 1), encoding="utf-8")
    with pytest.raises(build.BuildError, match="must not be edited"):
        build.build_dataset(root)
    assert build.main(["--root", str(root)]) == 2
    assert "casebook.txt has sha256" in capsys.readouterr().err
    assert not (root / "src").exists(), "nothing is written from a refused source"
