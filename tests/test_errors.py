"""One error contract: every error the library raises on purpose derives from FtzReformsError and from the
builtin it stands for, is exported, and reaches the command line as one line, never a traceback."""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

import ftz_reforms
from ftz_reforms import errors
from ftz_reforms.cli import commands
from ftz_reforms.cli.app import main
from ftz_reforms.cli.output import Output
from tests.helpers import commands_in_one_process, in_process

INVENTED = Path(__file__).parent / "casebooks" / "batch90" / "casebook.txt"
_BUILTINS = (LookupError, ValueError, OSError, ImportError, RuntimeError)


def _run_time_modules() -> list[str]:
    names = []
    for module in pkgutil.walk_packages(ftz_reforms.__path__, "ftz_reforms."):
        if not module.name.startswith("ftz_reforms.bundling") and module.name != "ftz_reforms.__main__":
            names.append(module.name)
    return names


@pytest.mark.parametrize("name", errors.__all__)
def test_every_public_error_has_the_base_and_a_builtin_and_is_exported(name: str) -> None:
    error = getattr(errors, name)
    assert issubclass(error, ftz_reforms.FtzReformsError)
    assert error is ftz_reforms.FtzReformsError or issubclass(error, _BUILTINS), name
    assert name in ftz_reforms.__all__ and getattr(ftz_reforms, name) is error


def test_no_module_defines_an_error_outside_the_contract() -> None:
    strays = []
    for module_name in _run_time_modules():
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            defined_here = inspect.isclass(value) and value.__module__ == module_name
            if defined_here and issubclass(value, Exception) and not issubclass(value, ftz_reforms.FtzReformsError):
                strays.append(f"{module_name}.{name}")
    assert strays == []


def test_the_command_line_turns_any_library_error_into_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Invented(ftz_reforms.FtzReformsError, ValueError):
        """An error no command knows of by name."""

    def run(args: object, collection: object) -> Output:
        raise Invented("something the library refused, named here")

    patched = tuple(replace(c, run=run) if c.name == "schema" else c for c in commands.COMMANDS)
    monkeypatch.setattr("ftz_reforms.cli.app.COMMANDS", patched)
    assert main(["schema"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "ftz-reforms: something the library refused, named here\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--title-zh", ""], "title_zh must be some text, not ''"),
        (["--title-en", "   "], "title_en must be some text"),
        (["--published", "garbage"], "published must be a year and month as YYYY-MM (2024-01), not 'garbage'"),
        (["--published", "2024-13"], "YYYY-MM"),
        (["--published", "2024-1"], "YYYY-MM"),
    ],
)
def test_import_arguments_it_cannot_use_are_one_line(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.json"
    assert main(["import", str(INVENTED), "--batch", "90", "-o", str(target), *argv]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"ftz-reforms: {captured.err.removeprefix('ftz-reforms: ')}" and message in captured.err
    assert len(captured.err.splitlines()) == 1 and not target.exists()


@pytest.mark.parametrize("batch", ["0", "-3", "1.5", "123456789012345678901", "五"])
def test_a_batch_out_of_range_is_refused_by_the_parser(batch: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["import", str(INVENTED), "--batch", batch])
    assert raised.value.code == 2
    assert "argument --batch" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"batch": 0}, "batch must be a whole number from 1"),
        ({"batch": True}, "batch must be a whole number from 1"),
        ({"batch": 90, "first_page": 0}, "first_page must be a whole number from 1"),
        ({"batch": 90, "published": "2024/01"}, "YYYY-MM"),
        ({"batch": 90, "title_zh": ""}, "title_zh must be some text"),
        ({"batch": 90, "file": " "}, "file must be some text"),
    ],
)
def test_import_casebook_refuses_arguments_it_cannot_use(arguments: dict[str, object], error: str) -> None:
    with pytest.raises(ftz_reforms.ArgumentError, match=error):
        ftz_reforms.import_casebook(INVENTED.read_text(encoding="utf-8"), **arguments)  # type: ignore[arg-type]


def test_a_casebook_whose_every_line_is_indented_imports_the_same_text(tmp_path: Path) -> None:
    indented = tmp_path / "indented.txt"
    indented.write_text(
        "".join(f"    {line}" for line in INVENTED.read_text(encoding="utf-8").splitlines(keepends=True)),
        encoding="utf-8",
    )
    result = in_process("import", str(indented), "--batch", "90")
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr
    plain = ftz_reforms.import_casebook(INVENTED.read_text(encoding="utf-8"), batch=90).data
    imported = ftz_reforms.Dataset.model_validate_json(result.stdout)
    assert [case.summary_zh for case in imported.cases] == [case.summary_zh for case in plain.cases]
    assert [section.text_zh for case in imported.cases for section in case.practices] == [
        section.text_zh for case in plain.cases for section in case.practices
    ]
    assert [(c.source.page_start, c.source.page_end) for c in imported.cases] == [
        (c.source.page_start, c.source.page_end) for c in plain.cases
    ], "the pages too: a page still starts one space further in"


_BAD_INPUT = [
    ["--data", "{missing}", "list"],
    ["--data", "{directory}", "search", "退货"],
    ["--data", "{not_json}", "show", "1"],
    ["import", "{missing}", "--batch", "5"],
    ["import", "{directory}", "--batch", "5"],
    ["import", "{not_utf8}", "--batch", "5"],
    ["export", "--format", "sqlite"],
    ["export", "-o", "{missing}/x.csv"],
    ["search", "退货", "--province", "Atlantis"],
    ["show", "99"],
]


@pytest.fixture(scope="module")
def bad_input_run(tmp_path_factory: pytest.TempPathFactory) -> list[subprocess.CompletedProcess[bytes]]:
    """Every command of ``_BAD_INPUT``, run one after the other by one real process: what each exited with and
    wrote on its own standard streams (a traceback would end that process)."""
    folder = tmp_path_factory.mktemp("bad-input")
    (folder / "not.json").write_text("{", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("中国".encode("gb18030"))
    places = {
        "missing": str(folder / "missing"),
        "directory": str(folder),
        "not_json": str(folder / "not.json"),
        "not_utf8": str(folder / "latin1.txt"),
    }
    commands = [([argument.format(**places) for argument in argv], folder) for argv in _BAD_INPUT]
    return commands_in_one_process(commands, os.environ, folder / "streams")


@pytest.mark.parametrize("argv", _BAD_INPUT)
def test_bad_input_on_the_command_line_is_one_line_and_exit_2(
    argv: list[str], bad_input_run: list[subprocess.CompletedProcess[bytes]]
) -> None:
    result = bad_input_run[_BAD_INPUT.index(argv)]
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 2, stderr
    assert len(stderr.splitlines()) == 1 and stderr.startswith("ftz-reforms: "), stderr
