"""Rows of a table as records, JSON, JSON Lines, CSV or Parquet: one encoder for every output.

``encode(table, rows, fmt)`` is what ``export`` writes and what ``list``, ``metrics`` and ``search``
print with ``--format json|csv``, so the same table has the same columns, names and list joins
everywhere. List-valued columns are lists in records, JSON and Parquet, and joined with ``"; "`` in CSV.

pandas and pyarrow are optional: ``to_dataframe`` needs the ``pandas`` extra and Parquet the ``parquet``
extra, and each says so when it is missing.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ftz_reforms._files import json_file_bytes
from ftz_reforms.errors import ExportError, MissingExtraError
from ftz_reforms.tables.definitions import DATASET_TABLES, Column, Row, Table, table_named

if TYPE_CHECKING:
    from ftz_reforms.model.records import Dataset

__all__ = [
    "FORMATS",
    "LIST_SEPARATOR",
    "PANDAS_DTYPES",
    "TABLES",
    "Column",
    "ExportError",
    "MissingExtraError",
    "Table",
    "csv_text",
    "dataframe",
    "encode",
    "export_bytes",
    "parquet_bytes",
    "to_dataframe",
    "to_records",
    "workbook_bytes",
]

LIST_SEPARATOR = "; "
FORMATS = ("json", "jsonl", "csv", "parquet", "xlsx")
TABLES = DATASET_TABLES
"""The dataset's tables by name (kept under the name it had when this module held them)."""


def to_records(table: str, data: Dataset) -> list[Row]:
    """The rows of ``table`` of ``data`` (cases, sections, paragraphs, metrics, effects, zones, areas, batches)
    as plain dicts."""
    rows = table_named(table).dataset_rows
    assert rows is not None  # every dataset table has them
    return list(rows(data))


PANDAS_DTYPES: dict[str, str] = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}
"""What each column type becomes in pandas: nullable dtypes, so that an empty cell is ``<NA>`` and an integer
column with gaps stays integer (not float64, as NumPy's types would make it); a list stays a list (object)."""


def dataframe(table: Table, rows: Iterable[Row]) -> Any:
    """``rows`` of ``table`` as a pandas DataFrame with the column types of ``PANDAS_DTYPES``."""
    try:
        import pandas
    except ImportError:
        raise MissingExtraError("pandas", "pandas") from None
    frame = pandas.DataFrame.from_records(list(rows), columns=table.column_names)
    dtypes = {column.name: PANDAS_DTYPES[column.type] for column in table.columns if column.type in PANDAS_DTYPES}
    return frame.astype(dtypes)


def to_dataframe(table: str, data: Dataset) -> Any:
    """The rows of ``table`` as a pandas DataFrame (needs the ``pandas`` extra), typed as ``PANDAS_DTYPES``
    says: ``Int64``, ``Float64``, ``boolean`` and ``string`` columns, lists as lists."""
    return dataframe(table_named(table), to_records(table, data))


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _csv(table: Table, rows: Iterable[Row]) -> str:
    columns = table.column_names
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row[name]) for name in columns])
    return buffer.getvalue()


def csv_text(table: str, data: Dataset) -> str:
    """The dataset table as CSV text: a header row, then one row per record (lists joined by ``"; "``)."""
    return _csv(table_named(table), to_records(table, data))


def _arrow_type(column: Column, pyarrow: Any) -> Any:
    kinds = {
        "string": pyarrow.string(),
        "integer": pyarrow.int64(),
        "number": pyarrow.float64(),
        "boolean": pyarrow.bool_(),
    }
    return pyarrow.list_(pyarrow.string()) if column.type == "list" else kinds[column.type]


def _parquet(table: Table, rows: list[Row]) -> bytes:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise MissingExtraError("pyarrow", "parquet") from None
    schema = pyarrow.schema([(column.name, _arrow_type(column, pyarrow)) for column in table.columns])
    schema = schema.with_metadata({b"pandas": _pandas_metadata(table)})
    sink = io.BytesIO()
    pyarrow.parquet.write_table(pyarrow.Table.from_pylist(rows, schema=schema), sink)
    return sink.getvalue()


def _pandas_metadata(table: Table) -> bytes:
    """The schema metadata pandas writes and reads back (``pandas_type``/``numpy_type`` per column), so that
    ``pandas.read_parquet`` gives the frame ``to_dataframe`` gives, without pandas installed to write it."""
    import orjson

    arrow_names = {"string": "unicode", "integer": "int64", "number": "float64", "boolean": "bool"}
    columns = [
        {
            "name": column.name,
            "field_name": column.name,
            "pandas_type": "list[unicode]" if column.type == "list" else arrow_names[column.type],
            "numpy_type": PANDAS_DTYPES.get(column.type, "object"),
            "metadata": None,
        }
        for column in table.columns
    ]
    return orjson.dumps(
        {
            "index_columns": [],
            "column_indexes": [],
            "columns": columns,
            "creator": {"library": "ftz-reforms", "version": "1"},
            "pandas_version": "2.0.0",
        }
    )


def parquet_bytes(table: str, data: Dataset) -> bytes:
    """The dataset table as a Parquet file (needs the ``parquet`` extra)."""
    return _parquet(table_named(table), to_records(table, data))


_SHEET_WIDEST = 60
"""The widest a sheet's column is made, in characters (a long text wraps in its cell instead)."""


_EPOCH = datetime.datetime(2024, 1, 1)
"""The creation date every workbook carries, so that the same data gives the same bytes."""


EXCEL_CELL_LIMIT = 32_767
"""The most characters an Excel cell holds."""
EXCEL_LINK_LIMIT = 65_530
"""The most links an Excel sheet holds."""


def workbook_bytes(sheets: Sequence[tuple[Table, Sequence[Row]]]) -> bytes:
    """An Excel workbook (xlsx) with one sheet per table (needs the ``xlsx`` extra, XlsxWriter): its header row
    bold, frozen and filterable; columns as wide as their content (at most ``_SHEET_WIDEST``); numbers and
    booleans as Excel's own, text as text (never read as a formula: ``=`` is just a character; beyond Excel's
    32,767 characters a cell, cut with an ellipsis), lists joined with ``"; "``; and every id that names a row
    of another sheet (an effect's metrics, a case) a link to that row."""
    try:
        import xlsxwriter
    except ImportError:
        raise MissingExtraError("xlsxwriter", "xlsx") from None
    sink = io.BytesIO()
    book = xlsxwriter.Workbook(sink, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"title": "ftz-reforms", "created": _EPOCH})  # a fixed date: the same data, the same bytes
    bold = book.add_format({"bold": True})
    link = book.add_format({"font_color": "blue", "underline": 1})
    names = {table.name for table, _ in sheets}
    rows_by_key = _rows_by_key(sheets)
    for table, rows in sheets:
        sheet = book.add_worksheet(table.name[:31])
        links = _SheetLinks.of(table, names, rows_by_key)
        for index, column in enumerate(table.columns):
            sheet.write_string(0, index, column.name, bold)
            sheet.set_column(index, index, _column_width(column, rows))
            for number, row in enumerate(rows, start=1):
                _write_cell(sheet, (number, index), column, row[column.name], links, link)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1), len(table.columns) - 1)
    book.close()
    return sink.getvalue()


_RowsByKey = dict[tuple[str, str], dict[Any, int]]
"""(sheet, its key column) → each key's row number in the sheet (1-based, as Excel numbers rows: the header is 1)."""


def _rows_by_key(sheets: Sequence[tuple[Table, Sequence[Row]]]) -> _RowsByKey:
    """Where each row of a sheet keyed by one column sits, by its key: what a link to it points at."""
    return {
        (table.name, table.key[0]): {row[table.key[0]]: number for number, row in enumerate(rows, start=2)}
        for table, rows in sheets
        if len(table.key) == 1
    }


@dataclass
class _SheetLinks:
    """The links of one sheet: the rows each linking column's ids name in another sheet, and how many links the
    sheet has left (beyond Excel's links a sheet, an id is written as plain text)."""

    rows: dict[str, dict[Any, int]]
    """Linking column → each id's row number in the sheet it names."""
    sheets: dict[str, str]
    """Linking column → the sheet its ids name."""
    left: int
    """How many more links the sheet holds."""

    @classmethod
    def of(cls, table: Table, names: set[str], rows_by_key: _RowsByKey) -> _SheetLinks:
        """The links of the sheet of ``table`` in a workbook of the sheets ``names``."""
        rows = {
            column: rows_by_key[other, other_column]
            for column, other, other_column in table.foreign_keys
            if other in names and (other, other_column) in rows_by_key
        }
        return cls(rows, {column: other for column, other, _ in table.foreign_keys if column in rows}, EXCEL_LINK_LIMIT)

    def place(self, column: str, value: Any) -> str | None:
        """Where ``value`` of ``column`` links to, counted as one link of the sheet; None when it links nowhere or
        the sheet has no link left."""
        if column in self.rows and value in self.rows[column] and self.left > 0:
            self.left -= 1
            return f"internal:'{self.sheets[column]}'!A{self.rows[column][value]}"
        return None


def _column_width(column: Column, rows: Sequence[Row]) -> int:
    """As wide as the column's name and the values of its first 500 rows, at most ``_SHEET_WIDEST``."""
    widest = max([len(column.name), *(len(_cell_text(row[column.name])) for row in rows[:500])])
    return min(widest + 2, _SHEET_WIDEST)


def _write_cell(sheet: Any, cell: tuple[int, int], column: Column, value: Any, links: _SheetLinks, link: Any) -> None:
    """Write ``value`` of ``column`` at ``cell`` (row, column) as what it is: a link, a boolean, a number or text."""
    if value is None or value == [] or value == "":
        return  # an empty cell, as Excel leaves one
    place = links.place(column.name, value)
    if place is not None:
        sheet.write_url(*cell, place, link, string=str(value))
    elif column.type == "boolean":
        sheet.write_boolean(*cell, bool(value))
    elif column.type in ("integer", "number"):
        sheet.write_number(*cell, value)
    else:
        sheet.write_string(*cell, _within_a_cell(_cell_text(value)))


def _within_a_cell(text: str) -> str:
    """``text``, or, beyond what a cell holds, its start and an ellipsis that says it was cut (the other
    formats hold it whole): never cut without a sign."""
    return text if len(text) <= EXCEL_CELL_LIMIT else text[: EXCEL_CELL_LIMIT - 1] + "…"


def _cell_text(value: Any) -> str:
    return LIST_SEPARATOR.join(value) if isinstance(value, list) else "" if value is None else str(value)


def encode(table: Table, rows: Iterable[Row], fmt: str, *, excel: bool = False) -> bytes:
    """``rows`` of ``table`` in format ``fmt`` (json, jsonl, csv or parquet), as the bytes of a file.

    ``excel`` puts a UTF-8 byte-order mark before CSV, so Excel opens the Chinese text correctly.
    """
    import orjson  # here, not at the top: the command line imports this module for a search

    if fmt not in FORMATS:
        raise ExportError(f"no format {fmt!r}: choose one of {', '.join(FORMATS)}")
    records = [{name: row[name] for name in table.column_names} for row in rows]
    if fmt == "json":
        return json_file_bytes(records)
    if fmt == "jsonl":
        return b"".join(orjson.dumps(record) + b"\n" for record in records)
    if fmt == "csv":
        return ("\ufeff" if excel else "").encode() + _csv(table, records).encode("utf-8")
    if fmt == "xlsx":
        return workbook_bytes([(table, records)])
    return _parquet(table, records)


def export_bytes(table: str, fmt: str, *, data: Dataset, excel: bool = False) -> bytes:
    """The dataset table in format ``fmt`` (json, jsonl, csv or parquet), as the bytes of a file."""
    if fmt not in FORMATS:
        raise ExportError(f"no format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return encode(table_named(table), to_records(table, data), fmt, excel=excel)
