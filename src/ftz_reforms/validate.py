"""Validate JSON files (a whole dataset or one case) against the data contract, for other people's CI.

Every problem is reported with the file, a JSON path (``$.cases[3].metrics[0].value``) and a message;
nothing a file holds can make this raise: unreadable paths, empty files, invalid UTF-8, malformed or
absurdly nested JSON and wrong shapes all become problems. Three passes, each reporting all it finds:

- **JSON types, strictly**, as the published JSON Schema reads them: a number written as a string, a
  boolean for a number, a string for a list are refused, where pydantic's lax mode would convert them;
  a key written twice in one object is refused (JSON parsers keep the last, silently);
- **the records**: every field, vocabulary and rule of the models (pydantic);
- **the whole file**: what the contract says of a dataset beyond one record: a schema version this release
  reads, at least one case, case ids that agree with batch and number, cases in document order; metric and
  effect ids unique, well-formed (their case's id, then -mNN or -eNN) and not withdrawn, in any order (ids
  are permanent: a figure added later takes the next unused number).

What a record holds (no control character in any string, every number within its bounds, ``published`` as
YYYY-MM, every point quoted from its section) is the models' to say, so ``import``, ``load`` and this agree.
A problem prints no control character, whatever the file holds: keys and values are shown escaped.
"""

from __future__ import annotations

import functools
import json
import re
import types
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ftz_reforms._version import SCHEMA_VERSION
from ftz_reforms.errors import DatasetFileError, FtzReformsError
from ftz_reforms.model.bounds import MAX_LINE, MAX_TEXT, escape_control_characters, json_path
from ftz_reforms.model.records import Case, Dataset

__all__ = ["Kind", "Problem", "read_dataset", "validate_bytes", "validate_file"]

Kind = Literal["auto", "dataset", "case"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (a JSON path, ``$`` for the whole file) and what."""

    file: str
    location: str
    message: str
    unreadable: bool = False
    """The file could not be read at all (missing, a directory, a device, no permission)."""

    def __str__(self) -> str:
        return escape_control_characters(f"{self.file}: {self.location}: {self.message}")


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
    parsed = _json_object(raw)
    if isinstance(parsed, str):
        return nothing, [Problem(file, "$", parsed)]
    written, repeated = parsed
    data = _plain(written) if repeated or isinstance(written, _Pairs) else written
    model = _model_for(data, kind)
    problems = _json_problems(written if repeated else None, model, data)
    before = [Problem(file, json_path(where), message) for where, message in problems]
    try:
        record = model.model_validate(data)
    except ValidationError as error:
        return nothing, [*before, *_record_problems(error, before, file, model)]
    except RecursionError:
        return nothing, [*before, Problem(file, "$", "nested too deeply")]
    if before:
        return nothing, before
    return (record, data), []


def _json_object(raw: bytes) -> tuple[dict[str, Any] | _Pairs, bool] | str:
    """The JSON object ``raw`` holds, and whether some object of it writes a key twice (that object is then its
    pairs as written, ``_Pairs``); or why it holds none, as a problem of the whole file."""
    if not raw.strip():
        return "the file is empty; expected a JSON object (a dataset or a case)"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"not UTF-8: byte 0x{raw[error.start]:02x} at offset {error.start}"
    try:
        # The decoded text, not the bytes: given bytes, json guesses UTF-16 or UTF-32 from leading NULs and
        # fails with a decoding error of its own.
        objects = _Objects()
        data = json.loads(text, object_pairs_hook=objects, parse_int=_integer)
    except json.JSONDecodeError as error:
        return f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
    except _LongInteger as error:
        return str(error)
    except RecursionError:
        return "not valid JSON: nested too deeply"
    if not isinstance(data, (dict, _Pairs)):
        return f"expected a JSON object (a dataset or a case), found {_json_type(data)}"
    return data, objects.repeated


def _json_problems(
    written: dict[str, Any] | _Pairs | None, model: type[BaseModel], data: dict[str, Any]
) -> Iterator[tuple[tuple[int | str, ...], str]]:
    """What the JSON itself gets wrong, before any record is made of it: keys written twice (only ``written``
    still holds them; None when no object does), types lax validation would convert, and what the contract
    says of the whole file."""
    if written is not None:
        yield from _repeated_keys(written, ())
    yield from _strict_types(model, data, ())
    yield from _whole_file(model, data)


def _record_problems(error: ValidationError, before: list[Problem], file: str, model: type[BaseModel]) -> list[Problem]:
    """The problems pydantic found that the strict reading (``before``) has not named already."""
    strictly = {problem.location for problem in before}
    items = error.errors(include_url=False)
    failed_inside = {tuple(item["loc"][:depth]) for item in items for depth in range(len(item["loc"]))}
    return [
        Problem(file, json_path(tuple(item["loc"])), f"{_pydantic_message(item)} [{model.__name__}]")
        for item in items
        if not _said_otherwise(item, failed_inside, strictly)
    ]


def _said_otherwise(item: ErrorDetails, failed_inside: set[tuple[int | str, ...]], strictly: set[str]) -> bool:
    """Whether another problem already says what pydantic's error ``item`` says."""
    if item["type"] == "too_short" and tuple(item["loc"]) in failed_inside:
        # pydantic counts only the items that validated, so a failing item also makes its
        # sequence "too short": the item's own problem is the one to report.
        return True
    return json_path(tuple(item["loc"])) in strictly  # the strict reading named it already


def _pydantic_message(item: ErrorDetails) -> str:
    """pydantic's message without its "Value error" prefix, and the value it refused (shortened) unless the field
    is missing or unknown or the value is an object or an array."""
    message = item["msg"].removeprefix("Value error, ")
    given = item.get("input")
    if item["type"] not in {"missing", "extra_forbidden"} and not isinstance(given, (dict, list)):
        message += f" (got {_short(given)})"
    return message


_LONGEST_INTEGER = 100
"""The most digits an integer of a file is read with: far more than any bound of the contract has, so that a
number beyond one is still read and named with its path (``json`` itself gives up at 4,300 digits, with an
error of its own)."""
_BOUND_DIGITS = len(str(max(MAX_LINE, MAX_TEXT)))


class _LongInteger(FtzReformsError, ValueError):
    """An integer written with more digits than any bound of the contract could need."""


def _integer(digits: str) -> int:
    if len(digits) > _LONGEST_INTEGER:
        raise _LongInteger(
            f"an integer of {len(digits):,} digits ({digits[:12]}…) is beyond every bound of the contract "
            f"(its largest integer has {_BOUND_DIGITS} digits)"
        )
    return int(digits)


FILE_LIMIT = 1 << 30
"""The largest file validated, in bytes (a dataset of 2,900 cases is 60 MB)."""


def validate_file(path: Path, kind: Kind = "auto") -> list[Problem]:
    """Every problem of the file at ``path``; an empty list when it is valid."""
    name = str(path)
    try:
        refused = _refused(path, name)
        if refused is not None:
            return [refused]
        raw = path.read_bytes()
    except OSError as error:
        return [Problem(name, "$", _read_error(error), unreadable=True)]
    return validate_bytes(raw, name, kind)


def _refused(path: Path, name: str) -> Problem | None:
    """Why the file at ``path`` is not read at all (not a regular file, or too large to be a dataset), or None."""
    if not path.is_file() and path.exists() and not path.is_dir():
        return Problem(name, "$", "not a regular file (a device or a pipe): give a JSON file", unreadable=True)
    if path.is_file() and path.stat().st_size > FILE_LIMIT:
        return Problem(name, "$", f"more than {FILE_LIMIT:,} bytes: too large for a dataset or case file")
    return None


_READ_ERRORS: tuple[tuple[type[OSError], str], ...] = (
    (FileNotFoundError, "no such file"),
    (IsADirectoryError, "is a directory, not a JSON file"),
    (PermissionError, "permission denied"),
)
"""What a file that cannot be read is said to be, for the errors a reader can act on."""


def _read_error(error: OSError) -> str:
    for kind, message in _READ_ERRORS:
        if isinstance(error, kind):
            return message
    return f"cannot be read ({error.strerror or error})"


# --- JSON as written: repeated keys, strict types ----------------------------------------------------------


class _Pairs(list[tuple[str, Any]]):
    """An object's key-value pairs as written, when it writes a key more than once."""


class _Objects:
    """``json.loads``'s pairs hook: each object as a dict, or as its pairs (``_Pairs``) when it writes a key more
    than once, which a dict would hide; ``repeated`` says whether any did (so a file without one is walked
    neither for them nor to make its objects dicts)."""

    def __init__(self) -> None:
        self.repeated = False

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any] | _Pairs:
        made = dict(pairs)
        if len(made) == len(pairs):
            return made
        self.repeated = True
        return _Pairs(pairs)


def _repeated_keys(value: Any, where: tuple[int | str, ...]) -> Iterator[tuple[tuple[int | str, ...], str]]:
    if isinstance(value, _Pairs):
        counts = Counter(key for key, _ in value)
        for key, count in counts.items():
            if count > 1:
                yield (*where, key), f"the key {key!r} is written {count} times in one object; keep one"
        for key, item in value:
            yield from _repeated_keys(item, (*where, key))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _repeated_keys(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _repeated_keys(item, (*where, index))


def _plain(value: Any) -> Any:
    """The parsed JSON with its objects as dicts (the last of repeated keys, as every parser keeps)."""
    if isinstance(value, (_Pairs, dict)):
        return {key: _plain(item) for key, item in (value if isinstance(value, _Pairs) else value.items())}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


_JSON_TYPES = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


_Found = Sequence[tuple[tuple[int | str, ...], str]]
"""What a type check found: each problem's place, relative to the value checked, and its message."""
_Check = Callable[[Any], _Found]
_NOTHING: _Found = ()


def _strict_types(
    annotation: Any, value: Any, where: tuple[int | str, ...]
) -> Iterator[tuple[tuple[int | str, ...], str]]:
    """Where ``value`` has a JSON type ``annotation`` does not allow (what lax validation would convert)."""
    for place, message in _check_of(annotation)(value):
        yield (*where, *place), message


_CHECKS: dict[int, tuple[Any, _Check]] = {}
"""Each annotation's check, by the annotation's identity (an annotation may hold unhashable metadata)."""


def _check_of(annotation: Any) -> _Check:
    """The check of ``annotation``: made once a process, since a file's every value of a type is checked alike."""
    known = _CHECKS.get(id(annotation))
    if known is None or known[0] is not annotation:
        known = (annotation, _made_check(annotation))
        _CHECKS[id(annotation)] = known
    return known[1]


def _made_check(annotation: Any) -> _Check:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _check_of(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return _optional_check(annotation)
    if origin is tuple:
        return _array_check(get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _object_check(annotation)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _leaf_check("a string", lambda value: isinstance(value, str))
    if annotation in _JSON_TYPES:
        return _leaf_check(_JSON_TYPES[annotation], functools.partial(_has_type, annotation))
    return lambda value: _NOTHING


def _leaf_check(json_type: str, allowed: Callable[[Any], bool]) -> _Check:
    return lambda value: _NOTHING if allowed(value) else [((), _expected(json_type, value))]


def _expected(json_type: str, value: Any) -> str:
    return f"expected {json_type}, found {_json_type(value)} (got {_short(value)})"


def _optional_check(annotation: Any) -> _Check:
    """A value of an optional type: null, or one of the type; a union of two types is pydantic's to read."""
    options = [option for option in get_args(annotation) if option is not type(None)]
    if len(options) != 1:
        return lambda value: _NOTHING
    (option,) = options
    return lambda value: _NOTHING if value is None else _check_of(option)(value)


def _array_check(item: Any) -> _Check:
    """A value of a tuple of ``item``: an array, each item of the type."""

    def check(value: Any) -> _Found:
        if not isinstance(value, list):
            return [((), _expected("an array", value))]
        check_item = _check_of(item)
        found: list[tuple[tuple[int | str, ...], str]] = []
        for index, each in enumerate(value):
            problems = check_item(each)
            if problems:
                found.extend(((index, *place), message) for place, message in problems)
        return found

    return check


def _object_check(model: type[BaseModel]) -> _Check:
    """A record's fields, those the object has (a missing field, or an object that is none, is pydantic's to name)."""
    fields = tuple((name, model_field.annotation) for name, model_field in model.model_fields.items())

    def check(value: Any) -> _Found:
        if not isinstance(value, dict):
            return _NOTHING
        found: list[tuple[tuple[int | str, ...], str]] = []
        for name, annotation in fields:
            if name in value:
                problems = _check_of(annotation)(value[name])
                if problems:
                    found.extend(((name, *place), message) for place, message in problems)
        return found

    return check


def _has_type(annotation: type, value: Any) -> bool:
    if annotation is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if annotation is int:
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    return isinstance(value, annotation)


# --- the whole file: what no single record can check ---------------------------------------------------------

_SEMVER = re.compile(r"([0-9]+)\.([0-9]+)\.([0-9]+)")


def _version_problem(version: Any) -> str | None:
    found = _SEMVER.fullmatch(version) if isinstance(version, str) else None
    ours = tuple(int(part) for part in SCHEMA_VERSION.split("."))
    if found is None:
        return None  # the record's own rule names it
    theirs = tuple(int(part) for part in found.groups())
    if theirs[0] != ours[0] or theirs > ours:
        return (
            f"schema_version {version} is not one this release reads: ftz-reforms {ours[0]}.x reads schema "
            f"{ours[0]}.0.0 to {SCHEMA_VERSION}" + ("; upgrade ftz-reforms to read it" if theirs > ours else "")
        )
    return None


def _case_problems(case: Any, where: tuple[int | str, ...]) -> Iterator[tuple[tuple[int | str, ...], str]]:
    if not isinstance(case, dict):
        return
    batch, number, case_id = case.get("batch"), case.get("number"), case.get("id")
    if isinstance(batch, int) and isinstance(number, int) and isinstance(case_id, str):
        expected = f"b{batch}-{number:02d}"
        if case_id != expected:
            yield (
                (*where, "id"),
                f"the id {case_id!r} does not agree with batch {batch} and number {number} ({expected})",
            )


def _unique_rows(
    data: dict[str, Any], table: str, keys: tuple[str, ...]
) -> Iterator[tuple[tuple[int | str, ...], str]]:
    """Rows of a reference table whose key repeats an earlier row's (a zone by its ISO code or province)."""
    rows = data.get(table)
    if not isinstance(rows, list):
        return
    for key in keys:
        seen: dict[object, int] = {}
        for index, row in enumerate(rows):
            value = row.get(key) if isinstance(row, dict) else None
            if isinstance(value, str):
                if value in seen:
                    yield (
                        (table, index, key),
                        f"{key} {value!r} is also row {seen[value]}'s: each row is one of its kind",
                    )
                seen.setdefault(value, index)


def _areas_in_known_zones(data: dict[str, Any]) -> Iterator[tuple[tuple[int | str, ...], str]]:
    zones, areas = data.get("free_trade_zones"), data.get("pilot_areas")
    if not isinstance(zones, list) or not isinstance(areas, list):
        return
    provinces = {
        zone.get("province_zh") for zone in zones if isinstance(zone, dict) and isinstance(zone.get("province_zh"), str)
    }
    for index, area in enumerate(areas):
        province = area.get("province_zh") if isinstance(area, dict) else None
        if isinstance(province, str) and province not in provinces:
            yield ("pilot_areas", index, "province_zh"), f"no zone of free_trade_zones is in the province {province!r}"


def _whole_file(model: type[BaseModel], data: dict[str, Any]) -> Iterator[tuple[tuple[int | str, ...], str]]:
    if model is Case:
        yield from _case_problems(data, ())
        return
    problem = _version_problem(data.get("schema_version"))
    if problem:
        yield ("schema_version",), problem
    yield from _unique_rows(data, "free_trade_zones", ("iso_code", "province_zh"))
    yield from _unique_rows(data, "pilot_areas", ("name_zh",))
    yield from _areas_in_known_zones(data)
    cases = data.get("cases")
    if isinstance(cases, list):
        yield from _cases_together(cases)


def _cases_together(cases: list[Any]) -> Iterator[tuple[tuple[int | str, ...], str]]:
    """What the dataset's cases get wrong together, case by case: each case is checked against those before it."""
    if not cases:
        yield ("cases",), "a dataset holds at least one case"
    before = _CasesBefore()
    for index, case in enumerate(cases):
        yield from _case_problems(case, ("cases", index))
        if isinstance(case, dict):
            yield from before.problems(case, index)


@dataclass
class _CasesBefore:
    """What the cases before one hold: their ids and their metrics' ids, and where the last of them sits."""

    case_ids: dict[str, int] = field(default_factory=dict)
    """Each case id, with the index of the first case that has it."""
    metric_ids: set[str] = field(default_factory=set)
    last: tuple[int, int] | None = None
    """(batch, number) of the last case that has both."""

    def problems(self, case: dict[str, Any], index: int) -> Iterator[tuple[tuple[int | str, ...], str]]:
        """What ``case`` repeats of the cases before it or where it comes out of order; then it counts as one."""
        yield from self._repeated_id(case, index)
        yield from self._repeated_metric_ids(case, index)
        yield from self._out_of_order(case, index)

    def _repeated_id(self, case: dict[str, Any], index: int) -> Iterator[tuple[tuple[int | str, ...], str]]:
        case_id = case.get("id")
        if not isinstance(case_id, str):
            return
        if case_id in self.case_ids:
            yield ("cases", index, "id"), f"the id {case_id!r} is also case {self.case_ids[case_id]}'s: ids are unique"
        self.case_ids.setdefault(case_id, index)

    def _repeated_metric_ids(self, case: dict[str, Any], index: int) -> Iterator[tuple[tuple[int | str, ...], str]]:
        metrics = case.get("metrics")
        for position, metric in enumerate(metrics if isinstance(metrics, list) else []):
            metric_id = metric.get("id") if isinstance(metric, dict) else None
            if not isinstance(metric_id, str):
                continue
            if metric_id in self.metric_ids:
                yield ("cases", index, "metrics", position, "id"), f"the metric id {metric_id!r} is used twice"
            self.metric_ids.add(metric_id)

    def _out_of_order(self, case: dict[str, Any], index: int) -> Iterator[tuple[tuple[int | str, ...], str]]:
        batch, number = case.get("batch"), case.get("number")
        if not isinstance(batch, int) or not isinstance(number, int):
            return
        if self.last is not None and (batch, number) <= self.last:
            yield (
                ("cases", index),
                f"case {case.get('id')} comes after case {self.last[1]} of batch {self.last[0]}: cases go in "
                "document order, batch by batch",
            )
        self.last = (batch, number)
