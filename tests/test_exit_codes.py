"""Exit codes are the truth: every command, for each code the table in docs/cli.md gives it, exits with it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ftz_reforms.cli.app import main
from ftz_reforms.cli.commands import COMMANDS

HERE = Path(__file__).parent
CASEBOOK = str(HERE / "casebooks" / "batch90" / "casebook.txt")
VALID = str(HERE / "validation" / "valid" / "case.json")
INVALID = str(HERE / "validation" / "invalid" / "bad-unit.json")
BUNDLED = str(HERE.parent / "src" / "ftz_reforms" / "data" / "dataset.json")

# For every command, an invocation for each exit code it can give ("{tmp}" is a fresh directory).
INVOCATIONS: dict[str, dict[int, list[str]]] = {
    "list": {0: ["list"], 1: ["list", "--province", "Jiangsu"], 2: ["list", "--province", "Atlantis"]},
    "show": {0: ["show", "1"], 2: ["show", "99"]},
    "search": {0: ["search", "退货"], 1: ["search", "zzqxj"], 2: ["search", "退货", "--category", "astrology"]},
    "metrics": {0: ["metrics", "--case", "1"], 1: ["metrics", "--min", "1e30"], 2: ["metrics", "--unit", "furlong"]},
    "effects": {0: ["effects", "--case", "8"], 1: ["effects", "--case", "9"], 2: ["effects", "--measure", "speed"]},
    "export": {0: ["export", "--table", "zones"], 2: ["export", "-o", "{tmp}/missing/x.csv"]},
    "zones": {0: ["zones"], 2: ["--data", "{tmp}/missing.json", "zones"]},
    "areas": {0: ["areas", "--zone", "Hainan"], 2: ["areas", "--zone", "Atlantis"]},
    "batches": {0: ["batches"], 1: ["--data", "{old}", "batches"]},
    "import": {
        0: ["import", CASEBOOK, "--batch", "90", "-o", "{tmp}/b90.json"],
        2: ["import", "{tmp}", "--batch", "9"],
    },
    "validate": {0: ["validate", VALID], 1: ["validate", VALID, INVALID], 2: ["validate", VALID, "{tmp}/missing.json"]},
    "schema": {0: ["schema", "case"], 2: ["schema", "table"]},
    "diff": {
        0: ["diff", BUNDLED, BUNDLED],
        1: ["diff", BUNDLED, "{old}"],
        2: ["diff", BUNDLED, "{tmp}/missing.json"],
    },
    "changes": {0: ["changes"], 2: ["changes", "--since", "0.0.0"]},
    "site": {0: ["site", "-o", "{tmp}/site"], 2: ["site", "-o", "{tmp}"]},  # {tmp} holds old.json: not a site
    # The whole build: 0 in tests/test_build.py (this checkout's check), 1 there too (stale files, on a copy).
    "build": {},
}


def _exit_code(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exit:  # argparse's own refusals
        return int(exit.code or 0)


def test_every_command_is_held_to_its_codes() -> None:
    assert set(INVOCATIONS) == {command.name for command in COMMANDS}


def test_the_table_names_the_commands_that_exit_1(repo: Path) -> None:
    text = (repo / "docs" / "cli.md").read_text(encoding="utf-8")
    row = re.search(r"^\| 1 \| (.+) \|$", text, re.M)
    assert row is not None
    named = set(re.findall(r"`(\w+)", row.group(1)))
    assert named == {name for name, codes in INVOCATIONS.items() if 1 in codes} | {"build"}


@pytest.mark.parametrize(
    ("name", "code"), [(name, code) for name, codes in INVOCATIONS.items() for code in codes], ids=str
)
def test_each_command_exits_with_the_documented_code(
    name: str, code: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A dataset of schema 2.1, before the batches table: valid, with nothing for `batches` to list.
    old = json.loads(Path(VALID.replace("case.json", "dataset.json")).read_text(encoding="utf-8"))
    old.pop("batches")
    (tmp_path / "old.json").write_text(
        json.dumps({**old, "schema_version": "2.1.0"}, ensure_ascii=False), encoding="utf-8"
    )
    argv = [
        argument.replace("{tmp}", str(tmp_path)).replace("{old}", str(tmp_path / "old.json"))
        for argument in INVOCATIONS[name][code]
    ]
    assert _exit_code(argv) == code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if code == 2 and name != "validate":  # validate names the unreadable path on stdout, as every problem
        assert err.startswith(("ftz-reforms: ", "usage: "))
