"""Exports: records, JSON, JSON Lines, CSV (with and without BOM), Parquet, DataFrames, the data package."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

import ftz_reforms
from ftz_reforms import ExportError, MissingExtraError, to_dataframe, to_records
from ftz_reforms import export as export_bytes
from ftz_reforms.cli.app import main
from ftz_reforms.model.records import Dataset
from ftz_reforms.tables.formats import LIST_SEPARATOR, TABLES


def csv_text(table: str) -> str:
    return export_bytes(table, "csv").decode("utf-8")


CASE_TABLES = ("cases", "sections", "paragraphs", "metrics", "effects")


def expected_count(data: Dataset, table: str) -> int:
    counts = {
        "cases": len(data.cases),
        "sections": sum(len(case.practices) + len(case.outcomes) for case in data.cases),
        "paragraphs": sum(len(part.paragraph_starts_zh) for case in data.cases for part in case.parts()),
        "metrics": sum(len(case.metrics) for case in data.cases),
        "effects": sum(len(case.effects) for case in data.cases),
        "zones": len(data.free_trade_zones),
        "areas": len(data.pilot_areas),
        "batches": len(data.batches),
        "withdrawn": len(data.withdrawn) + sum(len(case.withdrawn) for case in data.cases),
    }
    return counts[table]


@pytest.mark.parametrize("table", list(TABLES))
def test_records_have_one_row_per_record_and_a_unique_key(data: Dataset, table: str) -> None:
    records = to_records(table)
    assert len(records) == expected_count(data, table)
    titles = {case.id: (case.title_zh, case.title_en) for case in data.cases}
    columns = [column.name for column in TABLES[table].columns]
    for row in records:
        assert list(row) == columns
        if table in CASE_TABLES:
            assert (row["case_title_zh"], row["case_title_en"]) == titles[row["case_id"]]
    keys = [tuple(row[name] for name in TABLES[table].key) for row in records]
    assert len(set(keys)) == len(keys), "the table's key is unique"


@pytest.mark.parametrize("table", list(TABLES))
def test_required_columns_are_filled(table: str) -> None:
    required = [column.name for column in TABLES[table].columns if column.required]
    for row in to_records(table):
        for name in required:
            assert row[name] not in (None, "", []), (table, name, row.get("case_id"))


def test_metric_rows_match_the_metrics(data: Dataset) -> None:
    rows = {row["metric_id"]: row for row in to_records("metrics")}
    for case in data.cases:
        for metric in case.metrics:
            row = rows[metric.id]
            assert (row["span"], row["value"], row["unit"], row["per"]) == (
                metric.span,
                metric.value,
                metric.unit.value,
                list(metric.per),
            )


@pytest.mark.parametrize("table", list(TABLES))
def test_json_and_jsonl_round_trip(table: str) -> None:
    records = to_records(table)
    assert orjson.loads(export_bytes(table, "json")) == records
    lines = export_bytes(table, "jsonl").decode("utf-8").splitlines()
    assert [orjson.loads(line) for line in lines] == records


def _csv_cell(value: Any) -> str:
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return ""
    return str(value)


@pytest.mark.parametrize("table", list(TABLES))
def test_csv_round_trips_as_text(table: str) -> None:
    records = to_records(table)
    for row in records:
        for value in row.values():
            if isinstance(value, list):
                assert not any(LIST_SEPARATOR in item for item in value), "an item would split on read"
    rows = list(csv.DictReader(io.StringIO(csv_text(table))))
    assert len(rows) == len(records)
    for read, record in zip(rows, records):
        assert read == {name: _csv_cell(value) for name, value in record.items()}


def test_csv_is_utf8_and_excel_adds_a_bom() -> None:
    plain = export_bytes("cases", "csv")
    excel = export_bytes("cases", "csv", excel=True)
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert excel == b"\xef\xbb\xbf" + plain
    assert "跨境电商出口退货" in excel.decode("utf-8-sig")


@pytest.mark.parametrize("table", list(TABLES))
def test_parquet_reads_back_equal(table: str) -> None:
    import pyarrow.parquet

    back = pyarrow.parquet.read_table(io.BytesIO(export_bytes(table, "parquet")))
    assert back.to_pylist() == to_records(table)
    assert back.column_names == [column.name for column in TABLES[table].columns]


def test_dataframe_has_the_records(data: Dataset) -> None:
    frame = to_dataframe("metrics")
    assert frame.shape == (expected_count(data, "metrics"), len(TABLES["metrics"].columns))
    assert frame["value"].dtype.kind == "f"
    assert frame.iloc[0]["metric_id"] == data.cases[0].metrics[0].id


@pytest.mark.parametrize(
    ("module", "call", "extra"),
    [
        ("pandas", lambda: to_dataframe("cases"), "pandas"),
        ("pyarrow", lambda: export_bytes("cases", "parquet"), "parquet"),
    ],
)
def test_a_missing_extra_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch, module: str, call: Any, extra: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(MissingExtraError, match=rf"pip install 'ftz-reforms\[{extra}\]'"):
        call()


def test_unknown_table_and_format_name_the_choices() -> None:
    with pytest.raises(ExportError, match="cases, sections, paragraphs, metrics"):
        to_records("provinces")
    with pytest.raises(ExportError, match="json, jsonl, csv, parquet, xlsx"):
        export_bytes("cases", "ods")


def test_cli_export_to_stdout_and_to_a_file(
    capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path, data: Dataset
) -> None:
    assert main(["export", "--table", "metrics", "--format", "jsonl"]) == 0
    out = capsysbinary.readouterr().out
    assert len(out.splitlines()) == expected_count(data, "metrics")
    target = tmp_path / "sections.parquet"
    assert main(["export", "--table", "sections", "--format", "parquet", "-o", str(target)]) == 0
    assert target.read_bytes()[:4] == b"PAR1"
    assert main(["export", "--format", "csv", "--excel", "-o", str(tmp_path / "c.csv")]) == 0
    assert (tmp_path / "c.csv").read_bytes() == export_bytes("cases", "csv", excel=True)


def test_cli_export_to_an_unwritable_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "-o", str(tmp_path / "missing" / "x.csv")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_datapackage_describes_the_committed_csv_files(repo: Path) -> None:
    package = orjson.loads((repo / "exports" / "datapackage.json").read_bytes())
    assert [resource["name"] for resource in package["resources"]] == list(TABLES)
    case_ids = {row["case_id"] for row in to_records("cases")}
    for resource in package["resources"]:
        path = repo / "exports" / resource["path"]
        with path.open(encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file))
        fields = resource["schema"]["fields"]
        assert list(rows[0]) == [field["name"] for field in fields]
        assert len(rows) == len(to_records(resource["name"]))
        for field in fields:
            assert field["type"] in {"string", "integer", "number", "boolean"} and field["description"]
            if field.get("constraints", {}).get("required"):
                assert all(row[field["name"]] for row in rows), (resource["name"], field["name"])
            if field["type"] == "integer":
                assert all(row[field["name"]] == "" or row[field["name"]].isdigit() for row in rows)
        for foreign_key in resource["schema"].get("foreignKeys", []):
            other = foreign_key["reference"]
            referenced = {record[other["fields"]] for record in to_records(other["resource"])}
            # A nullable key (an effect's before, after or change) may be empty; every value given is a row there.
            assert {row[foreign_key["fields"]] for row in rows} - {""} <= referenced
            if other["resource"] == "cases":
                assert referenced == case_ids


def test_citation_names_source_case_and_pages(data: Dataset) -> None:
    case = data.cases[16]
    text = case.citation(data.source)
    for part in (data.source.title_en, data.source.publisher_en, "case 17 [b5-17]", case.title_zh):
        assert part in text
    assert f"pp. {case.source.page_start}-{case.source.page_end}" in text
    one_page = case.model_copy(update={"source": case.source.model_copy(update={"page_end": case.source.page_start})})
    assert f"p. {case.source.page_start}." in one_page.citation(data.source)


def test_citation_cff_matches_the_package(repo: Path) -> None:
    from ftz_reforms._version import __version__

    text = (repo / "CITATION.cff").read_text(encoding="utf-8")
    assert "cff-version: 1.2.0" in text
    assert f"version: {__version__}" in text
    assert f"(package {__version__}) holds\n  data version {ftz_reforms.data_version} (ftz_reforms.data_version" in text


def test_cli_names_a_missing_extra_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    assert main(["export", "--format", "parquet", "-o", str(tmp_path / "x.parquet")]) == 2
    assert "pip install 'ftz-reforms[parquet]'" in capsys.readouterr().err
    assert not (tmp_path / "x.parquet").exists()


def test_the_data_dictionary_names_every_field_and_column(repo: Path) -> None:
    from ftz_reforms.model.records import (
        BatchInfo,
        Case,
        Dataset,
        FreeTradeZone,
        Metric,
        PilotArea,
        Section,
        SourceDocument,
    )
    from ftz_reforms.tables.definitions import HITS

    text = (repo / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    for model in (Dataset, SourceDocument, Case, Section, Metric, FreeTradeZone, PilotArea, BatchInfo):
        section = text.split(f"### `{model.__name__}`", 1)[1].split("\n### ", 1)[0]
        for name in model.model_fields:
            assert f"| `{name}` |" in section, (model.__name__, name)
    for table in (*TABLES.values(), HITS):
        section = text.split(f"### `{table.name}`", 1)[1].split("\n### ", 1)[0]
        for column in table.columns:
            assert f"| `{column.name}` | {column.type}" in section, (table.name, column.name)
    assert "| `size_km2` | number, may be empty |" in text and "km^2" in text
