"""Backfill the record history once, from the dataset files released before ids were permanent (data 0.1.0
to 0.7.0): ``python -m ftz_reforms.bundling.backfill`` writes ``sources/released/changelog.json`` and
``sources/released/dataset.json`` from the repository's git history.

The one part of the build that reads git, and only when run by hand: from then on the build keeps the history
in those committed files (``bundling.releases``). Each data version's released file is the one the last
package release that shipped it held, at the commit named in ``RELEASES``; the reason says how it was chosen.
Run again it writes the same bytes, so a reviewer can check the committed files against the history.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ftz_reforms._files import json_file_bytes
from ftz_reforms.bundling.command import repository_root
from ftz_reforms.bundling.releases import RELEASED_CHANGELOG, RELEASED_DATA
from ftz_reforms.history import changelog_entry, diff

__all__ = ["RELEASES", "Release", "backfilled_changelog", "main"]


@dataclass(frozen=True)
class Release:
    """One released data version: the commit holding its dataset file as shipped, and the package release."""

    data_version: str
    commit: str
    package: str
    released: str
    reason: str


DATASET_PATH = "src/ftz_reforms/data/dataset.json"

RELEASES = (
    Release("0.1.0", "ea1cb0a", "0.1.0", "2026-11-27", "the package's first release, before any metric"),
    Release("0.2.0", "1c9e223", "0.2.0", "2026-11-27", "package 0.2.0 (the next commit is work in progress for 0.3.0)"),
    Release("0.3.0", "de22548", "0.5.0", "2026-11-27", "package 0.5.0, the last of three releases of data 0.3.0"),
    Release("0.4.0", "9a9e0ab", "0.6.0", "2026-12-01", "the last commit of package 0.6.0"),
    Release("0.5.0", "59c4408", "0.7.0", "2026-12-01", "the last commit of package 0.7.0"),
    Release(
        "0.6.0",
        "300ed89",
        "0.8.0",
        "2026-12-03",
        "package 0.8.0: the last commit before effects, which the next session added still labelled 0.6.0 and "
        "released as data 0.7.0",
    ),
    Release(
        "0.7.0",
        "c500b61",
        "0.10.0",
        "2026-12-03",
        "package 0.10.0, the last to ship data 0.7.0 (0.9.0's, with the corrections folded in before it landed)",
    ),
)
"""Every released data version, oldest first."""


def _released_file(root: Path, commit: str) -> bytes:
    try:
        return subprocess.run(
            ["git", "-C", str(root), "show", f"{commit}:{DATASET_PATH}"], check=True, capture_output=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise SystemExit(f"backfill needs the repository's full history (git show {commit}): {error}") from None


def backfilled_changelog(files: Sequence[tuple[Release, dict[str, Any]]]) -> dict[str, Any]:
    """The changelog of ``files`` (each release with its dataset's JSON, oldest first), each entry the
    comparison with the release before (the first with an empty dataset)."""
    entries = []
    previous: dict[str, Any] = {"cases": [], "data_version": None, "schema_version": None}
    for release, data in files:
        entry = changelog_entry(diff(previous, data), released=release.released)
        entries.append({**entry, "package": release.package, "commit": release.commit})
        previous = data
    return {"versions": entries}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ftz_reforms.bundling.backfill", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, help="repository root (default: this checkout)")
    args = parser.parse_args(argv)
    root = args.root.resolve() if args.root else repository_root()
    files = [(release, orjson.loads(_released_file(root, release.commit))) for release in RELEASES]
    for release, data in files:
        if data.get("data_version") != release.data_version:
            raise SystemExit(f"{release.commit} holds data {data.get('data_version')}, not {release.data_version}")
    log = backfilled_changelog(files)
    (root / RELEASED_DATA).parent.mkdir(parents=True, exist_ok=True)
    (root / RELEASED_DATA).write_bytes(_released_file(root, RELEASES[-1].commit))
    (root / RELEASED_CHANGELOG).write_bytes(json_file_bytes(log))
    for release, entry in zip(RELEASES, log["versions"], strict=True):
        counts = ", ".join(f"{len(entry[status])} {status}" for status in ("added", "changed", "withdrawn", "removed"))
        print(f"data {release.data_version} ({release.commit}): {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
