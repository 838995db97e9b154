"""The terminal table of each table: which of its columns a reader sees, in which order, which give way first
when the terminal is narrow, and how a cell reads. ``view_lines`` lays any of them out with ``render.table``,
from the same rows every other format writes.

A cell reads as the column's type says (``text``): a list joined, a boolean as ``yes``, a number grouped and
never in scientific notation, a percent signed and rounded. A column with an English counterpart shows it to
an English reader (``case_title_zh`` → ``case_title_en``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ftz_reforms.tables.definitions import Column, Row, Table

__all__ = ["VIEWS", "Shown", "text", "view_lines"]


@dataclass(frozen=True)
class Shown:
    """A column of a terminal table."""

    column: str
    priority: int
    """Higher is kept longer when the width runs out (``render.table``)."""
    english: str | None = None
    """The column shown instead to an English reader."""
    cell: Callable[[Row], str] | None = None
    """How a cell reads, where the column's type does not say it (two columns in one cell)."""
    header: str | None = None
    """The header, where it is not the column's name."""


def _role(row: Row) -> str:
    return str(row["role"]) + (f" {row['direction']}" if row["direction"] else "")


VIEWS: dict[str, tuple[Shown, ...]] = {
    "cases": (
        Shown("number", 8),
        Shown("case_id", 9),
        Shown("province_names_zh", 3, "province_names_en"),
        Shown("case_title_zh", 7, "case_title_en"),
    ),
    "metrics": (
        Shown("metric_id", 9),
        Shown("span", 9),
        Shown("value", 6),
        Shown("unit", 6),
        Shown("role", 3, cell=_role),
        Shown("as_of", 2),
        Shown("sentence", 5, "description_en"),
    ),
    "effects": (
        Shown("effect_id", 9),
        # The figures as the reader's language writes them (``render.effect_line``): the command adds them.
        Shown("change_line", 9, header="change"),
        Shown("measure", 3),
        Shown("baseline", 2),
        Shown("sentence", 6, "description_en"),
    ),
    "zones": (Shown("iso_code", 9), Shown("name_zh", 8, "name_en"), Shown("established", 3), Shown("size_km2", 2)),
    "areas": (
        Shown("zone_iso_code", 7),
        Shown("name_zh", 9, "short_name_en"),
        Shown("kind", 5),
        Shown("established", 4),
        Shown("size_km2", 3),
        Shown("status", 2),
    ),
    "batches": (
        Shown("number", 9),
        Shown("announced", 8),
        Shown("cases", 7),
        Shown("bundled", 6),
        Shown("status", 5),
        Shown("issuer", 4),
    ),
}
"""The terminal table of every table a reading command prints as a table (search prints its hits as lines)."""


def text(column: Column | None, value: Any, lang: str) -> str:
    """A cell as people read it, by its column's type."""
    from ftz_reforms.text.english import plain_number, signed_percent  # here: a cold search never imports decimal

    if value is None:
        return ""
    if column is None or column.type in ("string", "integer"):
        return str(value)
    if column.type == "list":
        return ("、" if lang == "zh" else ", ").join(str(item) for item in value)
    if column.type == "boolean":
        return "yes" if value else ""
    return signed_percent(value) if column.unit == "percent" else plain_number(value)


def view_lines(table: Table, rows: Sequence[Row], lang: str, width: int | None) -> list[str]:
    """The terminal table of ``rows`` of ``table`` for a reader of ``lang``, fitted to ``width`` (None: whole)."""
    from ftz_reforms.cli.render import table as laid_out

    columns: Mapping[str, Column] = {column.name: column for column in table.columns}
    shown = [(entry, _shown_column(entry, lang)) for entry in VIEWS[table.name]]
    headers = [entry.header or name for entry, name in shown]
    cells = [[_cell(entry, columns.get(name), row, name, lang) for entry, name in shown] for row in rows]
    return laid_out(headers, cells, width, [entry.priority for entry, _ in shown])


def _shown_column(entry: Shown, lang: str) -> str:
    """The column ``entry`` shows a reader of ``lang``: its English counterpart to an English reader."""
    return entry.english if lang == "en" and entry.english else entry.column


def _cell(entry: Shown, column: Column | None, row: Row, name: str, lang: str) -> str:
    """The cell of ``row`` that ``entry`` shows (column ``name``): read its own way, or by the column's type."""
    return entry.cell(row) if entry.cell else text(column, row[name], lang)
