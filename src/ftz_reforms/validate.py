"""Validate JSON files (a whole dataset or one case) against the data contract, for other people's CI.

Every problem is reported with the file, a JSON path (``$.cases[3].metrics[0].value``) and a message;
nothing a file holds can make this raise: unreadable paths, empty files, invalid UTF-8, malformed or
absurdly nested JSON and wrong shapes all become problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import orjson
from pydantic import BaseModel, ValidationError

from ftz_reforms.errors import DatasetFileError
from ftz_reforms.model.records import Case, Dataset

__all__ = ["Kind", "Problem", "json_path", "read_dataset", "validate_bytes", "validate_file"]

Kind = Literal["auto", "dataset", "case"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (a JSON path, ``$`` for the whole file) and what."""

    file: str
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.location}: {self.message}"


def json_path(location: tuple[int | str, ...]) -> str:
    """A pydantic error location as a JSON path: ``('cases', 3, 'id')`` → ``$.cases[3].id``."""
    parts = ["$"]
    for step in location:
        parts.append(f"[{step}]" if isinstance(step, int) else f".{step}")
    return "".join(parts)


def _model_for(data: dict[str, Any], kind: Kind) -> type[BaseModel]:
    if kind == "dataset" or (kind == "auto" and "cases" in data):
        return Dataset
    return Case


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate_bytes(raw: bytes, file: str = "<bytes>", kind: Kind = "auto") -> list[Problem]:
    """Every problem of ``raw`` as a dataset or case file; an empty list when it is valid."""
    return _validated(raw, file, kind)[1]


def read_dataset(raw: bytes, file: str) -> tuple[Dataset, dict[str, Any]]:
    """The dataset record of ``raw`` and the JSON it was read from; a :class:`DatasetFileError` naming
    ``file`` and its problems (the first five) otherwise."""
    (record, data), problems = _validated(raw, file, "dataset")
    if problems or not isinstance(record, Dataset):
        shown = "; ".join(f"{problem.location}: {problem.message}" for problem in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise DatasetFileError(f"{file}: not a valid ftz-reforms dataset: {shown}{more}")
    return record, data


def _validated(raw: bytes, file: str, kind: Kind) -> tuple[tuple[BaseModel | None, Any], list[Problem]]:
    """(the record and the JSON it was read from, or None) and every problem found."""
    nothing = (None, None)
    if not raw.strip():
        return nothing, [Problem(file, "$", "the file is empty; expected a JSON object (a dataset or a case)")]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return nothing, [Problem(file, "$", f"not UTF-8: byte 0x{raw[error.start]:02x} at offset {error.start}")]
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        return nothing, [Problem(file, "$", f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})")]
    if not isinstance(data, dict):
        return nothing, [
            Problem(file, "$", f"expected a JSON object (a dataset or a case), found {type(data).__name__}")
        ]
    model = _model_for(data, kind)
    try:
        record = model.model_validate(data)
    except ValidationError as error:
        problems = []
        items = error.errors(include_url=False)
        failed_inside = {tuple(item["loc"][:depth]) for item in items for depth in range(len(item["loc"]))}
        for item in items:
            if item["type"] == "too_short" and tuple(item["loc"]) in failed_inside:
                # pydantic counts only the items that validated, so a failing item also makes its
                # sequence "too short": the item's own problem is the one to report.
                continue
            message = item["msg"].removeprefix("Value error, ")
            given = item.get("input")
            if item["type"] not in {"missing", "extra_forbidden"} and not isinstance(given, (dict, list)):
                message += f" (got {_short(given)})"
            problems.append(Problem(file, json_path(tuple(item["loc"])), f"{message} [{model.__name__}]"))
        return nothing, problems
    except RecursionError:  # pragma: no cover - orjson refuses nesting deeper than 1024 first
        return nothing, [Problem(file, "$", "nested too deeply")]
    return (record, data), []


FILE_LIMIT = 1 << 30
"""The largest file validated, in bytes (a dataset of 2,900 cases is 60 MB)."""


def validate_file(path: Path, kind: Kind = "auto") -> list[Problem]:
    """Every problem of the file at ``path``; an empty list when it is valid."""
    name = str(path)
    try:
        if not path.is_file() and path.exists() and not path.is_dir():
            return [Problem(name, "$", "not a regular file (a device or a pipe): give a JSON file")]
        if path.is_file() and path.stat().st_size > FILE_LIMIT:
            return [Problem(name, "$", f"more than {FILE_LIMIT:,} bytes: too large for a dataset or case file")]
        raw = path.read_bytes()
    except FileNotFoundError:
        return [Problem(name, "$", "no such file")]
    except IsADirectoryError:
        return [Problem(name, "$", "is a directory, not a JSON file")]
    except PermissionError:
        return [Problem(name, "$", "permission denied")]
    except OSError as error:
        return [Problem(name, "$", f"cannot be read ({error.strerror or error})")]
    return validate_bytes(raw, name, kind)
