"""One output layer: every command that prints rows takes the same --format and -o, what it prints with
--format csv|json is what `export` and `to_records` give for the same table (the same columns, names, joins
and values), and -o writes a file whole or not at all."""

from __future__ import annotations

import csv
import io
import os
import re
import resource
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import orjson
import pytest

import ftz_reforms
from ftz_reforms import export as export_bytes
from ftz_reforms import to_records
from ftz_reforms.cli.app import main
from ftz_reforms.cli.commands import COMMANDS
from ftz_reforms.cli.output import FORMATS
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


def test_every_command_that_prints_rows_takes_the_registrys_formats_and_o(capsys: pytest.CaptureFixture[str]) -> None:
    reading = [command for command in COMMANDS if command.formats]
    assert [command.name for command in reading] == [
        "list",
        "search",
        "metrics",
        "effects",
        "export",
        "zones",
        "areas",
        "batches",
    ]
    for command in reading:
        assert set(command.formats) <= set(FORMATS), command.name
        with pytest.raises(SystemExit):
            main([command.name, "--help"])
        usage = capsys.readouterr().out
        # Python 3.13 prints an option's metavar once ("-o, --output PATH").
        assert re.search(r"-o( PATH)?, --output PATH", usage), command.name
        assert "{" + ",".join(command.formats) + "}" in usage, command.name


@pytest.mark.parametrize(
    "argv",
    [
        ("list", "--province", "Hebei"),
        ("search", "海事", "--limit", "2"),
        ("metrics", "--case", "1"),
        ("zones",),
        ("areas", "--zone", "Hainan"),
        ("export", "--table", "paragraphs"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_o_writes_what_stdout_would_show(
    argv: tuple[str, ...], fmt: str, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main([*argv, "--format", fmt]) == 0
    shown = capsysbinary.readouterr().out
    target = tmp_path / f"rows.{fmt}"
    assert main([*argv, "--format", fmt, "-o", str(target)]) == 0
    assert target.read_bytes() == shown
    assert f"wrote {len(shown)} bytes to {target}" in capsysbinary.readouterr().err.decode()


def _limited(size: int) -> None:
    # A write past the limit fails with EFBIG instead of killing the process (SIGXFSZ ignored).
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


@pytest.mark.parametrize(
    "argv",
    [
        ("export", "--table", "metrics", "--format", "csv"),
        ("export", "--format", "sqlite"),
        ("list", "--format", "json"),
    ],
)
def test_a_write_that_fails_midway_leaves_the_previous_file_as_it_was(argv: tuple[str, ...], tmp_path: Path) -> None:
    target = tmp_path / "previous.out"
    target.write_bytes(b"the user's previous file\n")
    result = subprocess.run(
        [sys.executable, "-m", "ftz_reforms", *argv, "-o", str(target)],
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=lambda: _limited(20_000),
        # Python would write a compiled module cut short at the limit, and the next process would read it.
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"ftz-reforms: cannot write {target}") and len(result.stderr.splitlines()) == 1
    assert target.read_bytes() == b"the user's previous file\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["previous.out"], "no partial file left behind"


def test_import_never_overwrites_the_casebook_it_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    casebook = tmp_path / "cb.txt"
    original = (Path(__file__).parent / "casebooks" / "batch90" / "casebook.txt").read_bytes()
    casebook.write_bytes(original)
    assert main(["import", str(casebook), "--batch", "90", "-o", str(tmp_path / "." / "cb.txt")]) == 2
    assert "is the casebook this command reads" in capsys.readouterr().err
    assert casebook.read_bytes() == original


@pytest.mark.parametrize("fmt", ["csv", "sqlite"])
def test_concurrent_writers_to_one_path_end_with_one_whole_file(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"shared.{fmt}"
    command = [sys.executable, "-m", "ftz_reforms", "export", "--table", "metrics", "--format", fmt, "-o", str(target)]
    writers = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(4)]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err.decode()
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [target.name] + (["shared.metadata.json"] if fmt == "sqlite" else [])
    ), "no partial file left behind"
    if fmt == "csv":
        assert target.read_bytes() == export_bytes("metrics", "csv")
    else:
        with closing(sqlite3.connect(target)) as connection:
            (count,) = connection.execute("select count(*) from metrics").fetchone()
        assert count == len(to_records("metrics"))
