"""The pre-commit hook, run for real: `pre-commit try-repo` installs this project as a hook into a fresh
environment and runs it on a repository holding a good and a bad case file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).parent / "validation"
# What pre-commit needs to install the project: the hook manifest and a buildable source tree.
_PROJECT_FILES = (".pre-commit-hooks.yaml", "pyproject.toml", "README.md", "LICENSE", "src")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def _committed_copy(source: Path, target: Path, files: tuple[str, ...]) -> Path:
    target.mkdir()
    for name in files:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source / name, target / name)
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    _git(target, "commit", "-q", "-m", "snapshot")
    return target


def test_the_hook_passes_a_good_case_file_and_fails_a_bad_one(repo: Path, tmp_path: Path) -> None:
    hooks = _committed_copy(repo, tmp_path / "ftz-reforms", _PROJECT_FILES)
    user = tmp_path / "user-repo"
    user.mkdir()
    (user / "cases").mkdir()
    shutil.copy2(EXAMPLES / "valid" / "case.json", user / "cases" / "good.json")
    shutil.copy2(EXAMPLES / "invalid" / "bad-unit.json", user / "cases" / "bad.json")
    _git(user, "init", "-q")
    _git(user, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    env.pop("PIP_REQUIRE_VIRTUALENV", None)

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        command = [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(hooks),
            "ftz-reforms-validate",
            "--files",
            *files,
        ]
        return subprocess.run(command, cwd=user, env=env, capture_output=True, text=True, timeout=600, check=False)

    good = try_repo("cases/good.json")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
    bad = try_repo("cases/good.json", "cases/bad.json")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "cases/bad.json: $.metrics[0].unit: Input should be" in bad.stdout
    assert "cases/good.json" not in bad.stdout.split("- exit code: 1", 1)[1], "only the bad file is reported"
