"""One table layer: what `list`, `metrics` and `search` print with --format csv|json is what `export`
and `to_records` give for the same table: the same columns, names, joins and values."""

from __future__ import annotations

import csv
import io

import orjson
import pytest

import ftz_reforms
from ftz_reforms import export as export_bytes
from ftz_reforms import to_records
from ftz_reforms.cli.app import main
from ftz_reforms.tables.definitions import HITS, hit_row


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def _csv_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


@pytest.mark.parametrize(
    ("argv", "table", "key", "value"),
    [
        (("list", "--province", "CN-SD"), "cases", "case_id", "b5-10"),
        (("metrics", "--case", "8"), "metrics", "metric_id", "b5-08-m05"),
    ],
)
def test_cli_csv_and_json_are_rows_of_the_exported_table(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], table: str, key: str, value: str
) -> None:
    exported_header, exported = _csv_rows(export_bytes(table, "csv").decode("utf-8"))
    header, rows = _csv_rows(_cli(capsys, *argv, "--format", "csv"))
    assert header == exported_header
    assert next(row for row in rows if row[key] == value) == next(row for row in exported if row[key] == value)
    records = orjson.loads(_cli(capsys, *argv, "--format", "json"))
    assert list(records[0]) == exported_header
    wanted = next(record for record in to_records(table) if record[key] == value)
    assert next(record for record in records if record[key] == value) == wanted


def test_cli_search_csv_and_json_are_rows_of_the_hits_table(capsys: pytest.CaptureFixture[str]) -> None:
    hits = ftz_reforms.search("海事", limit=3)
    expected = [hit_row(rank, hit) for rank, hit in enumerate(hits, start=1)]
    assert orjson.loads(_cli(capsys, "search", "海事", "--limit", "3", "--format", "json")) == expected
    header, rows = _csv_rows(_cli(capsys, "search", "海事", "--limit", "3", "--format", "csv"))
    assert header == HITS.column_names
    assert rows[0]["matched_terms"] == "; ".join(expected[0]["matched_terms"])
    assert rows[0]["snippet_marked"] == hits[0].marked()
    assert [row["case_id"] for row in rows] == [hit.id for hit in hits]


def test_every_table_names_the_case_the_same_way() -> None:
    from ftz_reforms.tables.definitions import CASES, METRICS, SECTIONS

    for table in (CASES, SECTIONS, METRICS, HITS):
        assert {"case_id", "case_title_zh", "case_title_en"} <= set(table.column_names), table.name
