"""Build the bundled dataset and the JSON Schemas from the sources (``python -m ftz_reforms.build``).

One-way flow: ``sources/`` (the verbatim casebook and its metadata) → parse → validate →
``src/ftz_reforms/data/`` and ``schemas/``. The output is byte-for-byte stable, so ``--check`` can
rebuild in memory and name every committed file that is stale. Never imported by ``import
ftz_reforms``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from ftz_reforms._paths import source_checkout
from ftz_reforms._version import DATA_VERSION, SCHEMA_VERSION
from ftz_reforms.casebook.parser import CasebookError, case_id, parse_casebook
from ftz_reforms.build.curation import CurationReport, curate_metrics, draft_entries
from ftz_reforms.tables.datapackage import EXPORT_DIR, datapackage
from ftz_reforms.build.editorial import apply_editorial, load_editorial
from ftz_reforms.tables.formats import TABLES, csv_text
from ftz_reforms.build.glossary import load_glossary
from ftz_reforms.retrieval.keywords import KeywordExtractor, read_stop_words
from ftz_reforms.model.records import Case, Dataset, SourceDocument
from ftz_reforms.build.overlays import CaseOverlay, OverlayError, load_overlays
from ftz_reforms.casebook.reference import free_trade_zones
from ftz_reforms.model.schema import json_schema
from ftz_reforms.retrieval.indexer import INDEX_FILE, build_index
from ftz_reforms.store import DATA_FILE

__all__ = ["BuildError", "build_dataset", "main", "render_outputs", "repository_root"]

SOURCE_METADATA = Path("sources/batch5/source.json")
KEYWORD_STOP_WORDS = Path("sources/keyword_stopwords.txt")
DATA_DIR = Path("src/ftz_reforms/data")
SCHEMA_DIR = Path("schemas")


class BuildError(RuntimeError):
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


def verified_source_text(root: Path, metadata: dict[str, Any]) -> bytes:
    """The verbatim casebook, refused when its sha256 differs from the one on record."""
    path = root / str(metadata["file"])
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BuildError(f"{path}: the verbatim casebook copy is missing") from None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != metadata["sha256"]:
        raise BuildError(
            f"{metadata['file']} has sha256 {digest}, but {SOURCE_METADATA} records "
            f"{metadata['sha256']}: the verbatim source must not be edited. Restore it, or record a "
            "new source deliberately by updating the sha256."
        )
    return raw


def _parsed_cases(root: Path) -> tuple[dict[str, Any], tuple[Case, ...]]:
    metadata = _read_json(root / SOURCE_METADATA)
    raw = verified_source_text(root, metadata)
    cases = parse_casebook(raw.decode("utf-8"), batch=int(metadata["batch"]), first_page=int(metadata["first_page"]))
    return metadata, cases


def _overlay_dir(root: Path) -> Path:
    return root / SOURCE_METADATA.parent / "metrics"


def _with_metrics(root: Path, batch: int, cases: tuple[Case, ...], report: CurationReport) -> tuple[Case, ...]:
    directory = _overlay_dir(root)
    overlays = load_overlays(directory, batch)
    unknown = sorted(set(overlays) - {case.number for case in cases})
    if unknown:
        raise OverlayError(f"{directory}: overlay files for cases that do not exist: {unknown}")
    curated = []
    problems = []
    for case in cases:
        path = directory / f"{case_id(batch, case.number)}.toml"
        try:
            metrics = curate_metrics(case, overlays.get(case.number, CaseOverlay()), str(path), report)
        except OverlayError as error:
            problems.append(str(error))
            continue
        curated.append(case.model_copy(update={"metrics": metrics}))
    if problems:
        raise OverlayError("\n".join(problems))
    return tuple(curated)


def _with_editorial(root: Path, batch: int, cases: tuple[Case, ...]) -> tuple[Case, ...]:
    directory = root / SOURCE_METADATA.parent / "english"
    overlays = load_editorial(directory, batch)
    missing = [case.id for case in cases if case.number not in overlays]
    unknown = sorted(set(overlays) - {case.number for case in cases})
    if missing or unknown:
        raise OverlayError(
            f"{directory}: cases without an editorial overlay {missing}, overlays without a case {unknown}"
        )
    return tuple(apply_editorial(case, overlays[case.number], str(directory / f"{case.id}.toml")) for case in cases)


def _with_keywords(root: Path, cases: tuple[Case, ...], domain_terms: tuple[str, ...]) -> tuple[Case, ...]:
    extractor = KeywordExtractor(domain_terms, read_stop_words(root / KEYWORD_STOP_WORDS))
    return tuple(case.model_copy(update={"keywords": extractor.keywords(case)}) for case in cases)


def build_dataset(root: Path, report: CurationReport | None = None) -> Dataset:
    """Parse, curate and validate the whole dataset from the sources under ``root``."""
    metadata, cases = _parsed_cases(root)
    batch = int(metadata["batch"])
    cases = _with_metrics(root, batch, cases, report or CurationReport())
    cases = _with_editorial(root, batch, cases)
    cases = _with_keywords(root, cases, load_glossary(root).chinese_terms)
    source = SourceDocument(
        title_zh=metadata["title_zh"],
        title_en=metadata["title_en"],
        publisher_zh=metadata["publisher_zh"],
        publisher_en=metadata["publisher_en"],
        batch=batch,
        published=metadata["published"],
        facts_basis=metadata["facts_basis"],
        file=metadata["file"],
        sha256=metadata["sha256"],
        page_start=cases[0].source.page_start,
        page_end=cases[-1].source.page_end,
        licence=metadata["licence"],
    )
    # model_copy skips validation: validating the assembled whole is what proves the overlays sound.
    return Dataset.model_validate(
        {
            "schema_version": SCHEMA_VERSION,
            "data_version": DATA_VERSION,
            "source": source.model_dump(),
            "free_trade_zones": [zone.model_dump() for zone in free_trade_zones()],
            "cases": [case.model_dump() for case in cases],
        }
    )


def _json_bytes(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n"


def render_outputs(root: Path) -> dict[Path, bytes]:
    """Every generated file (path relative to ``root``) with its exact bytes."""
    data = build_dataset(root)
    outputs = {
        DATA_DIR / DATA_FILE: _json_bytes(data.model_dump(mode="json")),
        SCHEMA_DIR / "dataset.schema.json": _json_bytes(json_schema("dataset")),
        SCHEMA_DIR / "case.schema.json": _json_bytes(json_schema("case")),
        EXPORT_DIR / "datapackage.json": _json_bytes(datapackage(data)),
        # Compact: the index is read by every search process, and nobody reviews it line by line.
        DATA_DIR / INDEX_FILE: orjson.dumps(build_index(data, load_glossary(root).chinese_terms)) + b"\n",
    }
    for name in TABLES:
        outputs[EXPORT_DIR / f"{name}.csv"] = csv_text(name, data).encode("utf-8")
    return outputs


def stale_files(root: Path, outputs: dict[Path, bytes]) -> list[Path]:
    """Generated files whose committed bytes differ from a fresh build (or that are missing)."""
    stale = []
    for relative, content in outputs.items():
        path = root / relative
        if not path.is_file() or path.read_bytes() != content:
            stale.append(relative)
    return stale


def _draft_overlays(root: Path) -> int:
    metadata, cases = _parsed_cases(root)
    batch = int(metadata["batch"])
    directory = _overlay_dir(root)
    directory.mkdir(parents=True, exist_ok=True)
    overlays = load_overlays(directory, batch)
    for case in cases:
        draft = draft_entries(case, overlays.get(case.number, CaseOverlay()))
        if not draft:
            continue
        path = directory / f"{case_id(batch, case.number)}.toml"
        header = "" if path.exists() else f"# Metrics of case {case.number}: {case.title_zh}\n\n"
        with path.open("a", encoding="utf-8") as file:
            file.write(header + draft)
        print(f"drafted entries in {path.relative_to(root)}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ftz_reforms.build",
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
    parser.add_argument("--root", type=Path, help="repository root (default: this checkout)")
    args = parser.parse_args(argv)
    try:
        root = args.root.resolve() if args.root else repository_root()
        if args.draft_overlays:
            return _draft_overlays(root)
        outputs = render_outputs(root)
    except (BuildError, CasebookError, OverlayError) as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 2
    if args.check:
        stale = stale_files(root, outputs)
        for relative in stale:
            print(f"stale: {relative} (run: python -m ftz_reforms.build)", file=sys.stderr)
        if stale:
            return 1
        print(f"up to date: {len(outputs)} generated files")
        return 0
    for relative, content in outputs.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != content:
            path.write_bytes(content)
            print(f"wrote {relative}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
