"""The command line: list, show, errors and exit codes, pipes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

import ftz_reforms
from ftz_reforms.cli.app import main
from ftz_reforms.cli.render import display_width


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_aligns_columns_by_display_width(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 1 + len(ftz_reforms.cases())
    title_column = display_width(lines[0][: lines[0].index("case_title_zh")])
    for line, case in zip(lines[1:], ftz_reforms.cases()):
        assert line.endswith(case.title_zh)
        assert display_width(line[: line.index(case.title_zh)]) == title_column


def test_list_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--format", "json")
    rows = orjson.loads(out)
    assert code == 0
    assert [row["case_id"] for row in rows] == [case.id for case in ftz_reforms.cases()]
    assert rows[1]["provinces"] == ["CN-CQ", "CN-SC"]
    assert rows[1]["province_names_zh"] == ["重庆", "四川"]


def test_show_prints_the_whole_case(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "17")
    case = ftz_reforms.get(17)
    assert code == 0
    flat = "".join(line.strip().removeprefix("• ") for line in out.splitlines())
    assert case.title_zh in flat
    assert case.summary_zh in flat
    assert "一、主要做法" in out and "二、实践效果" in out
    for section in (*case.practices, *case.outcomes):
        assert (section.heading_zh or "") in flat
        for point in section.points:
            assert point in flat
        assert section.text_zh.replace(" ", "") in flat.replace(" ", "")
    assert "中国（福建）自由贸易试验区" in out and "平潭片区" in out


def test_show_never_starts_a_chinese_line_with_closing_punctuation(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    for case in ftz_reforms.cases():
        code, out, _ = run(capsys, "show", case.id)
        assert code == 0
        printed = out.splitlines()
        text = printed[next(i for i, line in enumerate(printed) if line.startswith("来源 Source")) + 1 :]
        lines = [line.strip().removeprefix("• ") for line in text if line.strip()]
        assert not [line for line in lines if line[0] in "，。、；：？！）》」』”’"], case.id
        # a hanging mark (or two, as in 。”) may pass the 80 columns
        assert max(display_width(line) for line in text) <= 84, case.id


def test_show_as_json_is_the_case(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "b5-03", "--format", "json")
    assert code == 0
    assert ftz_reforms.Case.model_validate_json(out) == ftz_reforms.get(3)


@pytest.mark.parametrize("ref", ["99", "b5-99", "nothing"])
def test_an_unknown_case_is_a_one_line_error_with_exit_2(capsys: pytest.CaptureFixture[str], ref: str) -> None:
    code, out, err = run(capsys, "show", ref)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "1 to 23" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["frobnicate"])
    assert raised.value.code == 2
    with pytest.raises(SystemExit) as raised:
        main(["list", "--format", "xml"])
    assert raised.value.code == 2


def test_help_shows_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "ftz-reforms show 17" in capsys.readouterr().out


def test_a_closed_pipe_is_quiet() -> None:
    # `ftz-reforms show 4 | head -c 1`: the reader leaves early; no traceback may reach the terminal.
    with subprocess.Popen(
        [sys.executable, "-m", "ftz_reforms", "show", "4"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(1)
        process.stdout.close()
        err = process.stderr.read()
        code = process.wait(timeout=30)
    assert b"Traceback" not in err
    assert b"BrokenPipeError" not in err
    assert code == 0


def test_module_entry_point_and_the_version_of_the_latest_release(repo: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ftz_reforms", "--version"], capture_output=True, text=True, check=True
    )
    released = re.search(r"^## \[([0-9.]+)\]", (repo / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert released is not None
    data = ftz_reforms.dataset().data
    assert (
        result.stdout == f"ftz-reforms {released.group(1)} (data {data.data_version}, schema {data.schema_version})\n"
    )


def test_metrics_table_json_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    import csv
    import io

    code, out, _ = run(capsys, "metrics", "--case", "4")
    assert code == 0
    assert "b5-04-m01" in out
    code, out, _ = run(capsys, "metrics", "--unit", "CNY", "--role", "change", "--format", "json")
    rows = orjson.loads(out)
    assert rows
    assert all(row["unit"] == "CNY" and row["role"] == "change" for row in rows)
    code, out, _ = run(capsys, "metrics", "--where", "intro", "--format", "csv")
    records = list(csv.DictReader(io.StringIO(out)))
    assert records
    assert {r["where"] for r in records} == {"intro"}
    assert len(records) == len(ftz_reforms.metrics(where="intro"))


def test_metrics_nothing_found_exits_1_and_bad_unit_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "metrics", "--unit", "USD", "--min", "1e15")
    assert code == 1
    assert "no metric" in err
    code, out, err = run(capsys, "metrics", "--unit", "furlong")
    assert (code, out) == (2, "")
    assert (
        err.startswith("ftz-reforms: unknown unit 'furlong'; accepted values: CNY, USD") and len(err.splitlines()) == 1
    )
    code, out, _ = run(capsys, "metrics", "--unit", "cny", "--format", "json")
    assert code == 0 and len(orjson.loads(out)) == len(ftz_reforms.metrics(unit="CNY"))
