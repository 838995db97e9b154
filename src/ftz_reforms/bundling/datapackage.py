"""The Frictionless Data Package (``exports/datapackage.json``) describing the CSV tables.

Written by the build next to the CSV files it describes; the fields come from the same column
descriptions every export uses (``tables.definitions``), so the package cannot drift from the files.
Spec: https://specs.frictionlessdata.io/data-package/ (tabular data resources, table schema).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ftz_reforms.model.records import Dataset
from ftz_reforms.tables.definitions import DATASET_TABLES, Column, Table
from ftz_reforms.tables.formats import LIST_SEPARATOR

__all__ = ["EXPORT_DIR", "datapackage"]

EXPORT_DIR = Path("exports")


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


def datapackage(data: Dataset) -> dict[str, Any]:
    """The descriptor of the dataset's CSV tables."""
    batches = ", ".join(str(document.batch) for document in data.sources)
    titles = "; ".join(f"{document.title_en} ({document.title_zh})" for document in data.sources)
    return {
        "profile": "tabular-data-package",
        "name": "ftz-reforms",
        "title": "ftz-reforms: best practice cases of China's pilot free trade zones",
        "description": (
            f"The {len(data.cases)} cases of batch {batches} ({titles}): titles, summaries, practices and "
            "outcomes in Chinese and English, categories, keywords and every quantified figure with the "
            "sentence it came from; and the reference tables of the 22 pilot free trade zones and their "
            "pilot areas, with sources."
        ),
        "version": data.data_version,
        "keywords": ["China", "pilot free trade zones", "reform", "policy", "自由贸易试验区"],
        "licenses": [
            {
                "name": "MIT",
                "path": "https://opensource.org/licenses/MIT",
                "title": "MIT License (structure, curation and English text of the ftz-reforms project)",
            }
        ],
        "sources": [
            {"title": f"{document.publisher_en}: {document.title_en} ({document.published})", "path": document.file}
            for document in data.sources
        ],
        "resources": [_resource(table) for table in DATASET_TABLES.values()],
    }
