"""The Frictionless Data Package descriptor (``datapackage.json``) of a dataset's tables.

The build writes one beside the committed CSV files (``exports/``), and ``export --all`` one into every release
bundle, where the other files (JSON, JSON Lines, Parquet, SQLite, schemas, changelog) are listed too, each with
its size and SHA-256. The fields come from the same column descriptions every export uses
(``tables.definitions``), so the package cannot drift from the files.
Spec: https://specs.frictionlessdata.io/data-package/ (tabular data resources, table schema).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ftz_reforms.model.records import Dataset, SourceDocument
from ftz_reforms.tables.definitions import DATASET_TABLES, Column, Table
from ftz_reforms.tables.formats import LIST_SEPARATOR

__all__ = ["FileResource", "datapackage"]

FileResource = dict[str, Any]
"""A resource of a file that is not a CSV table: name, path, format, mediatype, bytes, hash."""


def _field(column: Column) -> dict[str, Any]:
    if column.type == "list":
        field: dict[str, Any] = {
            "name": column.name,
            "type": "string",
            "description": f"{column.description} A list, items separated by {LIST_SEPARATOR!r}.",
        }
    else:
        field = {"name": column.name, "type": column.type, "description": column.description}
    if column.required:
        field["constraints"] = {"required": True}
    return field


def _resource(table: Table) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(column) for column in table.columns],
        "missingValues": [""],
        "primaryKey": list(table.key) if len(table.key) > 1 else table.key[0],
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": column, "reference": {"resource": other, "fields": other_column}}
            for column, other, other_column in table.foreign_keys
        ]
    return {
        "name": table.name,
        "path": f"{table.name}.csv",
        "profile": "tabular-data-resource",
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def datapackage(data: Dataset, files: Sequence[FileResource] = ()) -> dict[str, Any]:
    """The descriptor of the dataset's CSV tables, and of ``files`` (the bundle's other files) when given.

    The bundled data's licence is the project's (MIT, for structure, curation and English); an imported
    casebook's is whatever its source allows, which the file does not say, so its descriptor claims none.
    """
    batches = ", ".join(str(document.batch) for document in data.sources)
    curated = any(document.licence for document in data.sources)
    descriptor: dict[str, Any] = {
        "profile": "data-package" if files else "tabular-data-package",
        "name": "ftz-reforms" if curated else f"ftz-reforms-import-batch-{batches.replace(', ', '-')}",
        "title": "ftz-reforms: best practice cases of China's pilot free trade zones"
        + ("" if curated else f" (an import of batch {batches})"),
        "description": _description(data, batches),
        "version": data.data_version,
        "keywords": ["China", "pilot free trade zones", "reform", "policy", "自由贸易试验区"],
    }
    if curated:
        descriptor["licenses"] = [
            {
                "name": "MIT",
                "path": "https://opensource.org/licenses/MIT",
                "title": "MIT License (structure, curation and English text of the ftz-reforms project)",
            }
        ]
    descriptor["sources"] = [_source(document) for document in data.sources]
    descriptor["resources"] = [_resource(table) for table in DATASET_TABLES.values()] + list(files)
    return descriptor


def _description(data: Dataset, batches: str) -> str:
    """What the package holds: the cases of ``batches`` and their casebooks, the reference tables, the versions."""
    titles = "; ".join(
        _name(document) + (f" ({document.title_zh})" if document.title_en and document.title_zh else "")
        for document in data.sources
    )
    return (
        f"The {len(data.cases)} cases of batch {batches} ({titles}): titles, summaries, practices and "
        "outcomes, categories, keywords and every quantified figure with the sentence it came from, the "
        "effects linking them; and the reference tables of the 22 pilot free trade zones and their "
        "pilot areas, with sources. Data version "
        f"{data.data_version}, schema version {data.schema_version}."
    )


def _source(document: SourceDocument) -> dict[str, Any]:
    """A source of the package: a casebook, by its publisher, name and date, and its file."""
    dated = _name(document) + (f" ({document.published})" if document.published else "")
    publisher = document.publisher_en or document.publisher_zh
    return {"title": ": ".join(part for part in (publisher, dated) if part), "path": document.file}


def _name(document: SourceDocument) -> str:
    """What a casebook is called: its English title, else its Chinese one, else its file."""
    return document.title_en or document.title_zh or document.file
