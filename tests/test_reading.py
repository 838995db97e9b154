"""The data as people read it: numbers as people write them, effects by place, pandas types that survive a
round trip through Parquet, and a case without English said so."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ftz_reforms
from ftz_reforms.cli.app import main
from ftz_reforms.cli.render import NO_ENGLISH
from ftz_reforms.model.bounds import MAX_FIGURE
from ftz_reforms.model.records import Dataset
from ftz_reforms.tables.definitions import DATASET_TABLES
from ftz_reforms.tables.formats import PANDAS_DTYPES
from ftz_reforms.text.english import plain_number

SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?[eE][+-]?[0-9]")
CASEBOOK = Path(__file__).parent / "casebooks" / "batch90" / "casebook.txt"


@given(st.decimals(min_value=-MAX_FIGURE, max_value=MAX_FIGURE, places=2, allow_nan=False, allow_infinity=False))
def test_a_number_for_people_is_the_number_grouped_never_scientific(value: Decimal) -> None:
    number = float(value)
    text = plain_number(number)
    assert not SCIENTIFIC.search(text) and "e" not in text
    assert float(text.replace(",", "")) == number
    whole = text.lstrip("-").split(".")[0]
    assert re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})*", whole), text


def test_the_terminal_tables_never_print_scientific_notation_nor_glue_a_sign_to_a_word(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert plain_number(50_000_000.0) == "50,000,000" and plain_number(7_345_000.0) == "7,345,000"
    for argv in (
        ["effects"],
        ["effects", "--lang", "zh"],
        ["metrics"],
        ["zones"],
        ["areas"],
        ["show", "1", "--lang", "en"],
        ["show", "8"],
    ):
        assert main(argv) == 0
        out = capsys.readouterr().out
        assert not SCIENTIFIC.search(out), (argv, SCIENTIFIC.search(out))
        assert not re.search(r"[-+](?:about|at least|at most|nearly|more than|less than|约|近)", out), argv
    assert main(["effects", "--case", "1"]) == 0
    assert "down about CNY 50,000,000" in capsys.readouterr().out


def test_effects_and_metrics_by_place(data: Dataset) -> None:
    guangdong = {case.id for case in data.cases if any(zone.iso_code == "CN-GD" for zone in case.providers)}
    for name in ("Guangdong", "广东", "CN-GD", "广东自贸区"):
        found = ftz_reforms.effects(province=name)
        assert found and {each.case.id for each in found} == guangdong
        assert len(found) == sum(len(case.effects) for case in data.cases if case.id in guangdong)
    assert ftz_reforms.area("南沙").name_zh == "广州南沙新区片区"
    assert ftz_reforms.area("张江").name_zh == "张江高科技片区"
    assert {each.case.id for each in ftz_reforms.metrics(area="张江")} == {"b5-20"}
    assert {each.case.id for each in ftz_reforms.effects(area="南沙")} == {"b5-01"}
    rows = ftz_reforms.to_records("effects")
    assert all(row["provinces"] and row["province_names_en"] for row in rows)
    assert {row["case_id"] for row in rows if "CN-GD" in row["provinces"]} == guangdong
    with pytest.raises(ftz_reforms.FilterError, match="unknown province 'Atlantis'"):
        ftz_reforms.effects(province="Atlantis")


@pytest.mark.parametrize("table", list(DATASET_TABLES))
def test_pandas_types_are_nullable_and_survive_parquet(table: str) -> None:
    import pandas  # the test extras install it

    frame = ftz_reforms.to_dataframe(table)
    for column in DATASET_TABLES[table].columns:
        assert str(frame[column.name].dtype) == PANDAS_DTYPES.get(column.type, "object"), column.name
    back = pandas.read_parquet(io.BytesIO(ftz_reforms.export(table, "parquet")))
    assert dict(back.dtypes.astype(str)) == dict(frame.dtypes.astype(str))
    lists = [column.name for column in DATASET_TABLES[table].columns if column.type == "list"]
    assert back.drop(columns=lists).equals(frame.drop(columns=lists))
    for name in lists:
        assert [list(cell) for cell in back[name]] == list(frame[name])


def test_gaps_stay_integers_and_booleans(data: Dataset) -> None:
    metrics = ftz_reforms.to_dataframe("metrics")
    assert str(metrics["section"].dtype) == "Int64" and metrics["section"].isna().any()
    effects = ftz_reforms.to_dataframe("effects")
    assert str(effects["consistent"].dtype) == "boolean" and effects["consistent"].isna().any()
    batches = ftz_reforms.to_dataframe("batches")
    assert str(batches["cases"].dtype) == "Int64" and batches["cases"].isna().any()


def test_a_case_without_english_says_so_and_shows_its_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imported = tmp_path / "b90.json"
    assert main(["import", str(CASEBOOK), "--batch", "90", "-o", str(imported)]) == 0
    capsys.readouterr()
    assert main(["--data", str(imported), "show", "1", "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    case = ftz_reforms.load(imported).get(1)
    assert lines[0] == NO_ENGLISH and lines[2].startswith(f"1. {case.title_zh}")
    assert case.summary_zh[:10] in "".join(lines)


def _display_width(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


_AT_80 = [
    ["list"],
    ["list", "--lang", "en"],
    ["effects"],
    ["effects", "--lang", "zh"],
    ["metrics"],
    ["metrics", "--lang", "zh"],
    ["batches"],
    ["zones"],
    ["areas"],
    ["areas", "--lang", "en"],
    ["search", "退货"],
    ["search", "returned", "goods"],
    ["search", "海关", "--limit", "20"],
    ["show", "1"],
    ["show", "8", "--lang", "en"],
    ["show", "3"],
    ["show", "b5-08-e03"],
    ["changes"],
]


@pytest.mark.parametrize("argv", _AT_80, ids=" ".join)
def test_every_line_fits_80_columns(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and max(map(_display_width, lines)) <= 80, max(lines, key=_display_width)


def test_every_terminal_table_is_drawn_from_its_tables_columns(capsys: pytest.CaptureFixture[str]) -> None:
    """One renderer for every reading command's table: each view names columns of its table (the effects'
    change line is the one the command adds), and a reader of English gets the English column of a pair."""
    from ftz_reforms.cli.views import VIEWS

    for name, view in VIEWS.items():
        columns = set(DATASET_TABLES[name].column_names)
        named = {entry.column for entry in view} | {entry.english for entry in view if entry.english}
        assert named - columns <= {"change_line"}, (name, named - columns)
    for lang, title, province in (("zh", "case_title_zh", "广东"), ("en", "case_title_en", "Guangdong")):
        assert main(["list", "--province", "CN-GD", "--lang", lang, "--wide"]) == 0
        header, row = capsys.readouterr().out.splitlines()
        case = ftz_reforms.get(1)
        assert header.split() == ["number", "case_id", f"province_names_{lang}", title]
        assert row.split(None, 3) == ["1", "b5-01", province, case.title_zh if lang == "zh" else case.title_en]
    assert main(["batches", "--wide"]) == 0
    fifth = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("5 "))
    assert fifth.split()[:5] == ["5", "2024-01", "23", "yes", "verified"]


def test_every_help_fits_80_columns(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from ftz_reforms.cli.commands import COMMANDS

    monkeypatch.setenv("COLUMNS", "80")
    for argv in ([], *([command.name] for command in COMMANDS)):
        with pytest.raises(SystemExit):
            main([*argv, "--help"])
        lines = capsys.readouterr().out.splitlines()
        assert max(map(_display_width, lines)) <= 80, (argv, max(lines, key=_display_width))
        # An example's note is a shell comment, so that pasting the line runs the example as shown.
        assert not [line for line in lines if line.startswith("  ftz-reforms ") and "   " in line.strip()
                    and "#" not in line], argv  # fmt: skip


def test_whole_cells_in_a_pipe_with_wide_and_in_every_machine_format(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    description = ftz_reforms.get(1).effects[0].description_en or ""
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["effects", "--case", "1"]) == 0
    cut = capsys.readouterr().out
    assert "…" in cut and description not in cut
    assert main(["effects", "--case", "1", "--wide"]) == 0
    assert description in capsys.readouterr().out
    for fmt in ("csv", "json", "jsonl"):
        assert main(["effects", "--case", "1", "--format", fmt]) == 0
        assert description in capsys.readouterr().out, fmt
    monkeypatch.delenv("COLUMNS")
    assert main(["effects", "--case", "1"]) == 0  # a pipe, no width asked for: the lines whole
    assert description in capsys.readouterr().out


# --- Excel ------------------------------------------------------------------------------------------------


def test_a_workbook_of_every_table_as_a_spreadsheet_reads_it(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "ftz.xlsx"
    assert main(["export", "--table", "all", "--format", "xlsx", "-o", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == list(DATASET_TABLES)
    for name, table in DATASET_TABLES.items():
        sheet = book[name]
        rows = ftz_reforms.to_records(name)
        assert [cell.value for cell in sheet[1]] == table.column_names
        assert sheet.max_row == len(rows) + 1 and sheet.freeze_panes == "A2", name
        for column_number, column in enumerate(table.columns, start=1):
            for row_number, row in enumerate(rows[:40], start=2):
                value, cell = row[column.name], sheet.cell(row_number, column_number).value
                if value is None:
                    assert cell is None
                elif column.type == "list":
                    assert cell == ("; ".join(value) or None)
                elif column.type == "number":  # a spreadsheet's number: a whole one reads back as an int
                    assert cell == value and isinstance(cell, (int, float)) and not isinstance(cell, bool)
                else:
                    assert cell == value and type(cell) is type(value), (name, column.name, cell, value)
    # An effect's before links to its metric's row in the metrics sheet.
    effects, metrics = book["effects"], book["metrics"]
    before = [cell.value for cell in effects[1]].index("before") + 1
    metric_id = [cell.value for cell in metrics[1]].index("metric_id") + 1
    linked = [row[before - 1] for row in effects.iter_rows(min_row=2) if row[before - 1].value is not None]
    assert len(linked) == sum(1 for row in ftz_reforms.to_records("effects") if row["before"])
    for cell in linked:
        sheet, place = cell.hyperlink.location.split("!")
        assert sheet == "'metrics'" and metrics.cell(int(place.removeprefix("A")), metric_id).value == cell.value


def test_a_cell_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    import openpyxl

    data = ftz_reforms.dataset().data
    hostile = data.cases[0].model_copy(update={"title_en": '=HYPERLINK("http://example.com","x")'})
    collection = ftz_reforms.Collection.of(data.model_copy(update={"cases": (hostile, *data.cases[1:])}))
    path = tmp_path / "cases.xlsx"
    path.write_bytes(collection.export("cases", "xlsx"))
    sheet = openpyxl.load_workbook(path)["cases"]
    cell = sheet.cell(2, [c.value for c in sheet[1]].index("case_title_en") + 1)
    assert cell.value == hostile.title_en and cell.data_type == "s"


def test_the_same_data_gives_the_same_workbook() -> None:
    assert ftz_reforms.dataset().to_xlsx() == ftz_reforms.dataset().to_xlsx()
    assert ftz_reforms.export("effects", "xlsx")[:2] == b"PK"


# --- progress ---------------------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_one_line_on_a_terminal_and_nothing_elsewhere() -> None:
    from ftz_reforms.cli.progress import TerminalProgress

    terminal = _Terminal()
    progress = TerminalProgress(terminal, after=0.0)
    for done in range(1, 4):
        progress("indexing for search", done, 3)
    progress.clear()
    shown = terminal.getvalue()
    assert shown.startswith("\r\x1b[Kindexing for search: 1/3") and "3/3" in shown and shown.endswith("\r\x1b[K")
    assert "\n" not in shown  # one line, rewritten in place
    piped = io.StringIO()
    quiet = TerminalProgress(piped, after=0.0)
    quiet("indexing for search", 1, 1)
    quiet.clear()
    assert piped.getvalue() == ""
    patient = _Terminal()
    waiting = TerminalProgress(patient)  # work shorter than two seconds shows nothing
    waiting("choosing keywords", 1, 2)
    assert patient.getvalue() == ""


def test_an_import_reports_every_case_of_each_step() -> None:
    from ftz_reforms._progress import reporting

    steps: list[tuple[str, int, int]] = []
    with reporting(lambda what, done, total: steps.append((what, done, total))):
        data = ftz_reforms.import_casebook(CASEBOOK.read_text(encoding="utf-8"), batch=90).data
    count = len(data.cases)
    for what in ("finding figures and effects", "choosing keywords"):
        assert [(done, total) for name, done, total in steps if name == what] == [
            (done, count) for done in range(1, count + 1)
        ]
    ftz_reforms.import_casebook(CASEBOOK.read_text(encoding="utf-8"), batch=90)  # no reporter: nothing, no error


@pytest.mark.slow
def test_a_long_first_search_shows_its_progress_on_a_terminal_and_clears_it(tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    from tests.helpers import benchmark

    grown = benchmark(Path(__file__).parents[1], "growth").grown(460, tmp_path / "cases-460.json")
    command = [sys.executable, "-m", "ftz_reforms", "--data", str(grown), "search", "退货", "--limit", "1"]
    environment = {**os.environ, "FTZ_REFORMS_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    main_end, side = pty.openpty()
    process = subprocess.Popen(command, stderr=side, stdout=subprocess.PIPE, env=environment)
    os.close(side)
    shown = b""
    while True:
        try:
            chunk = os.read(main_end, 4096)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        shown += chunk
    out, _ = process.communicate()
    assert process.returncode == 0 and b"[b1-01]" in out
    assert b"indexing for search: " in shown and b"/460" in shown and shown.endswith(b"\r\x1b[K")


def test_a_text_longer_than_a_cell_is_cut_with_a_sign(tmp_path: Path) -> None:
    import openpyxl

    from ftz_reforms.tables.formats import EXCEL_CELL_LIMIT

    data = ftz_reforms.dataset().data
    long = "很长的一段话。" * 6000  # 42,000 characters: more than a cell holds
    case = data.cases[0]
    section = case.practices[0].model_copy(update={"text_zh": long, "paragraph_starts_zh": (0,), "points": ()})
    edited = case.model_copy(update={"practices": (section, *case.practices[1:]), "metrics": (), "effects": ()})
    collection = ftz_reforms.Collection.of(data.model_copy(update={"cases": (edited, *data.cases[1:])}))
    path = tmp_path / "sections.xlsx"
    path.write_bytes(collection.export("sections", "xlsx"))
    sheet = openpyxl.load_workbook(path)["sections"]
    cell = sheet.cell(2, [c.value for c in sheet[1]].index("text_zh") + 1).value
    assert len(cell) == EXCEL_CELL_LIMIT and cell.endswith("…") and long.startswith(cell[:-1])
