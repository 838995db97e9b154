"""Build the bundled dataset and the JSON Schemas from the sources (``python -m ftz_reforms.bundling``).

One-way flow: every ``sources/batchN/`` (the verbatim casebook, its metadata and its curated overlays) →
parse → extract → merge the overlays → key terms → validate → ``src/ftz_reforms/data/``, ``schemas/``
and ``exports/``. The output is byte-for-byte stable, so ``--check`` can
rebuild in memory and name every committed file that is stale. Never imported by ``import
ftz_reforms``.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ftz_reforms._files import json_file_bytes
from ftz_reforms._paths import source_checkout
from ftz_reforms._version import DATA_VERSION
from ftz_reforms.assemble import assemble_dataset, with_keywords
from ftz_reforms.bundling.coverage import with_coverage
from ftz_reforms.bundling.curation import CurationReport, curate_figures, draft_entries
from ftz_reforms.bundling.dictionary import data_dictionary
from ftz_reforms.bundling.editorial import apply_editorial, load_editorial
from ftz_reforms.bundling.glossary import load_glossary
from ftz_reforms.bundling.overlays import CaseOverlay, OverlayError, load_overlays
from ftz_reforms.bundling.releases import (
    IdError,
    Releases,
    changelog,
    hold_ids,
    load_releases,
    record_release,
    withdrawn_cases,
)
from ftz_reforms.bundling.scaffold import unfilled_slots
from ftz_reforms.casebook.parser import CasebookError, parse_casebook
from ftz_reforms.charts import render_charts
from ftz_reforms.errors import FtzReformsError
from ftz_reforms.history import CHANGELOG_FILE, changelog_text
from ftz_reforms.model.records import Case, Dataset, SourceDocument
from ftz_reforms.model.schema import json_schema
from ftz_reforms.retrieval.index_format import IndexFile
from ftz_reforms.retrieval.indexer import INDEX_FILE, build_index, english_expansions
from ftz_reforms.store import DATA_FILE
from ftz_reforms.tables.datapackage import datapackage
from ftz_reforms.tables.formats import TABLES, csv_text

__all__ = ["BuildError", "build_dataset", "main", "render_outputs", "repository_root"]

SOURCES_DIR = Path("sources")
DATA_DIR = Path("src/ftz_reforms/data")
SCHEMA_DIR = Path("schemas")
DICTIONARY_FILE = Path("docs/data-dictionary.md")
CHANGELOG_DOC = Path("docs/data-changelog.md")
EXPORT_DIR = Path("exports")
README_FILE = Path("README.md")
"""Generated in part: its coverage statement (``coverage``)."""
_BATCH_DIR = re.compile(r"^batch([0-9]+)$")


class BuildError(FtzReformsError, RuntimeError):
    """The sources cannot be built; the message says which file and why."""


def repository_root() -> Path:
    """The source checkout this module runs from; a :class:`BuildError` for an installed copy."""
    root = source_checkout()
    if root is None:
        raise BuildError(
            "the build regenerates the data from sources/ and runs only in a source checkout; "
            "this is an installed copy (pass --root DIR to build the sources under DIR)"
        )
    return root


def batch_directories(root: Path) -> list[Path]:
    """Every ``sources/batchN/`` holding a ``source.json``, in batch order."""
    found = []
    for directory in (root / SOURCES_DIR).iterdir() if (root / SOURCES_DIR).is_dir() else ():
        match = _BATCH_DIR.match(directory.name)
        if match and (directory / "source.json").is_file():
            found.append((int(match.group(1)), directory))
    if not found:
        raise BuildError(f"no {SOURCES_DIR}/batchN/source.json under {root}: nothing to build")
    return [directory for _, directory in sorted(found)]


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise BuildError(f"{path}: file not found") from None
    except orjson.JSONDecodeError as error:
        raise BuildError(f"{path}: not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise BuildError(f"{path}: expected a JSON object at the top level")
    return data


@dataclass(frozen=True)
class Batch:
    """One batch folder of ``sources/``: its metadata and its directory."""

    directory: Path
    metadata: dict[str, Any]

    @property
    def number(self) -> int:
        return int(self.metadata["batch"])

    @property
    def metadata_file(self) -> Path:
        return self.directory / "source.json"


def read_batch(directory: Path) -> Batch:
    """The batch folder's metadata, checked: its batch number must be the folder's."""
    batch = Batch(directory, _read_json(directory / "source.json"))
    match = _BATCH_DIR.match(directory.name)
    if match is None or batch.metadata.get("batch") != int(match.group(1)):
        raise BuildError(
            f"{batch.metadata_file}: 'batch' must be {directory.name.removeprefix('batch')}, as the folder says"
        )
    return batch


def verified_source_text(root: Path, batch: Batch) -> bytes:
    """The verbatim casebook, refused when its sha256 differs from the one on record."""
    metadata = batch.metadata
    path = root / str(metadata["file"])
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BuildError(f"{path}: the verbatim casebook copy is missing") from None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != metadata["sha256"]:
        raise BuildError(
            f"{metadata['file']} has sha256 {digest}, but {batch.metadata_file.relative_to(root)} records "
            f"{metadata['sha256']}: the verbatim source must not be edited. Restore it, or record a "
            "new source deliberately by updating the sha256."
        )
    return raw


def _parsed_cases(root: Path, batch: Batch) -> tuple[Case, ...]:
    raw = verified_source_text(root, batch)
    return parse_casebook(raw.decode("utf-8"), batch=batch.number, first_page=int(batch.metadata["first_page"]))


def _with_metrics(batch: Batch, cases: tuple[Case, ...], report: CurationReport) -> tuple[Case, ...]:
    directory = batch.directory / "metrics"
    overlays = load_overlays(directory, batch.number)
    unknown = sorted(set(overlays) - {case.number for case in cases})
    if unknown:
        raise OverlayError(f"{directory}: overlay files for cases that do not exist: {unknown}")
    curated = []
    problems = []
    for case in cases:
        path = directory / f"{case.id}.toml"
        try:
            metrics, effects = curate_figures(case, overlays.get(case.number, CaseOverlay()), str(path), report)
        except OverlayError as error:
            problems.append(str(error))
            continue
        curated.append(case.model_copy(update={"metrics": metrics, "effects": effects}))
    if problems:
        raise OverlayError("\n".join(problems))
    return tuple(curated)


def _with_editorial(batch: Batch, cases: tuple[Case, ...]) -> tuple[Case, ...]:
    directory = batch.directory / "english"
    overlays = load_editorial(directory, batch.number)
    missing = [case.id for case in cases if case.number not in overlays]
    unknown = sorted(set(overlays) - {case.number for case in cases})
    if missing or unknown:
        raise OverlayError(
            f"{directory}: cases without an editorial overlay {missing}, overlays without a case {unknown}"
        )
    return tuple(apply_editorial(case, overlays[case.number], str(directory / f"{case.id}.toml")) for case in cases)


def _source_document(batch: Batch, cases: tuple[Case, ...]) -> SourceDocument:
    metadata = batch.metadata
    return SourceDocument(
        title_zh=metadata["title_zh"],
        title_en=metadata["title_en"],
        publisher_zh=metadata["publisher_zh"],
        publisher_en=metadata["publisher_en"],
        batch=batch.number,
        published=metadata["published"],
        facts_basis=metadata["facts_basis"],
        file=metadata["file"],
        sha256=metadata["sha256"],
        page_start=cases[0].source.page_start,
        page_end=cases[-1].source.page_end,
        licence=metadata["licence"],
    )


def releases_of(root: Path) -> Releases:
    """What earlier releases published, as committed under ``root`` (``bundling.releases``)."""
    return load_releases(root, batch_directories(root))


def build_dataset(root: Path, report: CurationReport | None = None, releases: Releases | None = None) -> Dataset:
    """Parse, curate and validate every batch under ``root``'s ``sources/`` into one dataset, every id held to
    the last release (``releases``, read from ``root`` when not given)."""
    report = report or CurationReport()
    releases = releases or releases_of(root)
    documents: list[SourceDocument] = []
    every_case: list[Case] = []
    unfilled = [
        f"{directory.name}/{slot}" for directory in batch_directories(root) for slot in unfilled_slots(directory)
    ]
    if unfilled:
        shown = "\n  ".join(unfilled)
        raise BuildError(f"{len(unfilled)} slots of the curation are still empty; fill them, then build:\n  {shown}")
    for directory in batch_directories(root):
        batch = read_batch(directory)
        cases = _with_metrics(batch, _parsed_cases(root, batch), report)
        cases = _with_editorial(batch, cases)
        documents.append(_source_document(batch, cases))
        every_case.extend(cases)
    cases = with_keywords(every_case, load_glossary(root).chinese_terms)
    cases = hold_ids(cases, releases, DATA_VERSION)
    return assemble_dataset(documents, cases, DATA_VERSION, withdrawn=withdrawn_cases(releases))


def render_outputs(root: Path) -> dict[Path, bytes]:
    """Every generated file (path relative to ``root``) with its exact bytes."""
    releases = releases_of(root)
    data = build_dataset(root, releases=releases)
    log = changelog(data, releases)
    readme = root / README_FILE
    generated_readme = (
        {README_FILE: with_coverage(readme.read_text(encoding="utf-8"), data).encode("utf-8")}
        if readme.is_file()
        else {}
    )
    outputs = {
        **generated_readme,
        DATA_DIR / DATA_FILE: json_file_bytes(data.model_dump(mode="json")),
        SCHEMA_DIR / "dataset.schema.json": json_file_bytes(json_schema("dataset")),
        SCHEMA_DIR / "case.schema.json": json_file_bytes(json_schema("case")),
        EXPORT_DIR / "datapackage.json": json_file_bytes(datapackage(data)),
        DICTIONARY_FILE: data_dictionary(data).encode("utf-8"),
        DATA_DIR / CHANGELOG_FILE: json_file_bytes(log),
        CHANGELOG_DOC: changelog_text(log["versions"], markdown=True).encode("utf-8"),
        # Compact: the index is read by every search process, and nobody reviews it line by line.
        DATA_DIR / INDEX_FILE: orjson.dumps(_search_index(root, data)) + b"\n",
    }
    for name in TABLES:
        outputs[EXPORT_DIR / f"{name}.csv"] = csv_text(name, data).encode("utf-8")
    outputs.update(render_charts(data))
    return outputs


def _search_index(root: Path, data: Dataset) -> IndexFile:
    glossary = load_glossary(root)
    return build_index(data, glossary.chinese_terms, expansions=english_expansions(glossary.english_equivalents))


def stale_files(root: Path, outputs: dict[Path, bytes]) -> list[Path]:
    """Generated files whose committed bytes differ from a fresh build (or that are missing)."""
    stale = []
    for relative, content in outputs.items():
        path = root / relative
        if not path.is_file() or path.read_bytes() != content:
            stale.append(relative)
    return stale


def _draft_overlays(root: Path) -> int:
    for batch_directory in batch_directories(root):
        batch = read_batch(batch_directory)
        cases = _parsed_cases(root, batch)
        directory = batch.directory / "metrics"
        directory.mkdir(parents=True, exist_ok=True)
        overlays = load_overlays(directory, batch.number)
        for case in cases:
            draft = draft_entries(case, overlays.get(case.number, CaseOverlay()))
            if not draft:
                continue
            path = directory / f"{case.id}.toml"
            header = "" if path.exists() else f"# Metrics of case {case.number}: {case.title_zh}\n\n"
            with path.open("a", encoding="utf-8") as file:
                file.write(header + draft)
            print(f"drafted entries in {path.relative_to(root)}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ftz_reforms.bundling",
        description="Regenerate the bundled dataset and JSON Schemas from sources/.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="rebuild in memory and exit 1 naming every generated file that is stale",
    )
    parser.add_argument(
        "--draft-overlays",
        action="store_true",
        help="append draft entries for every uncurated figure to the metric overlays, then exit",
    )
    parser.add_argument(
        "--release",
        action="store_true",
        help="build, then record the built data as released today (sources/released/), so that every later build "
        "holds its ids and dates its changelog entry",
    )
    parser.add_argument("--root", type=Path, help="repository root (default: this checkout)")
    args = parser.parse_args(argv)
    try:
        root = args.root.resolve() if args.root else repository_root()
        if args.draft_overlays:
            return _draft_overlays(root)
        outputs = render_outputs(root)
    except (BuildError, CasebookError, OverlayError, IdError) as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 2
    if args.check:
        stale = stale_files(root, outputs)
        for relative in stale:
            print(f"stale: {relative} (run: python -m ftz_reforms.bundling)", file=sys.stderr)
        if stale:
            return 1
        print(f"up to date: {len(outputs)} generated files")
        return 0
    _write(root, outputs)
    if args.release:
        log = orjson.loads(outputs[DATA_DIR / CHANGELOG_FILE])
        for relative in record_release(root, root / DATA_DIR / DATA_FILE, log, datetime.date.today()):
            print(f"recorded the release of data {DATA_VERSION} in {relative}")
        _write(root, render_outputs(root))
    return 0


def _write(root: Path, outputs: dict[Path, bytes]) -> None:
    for relative, content in outputs.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != content:
            path.write_bytes(content)
            print(f"wrote {relative}")


if __name__ == "__main__":
    sys.exit(main())
