"""A release of a dataset in one folder: ``ftz-reforms export --all -o DIR`` and ``Collection.export_all``.

The folder holds the dataset file itself, every table in every format (CSV, JSON, JSON Lines, Parquet), the
SQLite database with Datasette's metadata, the JSON Schemas, the data changelog (JSON and Markdown), a
Frictionless ``datapackage.json`` that describes every file (the CSV tables with their schemas, the rest with
their size and SHA-256), and ``SHA256SUMS`` over every file (``sha256sum -c SHA256SUMS`` checks it).

The bundle is made in a temporary folder beside DIR and renamed into place only when whole, so a failed or
interrupted run leaves DIR as it was. DIR may be new, empty, or an earlier bundle (it holds ``SHA256SUMS``
and nothing it does not list), which is replaced whole; any other folder is refused, so nothing a user keeps
there is lost.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ftz_reforms._files import json_file_bytes, write_folder
from ftz_reforms.errors import MissingExtraError

if TYPE_CHECKING:
    from ftz_reforms.model.records import Dataset
    from ftz_reforms.tables.definitions import Row


class Collection(Protocol):
    """What a bundle reads of a collection (``ftz_reforms.Collection``, which sits above this module)."""

    name: str
    path: Path | None

    @property
    def data(self) -> Dataset: ...

    def to_records(self, table: str) -> list[Row]: ...

    def to_sqlite(self, path: str | Path) -> Path | None: ...

    def to_xlsx(self) -> bytes: ...


__all__ = ["BUNDLE_FORMATS", "CHECKSUMS", "DATABASE", "write_bundle"]

BUNDLE_FORMATS = ("csv", "json", "jsonl", "parquet")
"""Every table is written in each of these formats."""
CHECKSUMS = "SHA256SUMS"
DATABASE = "ftz-reforms.db"
_MEDIA = {
    "json": "application/json",
    "jsonl": "application/jsonl",
    "parquet": "application/vnd.apache.parquet",
    "db": "application/vnd.sqlite3",
    "md": "text/markdown",
}


def _changelog(collection: Collection) -> dict[str, Any]:
    """The bundled data's changelog; for any other dataset, its first release: every record added in its
    version (an import has no earlier release to compare with)."""
    from ftz_reforms.history import changelog_entry, changes, diff

    if collection.path is None and collection.name == "bundled":
        return {"versions": changes()}
    empty: dict[str, Any] = {"cases": [], "data_version": None, "schema_version": None}
    return {"versions": [changelog_entry(diff(empty, collection.data))]}


def _dataset_bytes(collection: Collection) -> bytes:
    """The dataset file as the collection reads it (the released bytes), or its record written out."""
    from ftz_reforms._files import read_bytes
    from ftz_reforms._paths import DATA_DIRECTORY
    from ftz_reforms.store import DATA_FILE

    if collection.path is not None:
        return read_bytes(collection.path, "dataset file")
    if collection.name == "bundled":
        return read_bytes(DATA_DIRECTORY / DATA_FILE, "bundled data")
    return json_file_bytes(collection.data.model_dump(mode="json"))


def _files(collection: Collection, folder: Path) -> list[str]:
    """Write every file of the bundle but the descriptor and the checksums into ``folder``; their names."""
    from ftz_reforms.history import changelog_text
    from ftz_reforms.model.schema import json_schema
    from ftz_reforms.tables.definitions import DATASET_TABLES
    from ftz_reforms.tables.formats import encode

    written: dict[str, bytes] = {"dataset.json": _dataset_bytes(collection)}
    for name, table in DATASET_TABLES.items():
        rows = collection.to_records(name)
        for fmt in BUNDLE_FORMATS:
            written[f"{name}.{fmt}"] = encode(table, rows, fmt)
    for name in ("dataset", "case"):
        written[f"{name}.schema.json"] = json_file_bytes(json_schema(name))  # type: ignore[arg-type]
    if _has_xlsxwriter():
        written["ftz-reforms.xlsx"] = collection.to_xlsx()
    log = _changelog(collection)
    written["changelog.json"] = json_file_bytes(log)
    written["changelog.md"] = changelog_text(log["versions"], markdown=True).encode("utf-8")
    for name, content in written.items():
        (folder / name).write_bytes(content)
    metadata = collection.to_sqlite(folder / DATABASE)
    names = [*written, DATABASE]
    if metadata is not None:
        names.append(metadata.name)
    return names


def _has_xlsxwriter() -> bool:
    """Whether the ``xlsx`` extra is installed: a bundle holds a workbook of every table when it is."""
    import importlib.util

    return importlib.util.find_spec("xlsxwriter") is not None


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_resource(folder: Path, name: str, digest: str) -> dict[str, Any]:
    suffix = name.rsplit(".", 1)[-1]
    stem = name.replace(".", "-").lower()
    return {
        "name": stem,
        "path": name,
        "type": "file",
        "format": suffix,
        "mediatype": _MEDIA.get(suffix, "application/octet-stream"),
        "bytes": (folder / name).stat().st_size,
        "hash": f"sha256:{digest}",
    }


def _descriptor(collection: Collection, folder: Path, names: list[str], digests: dict[str, str]) -> bytes:
    from ftz_reforms.tables.datapackage import datapackage
    from ftz_reforms.tables.definitions import DATASET_TABLES

    tables = {f"{name}.csv" for name in DATASET_TABLES}
    files = [_file_resource(folder, name, digests[name]) for name in names if name not in tables]
    return json_file_bytes(datapackage(collection.data, files))


def _previous_bundle(directory: Path) -> bool:
    """Whether ``directory`` holds an earlier bundle and nothing else (every entry listed in its checksums)."""
    listing = directory / CHECKSUMS
    if not listing.is_file():
        return False
    listed = {line.split("  ", 1)[1] for line in listing.read_text(encoding="utf-8").splitlines() if "  " in line}
    return all(entry.name in listed or entry.name == CHECKSUMS for entry in directory.iterdir())


def write_bundle(collection: Collection, directory: str | Path, progress: Callable[[str], None] | None = None) -> int:
    """Write ``collection``'s release bundle into ``directory`` (see the module's note); returns the number of
    files. A :class:`MissingExtraError` when pyarrow (the ``parquet`` extra) is missing, before anything is
    written; a :class:`FileAccessError` for a target that is not a new, empty or bundle folder."""
    try:
        import pyarrow  # noqa: F401  # Parquet is part of every bundle: say so before writing anything
    except ImportError:
        raise MissingExtraError("pyarrow", "parquet") from None
    digests: dict[str, str] = {}

    def fill(scratch: Path) -> None:
        if progress:
            progress(f"writing the bundle in {scratch.name}")
        names = _files(collection, scratch)
        digests.update({name: _digest(scratch / name) for name in names})
        (scratch / "datapackage.json").write_bytes(_descriptor(collection, scratch, names, digests))
        digests["datapackage.json"] = _digest(scratch / "datapackage.json")
        sums = "".join(f"{digests[name]}  {name}\n" for name in sorted(digests))
        (scratch / CHECKSUMS).write_text(sums, encoding="utf-8")

    write_folder(directory, fill, earlier=_previous_bundle, what="an ftz-reforms release bundle")
    return len(digests) + 1
