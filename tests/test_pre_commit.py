"""The pre-commit hook, run for real: `pre-commit try-repo` installs this project as a hook into a fresh
environment and runs it on a repository holding a good and a bad case file. No package index is used."""

from __future__ import annotations

import base64
import email
import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.helpers import tomllib

EXAMPLES = Path(__file__).parent / "validation"
# What pre-commit needs to install the project: the hook manifest and a buildable source tree.
_PROJECT_FILES = (".pre-commit-hooks.yaml", "pyproject.toml", "README.md", "LICENSE", "src")
# Written by the installer, not part of a wheel (RECORD is written anew).
_INSTALLER_FILES = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}


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


def _installed_closure(requirements: list[Requirement]) -> list[metadata.Distribution]:
    """The installed distributions that satisfy the requirements, and theirs, markers evaluated for this Python."""
    found: dict[str, metadata.Distribution] = {}
    followed: set[tuple[str, str]] = set()
    todo = [(requirement, "") for requirement in requirements]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        if name not in found:
            try:
                found[name] = metadata.distribution(requirement.name)
            except metadata.PackageNotFoundError:
                raise AssertionError(
                    f"{requirement} is not installed in the test environment, so the offline wheelhouse cannot hold"
                    " it: install the project's test extra (it lists the build backend, hatchling)"
                ) from None
        for wanted in ("", *sorted(requirement.extras)):
            if (name, wanted) not in followed:
                followed.add((name, wanted))
                todo += [(Requirement(line), wanted) for line in found[name].requires or ()]
    return list(found.values())


def _repack(dist: metadata.Distribution, wheelhouse: Path) -> None:
    """Write an installed distribution back as a wheel of the files it installed into site-packages.

    Console scripts (installed outside site-packages) are left out, as pip writes them anew from entry_points.txt;
    byte code is left out, as in any wheel.
    """
    files: dict[str, Path] = {}  # name in the wheel: the installed file
    made: dict[str, str] = {}  # name in the wheel: text written here
    if dist.read_text("RECORD") is not None:  # a .dist-info directory, as installing a wheel leaves
        record = dist.files or []
        info_dir = next(file.parts[0] for file in record if file.name == "METADATA" and len(file.parts) == 2)
        for file in record:
            installer_file = file.parts[0] == info_dir and file.name in _INSTALLER_FILES
            if not (installer_file or file.parts[0] == ".." or "__pycache__" in file.parts):
                files[file.as_posix()] = Path(str(dist.locate_file(file)))
        # The tags it was installed under; joined component by component, they include the one pip chose it for.
        lines = (dist.read_text("WHEEL") or "").splitlines()
        tags = [line.removeprefix("Tag:").strip().split("-") for line in lines if line.startswith("Tag:")]
        tag = "-".join(".".join(sorted({parts[i] for parts in tags})) for i in range(3))
    else:
        # An .egg-info directory, as `setup.py install` leaves: a Python 3.10 venv's own pip (before 23.1, without
        # the `wheel` package) installs jieba, which has no wheel, this way. Its installed-files.txt lists the files
        # (relative to the .egg-info directory), and the .dist-info directory is written here.
        for line in (dist.read_text("installed-files.txt") or "").replace(os.sep, "/").splitlines():
            if line.startswith("../") and not line.startswith("../../") and "/__pycache__/" not in line:
                files[line[3:]] = Path(str(dist.locate_file(line[3:])))
        if not files or any(name.endswith((".so", ".pyd")) for name in files):
            raise AssertionError(f"{dist.metadata['Name']}: an .egg-info install not re-packable as a pure wheel")
        info_dir = f"{re.sub(r'[-_.]+', '_', dist.metadata['Name']).lower()}-{dist.version}.dist-info"
        fields = email.message_from_string(dist.read_text("PKG-INFO") or "")
        # requires.txt's requirements go into the metadata, where pip reads them.
        del fields["Requires-Dist"]
        for requirement in dist.requires or ():
            fields["Requires-Dist"] = requirement
        made[f"{info_dir}/METADATA"] = fields.as_string()
        made[f"{info_dir}/WHEEL"] = "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        if (entry_points := dist.read_text("entry_points.txt")) is not None:
            made[f"{info_dir}/entry_points.txt"] = entry_points
        tag = "py3-none-any"
    record = []
    # Stored, not deflated (0.2 s instead of 1.5 s): the wheelhouse lives only as long as the test.
    with zipfile.ZipFile(wheelhouse / f"{info_dir.removesuffix('.dist-info')}-{tag}.whl", "w") as wheel:
        for name, path in files.items():
            data = path.read_bytes()
            wheel.writestr(name, data)
            record.append(_record_line(name, data))
        for name, text in made.items():
            wheel.writestr(name, text)
            record.append(_record_line(name, text.encode()))
        record.append(f"{info_dir}/RECORD,,")
        wheel.writestr(f"{info_dir}/RECORD", "\n".join(record) + "\n")


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _wheelhouse(repo: Path, target: Path) -> Path:
    """Wheels of everything installing the project needs besides itself: its build backend and its dependencies."""
    project = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = [
        Requirement(line) for line in (*project["build-system"]["requires"], *project["project"]["dependencies"])
    ]
    target.mkdir()
    for dist in _installed_closure(requirements):
        _repack(dist, target)
    return target


@pytest.mark.slow
def test_the_hook_passes_a_good_case_file_and_fails_a_bad_one(repo: Path, tmp_path: Path) -> None:
    """Online as offline, pip may install only from a wheelhouse re-packed from what this test environment has
    installed (hatchling and the project's dependencies), so pre-commit still has pip build the project in an isolated
    build environment and resolve its dependencies into a virtualenv of its own. A path bridge to this environment
    (a `.pth` file, PYTHONPATH) would be shorter, but would let the checkout or this environment stand in for what
    the hook installed."""
    hooks = _committed_copy(repo, tmp_path / "ftz-reforms", _PROJECT_FILES)
    wheelhouse = _wheelhouse(repo, tmp_path / "wheelhouse")
    user = tmp_path / "user-repo"
    user.mkdir()
    (user / "cases").mkdir()
    shutil.copy2(EXAMPLES / "valid" / "case.json", user / "cases" / "good.json")
    shutil.copy2(EXAMPLES / "invalid" / "bad-unit.json", user / "cases" / "bad.json")
    _git(user, "init", "-q")
    _git(user, "add", "-A")
    (tmp_path / "tmp").mkdir()
    # The machine's own pip and virtualenv settings (an index, find-links, constraints) are dropped, and so is
    # PYTHONPATH: the hook must run the project pip installed in its environment, not a checkout.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PIP_", "VIRTUALENV_")) and key != "PYTHONPATH"
    }
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        NO_COLOR="1",
        # No configuration file and no index: the wheelhouse is all pip may install from, the isolated build
        # environment's hatchling included.
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheelhouse),
        PIP_CACHE_DIR=str(tmp_path / "pip-cache"),
        # virtualenv seeds pip from the wheels it bundles; it is not to look for newer ones, nor keep them in $HOME.
        VIRTUALENV_CONFIG_FILE=os.devnull,
        VIRTUALENV_NO_PERIODIC_UPDATE="1",
        VIRTUALENV_OVERRIDE_APP_DATA=str(tmp_path / "virtualenv-app-data"),
        # try-repo's clone of the hook repository and pip's build directories.
        TMPDIR=str(tmp_path / "tmp"),
    )

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
