"""Any environment: an ASCII or Latin-1 output, a C locale without UTF-8 mode, a full disk, a closed
stdout, an endless input. The output degrades readably or one line says what to set; never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ftz_reforms._paths import DATA_DIRECTORY
from tests.helpers import commands_in_one_process

_C_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}


def _environment(env: dict[str, str] | None = None) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("LC_", "PYTHONIO"))}
    environment.pop("PYTHONUTF8", None)
    environment.update(env or {})
    return environment


def _run(argv: list[str], env: dict[str, str] | None = None, **options: object) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "ftz_reforms", *argv]
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **options}
    return subprocess.run(command, env=_environment(env), check=False, **streams)  # type: ignore[call-overload, no-any-return]


_UNSHOWABLE = {
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "latin-1": {"PYTHONIOENCODING": "latin-1"},
    "C-locale": _C_LOCALE,
}
_PRINTING = [["search", "退货", "--limit", "1"], ["list"], ["show", "1"], ["zones"], ["metrics", "--case", "1"]]


@pytest.fixture(scope="module")
def printed_in(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], list[subprocess.CompletedProcess[bytes]]]:
    """Every command of ``_PRINTING``, run in one real process of the environment named (in ``_UNSHOWABLE``):
    its streams are those Python made for that environment, once for all of them."""
    done: dict[str, list[subprocess.CompletedProcess[bytes]]] = {}

    def printed(name: str) -> list[subprocess.CompletedProcess[bytes]]:
        if name not in done:
            work = tmp_path_factory.mktemp(f"printed-{name}")
            commands = [(argv, work) for argv in _PRINTING]
            done[name] = commands_in_one_process(commands, _environment(_UNSHOWABLE[name]), work / "streams")
        return done[name]

    return printed


@pytest.mark.parametrize("env", list(_UNSHOWABLE))
@pytest.mark.parametrize("argv", _PRINTING)
def test_an_output_that_cannot_show_chinese_gets_escapes_and_one_hint(
    printed_in: Callable[[str], list[subprocess.CompletedProcess[bytes]]], env: str, argv: list[str]
) -> None:
    result = printed_in(env)[_PRINTING.index(argv)]
    assert result.args == argv
    assert result.returncode == 0, result.stderr.decode()
    assert (b"Traceback" not in result.stderr and result.stdout.isascii()) or env == "latin-1"
    assert b"\\u" in result.stdout
    hint = result.stderr.decode().splitlines()
    assert len(hint) == 1 and "cannot show Chinese" in hint[0] and "PYTHONIOENCODING=utf-8" in hint[0]


def test_chinese_arguments_are_read_as_typed_in_a_c_locale() -> None:
    utf8 = _run(["search", "退货", "--format", "csv"], {"PYTHONIOENCODING": "utf-8"})
    c_locale = _run(["search", "退货", "--format", "csv"], {**_C_LOCALE})
    assert utf8.returncode == c_locale.returncode == 0, c_locale.stderr.decode()
    ids = [line.split(b",")[1] for line in utf8.stdout.splitlines()[1:]]
    assert ids[0] == b"b5-01" and [line.split(b",")[1] for line in c_locale.stdout.splitlines()[1:]] == ids


def test_the_c_locale_of_these_tests_is_really_ascii() -> None:
    probe = "import sys; print(sys.getfilesystemencoding(), sys.flags.utf8_mode, sys.argv[1:])"
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("LC_", "PYTHONIO"))}
    environment.pop("PYTHONUTF8", None)
    result = subprocess.run(
        [sys.executable, "-c", probe, "退货"], env={**environment, **_C_LOCALE}, capture_output=True, check=True
    )
    # Chinese arrives as undecodable bytes, each a surrogate escape: \udce9\udc80\udc80 for 退.
    assert result.stdout.startswith(b"ascii 0 ['\\udce9\\udc80\\udc80"), result.stdout


_SEARCHED_IN = {"nested": "数据/批.json", "named-as-the-query": "退货"}
_WRITING = {
    "export-o": (["export", "--table", "cases", "--format", "csv", "-o", "中文.csv"], "中文.csv"),
    "export-output=": (["export", "--table", "metrics", "--format", "csv", "--output=指标.csv"], "指标.csv"),
    "export-oPATH": (["export", "--table", "metrics", "--format", "json", "-o效果.json"], "效果.json"),
    "metrics-out-abbreviated": (
        ["metrics", "--case", "1", "--format", "csv", "--out", "数据/第一.csv"],
        "数据/第一.csv",
    ),
    "list-filter-and-o": (["list", "--province", "山东", "--format", "csv", "-o", "山东.csv"], "山东.csv"),
    "sqlite": (["--data", "数据/批.json", "export", "--format", "sqlite", "-o", "库.db"], "库.metadata.json"),
    "import": (["import", "案例.txt", "--batch", "6", "-o", "输出.json"], "输出.json"),
}
_VALIDATING = [["validate", "文件.json", "数据/批.json"], ["validate", "缺失.json"]]


@pytest.fixture(scope="module")
def chinese_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of files with Chinese names (UTF-8 bytes on disk): a dataset, a casebook, a dataset to check."""
    folder = tmp_path_factory.mktemp("chinese-files")
    bundled = (DATA_DIRECTORY / "dataset.json").read_bytes()
    (folder / "数据").mkdir()
    (folder / "数据" / "批.json").write_bytes(bundled)
    (folder / "退货").write_bytes(bundled)  # a dataset named as the query searched below
    (folder / "文件.json").write_bytes(bundled)
    casebook = Path(__file__).parent / "casebooks" / "batch90" / "casebook.txt"
    (folder / "案例.txt").write_bytes(casebook.read_bytes())
    return folder


@pytest.fixture(scope="module")
def in_a_c_locale(
    chinese_files: Path, warm_cache_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, subprocess.CompletedProcess[bytes]]:
    """Every command below, run in ``chinese_files`` by one process in a real ASCII locale (Python not coercing
    it to C.UTF-8), by name: its arguments and paths reach it as that locale's undecodable bytes. The commands
    write files of different names, so none sees another's. The process starts from a copy of the warm cache
    (the datasets here are the bundled data, whose index it holds): these tests are about paths, not the build."""
    cache = tmp_path_factory.mktemp("c-locale-cache") / "cache"
    shutil.copytree(warm_cache_template, cache)
    commands = {
        **{name: ["--data", data, "search", "退货", "--format", "csv"] for name, data in _SEARCHED_IN.items()},
        **{name: argv for name, (argv, _) in _WRITING.items()},
        **{f"validate-{n}": argv for n, argv in enumerate(_VALIDATING)},
    }
    results = commands_in_one_process(
        [(argv, chinese_files) for argv in commands.values()],
        _environment({**_C_LOCALE, "FTZ_REFORMS_CACHE_DIR": str(cache)}),
        tmp_path_factory.mktemp("c-locale-streams"),
    )
    return dict(zip(commands, results))


def _searched_ids(stdout: bytes) -> list[bytes]:
    return [line.split(b",")[1] for line in stdout.splitlines()[1:]]


@pytest.mark.parametrize("data", list(_SEARCHED_IN))
def test_a_chinese_path_and_a_chinese_query_in_a_c_locale(
    in_a_c_locale: dict[str, subprocess.CompletedProcess[bytes]], data: str
) -> None:
    """The path is opened by its own bytes, the query read as typed, even when both are the same text."""
    result = in_a_c_locale[data]
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr.decode()
    assert _searched_ids(result.stdout)[:1] == [b"b5-01"]


@pytest.mark.parametrize("name", list(_WRITING))
def test_a_chinese_output_path_is_written_under_its_name_in_a_c_locale(
    in_a_c_locale: dict[str, subprocess.CompletedProcess[bytes]], chinese_files: Path, name: str
) -> None:
    result, written = in_a_c_locale[name], _WRITING[name][1]
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr.decode()
    assert (chinese_files / written).stat().st_size > 0
    if written == "山东.csv":
        assert all(b"CN-SD" in line for line in (chinese_files / written).read_bytes().splitlines()[1:])
    if written == "输出.json":
        assert '"file": "案例.txt"'.encode() in (chinese_files / written).read_bytes()


def test_validate_reads_a_chinese_path_in_a_c_locale(
    in_a_c_locale: dict[str, subprocess.CompletedProcess[bytes]],
) -> None:
    valid = in_a_c_locale["validate-0"]
    assert valid.returncode == 0 and valid.stderr == b"2 of 2 files valid\n"
    missing = in_a_c_locale["validate-1"]
    assert missing.returncode == 2 and b"Traceback" not in missing.stderr


def test_a_full_disk_is_one_line_and_exit_2() -> None:
    with open(os.devnull if not Path("/dev/full").exists() else "/dev/full", "wb") as full:
        result = _run(["export", "--table", "metrics"], stdout=full)
    assert result.returncode == 2
    assert result.stderr.decode() == "ftz-reforms: cannot write the output: No space left on device\n"


def test_a_closed_stdout_is_one_line_and_exit_2() -> None:
    code = (
        "import os, sys; os.close(1); sys.stdout = None\nfrom ftz_reforms.cli.app import main\nsys.exit(main(['list']))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=False, stderr=subprocess.PIPE, check=False)
    assert result.returncode == 2
    assert result.stderr.decode() == "ftz-reforms: standard output is closed: give it somewhere to write to\n"


def test_an_endless_casebook_is_refused_with_its_size() -> None:
    result = _run(["import", "/dev/zero", "--batch", "5"])
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "ftz-reforms: /dev/zero: more than 67,108,864 bytes, too large for a casebook: is it the file you meant?\n"
    )


def test_a_pipe_closed_early_keeps_the_commands_exit_code(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"cases": 1}', encoding="utf-8")
    files = [str(bad)] * 2000  # enough output to fill the pipe
    reader = subprocess.Popen(["head", "-c", "10"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    result = subprocess.run(
        [sys.executable, "-m", "ftz_reforms", "validate", *files], stdout=reader.stdin, stderr=subprocess.PIPE
    )
    assert reader.stdin is not None
    reader.stdin.close()
    reader.wait()
    assert result.returncode == 1, "an invalid file is a failure, whoever stopped reading"
    assert b"Traceback" not in result.stderr
