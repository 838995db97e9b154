"""What changed between two dataset files, record by record and field by field, and the data changelog.

``diff(old, new)`` compares any two dataset files (the bundled data, an import, a release of any year):
its records are the cases, metrics and effects (by their permanent ids) and the rows of the reference
tables (zones by ISO code, pilot areas by Chinese name, batches by number, source documents by batch).
It reads the files as JSON, not through the models, so a file of an older schema compares as it is: a field
that one file lacks counts as empty, so a field the schema added is a change only where a record got a
value for it. ``first_seen`` and ``last_changed`` are the history of the comparison itself, never part of it.

The build writes a data changelog from the same comparison, one entry per data version (``changes()``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson

from ftz_reforms._paths import DATA_DIRECTORY
from ftz_reforms.errors import ArgumentError, DatasetFileError, short_value
from ftz_reforms.model.bounds import escape_control_characters

__all__ = [
    "CHANGELOG_FILE",
    "HISTORY_FIELDS",
    "KINDS",
    "STATUSES",
    "DataDiff",
    "FieldChange",
    "RecordChange",
    "changelog_entry",
    "changelog_text",
    "changes",
    "dataset_json",
    "diff",
    "field_changes",
    "record_history",
]

CHANGELOG_FILE = "changelog.json"
"""The data changelog in the package's data folder, written by the build."""

Kind = Literal["case", "metric", "effect", "zone", "area", "batch", "source"]
Status = Literal["added", "changed", "withdrawn", "removed"]
KINDS: tuple[Kind, ...] = ("case", "metric", "effect", "zone", "area", "batch", "source")
"""The kinds of record compared, in the order a comparison lists them."""
STATUSES: tuple[Status, ...] = ("added", "changed", "withdrawn", "removed")
"""added: only in the new file; changed: in both, a field differs; withdrawn: only in the old file, and the new
one lists its id as withdrawn (with a reason); removed: only in the old file, with no word in the new one."""

HISTORY_FIELDS = frozenset({"first_seen", "last_changed"})
"""What the comparison leaves out: the history it writes."""
_NESTED = {"case": frozenset({"metrics", "effects", "withdrawn"})}
"""Fields of a record that are records of their own, compared on their own."""
_TABLES: tuple[tuple[Kind, str, str], ...] = (
    ("zone", "free_trade_zones", "iso_code"),
    ("area", "pilot_areas", "name_zh"),
    ("batch", "batches", "number"),
    ("source", "sources", "batch"),
)
"""The reference tables: kind, the dataset's field, and the field that names a row."""


@dataclass(frozen=True)
class FieldChange:
    """One field of a record that differs: its path within the record (``practices[2].heading_en``), the old
    value and the new (JSON values; null where a file has none)."""

    path: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RecordChange:
    """One record added, changed, withdrawn or removed."""

    kind: Kind
    id: str
    status: Status
    fields: tuple[FieldChange, ...] = ()
    """For a changed record, every field that differs; empty otherwise."""
    reason: str | None = None
    """For a withdrawn record, why (as the new file gives it)."""
    withdrawn_in: str | None = None
    """For a withdrawn record, the data version that withdrew it."""


@dataclass(frozen=True)
class DataDiff:
    """What differs from an old dataset file to a new one."""

    old_version: str | None
    """data_version of the old file (null when it has none)."""
    new_version: str | None
    old_schema: str | None
    new_schema: str | None
    records: tuple[RecordChange, ...] = field(default=())

    @property
    def equal(self) -> bool:
        """Whether the two files hold the same records (their versions may still differ)."""
        return not self.records

    def counts(self) -> dict[str, int]:
        """How many records each status holds, every status named."""
        return {status: sum(1 for change in self.records if change.status == status) for status in STATUSES}

    def summary(self) -> str:
        """One line: the versions compared and the counts."""
        versions = f"data {self.old_version or '?'} → {self.new_version or '?'}"
        if self.equal:
            return f"{versions}: the same records"
        counts = ", ".join(f"{count} {status}" for status, count in self.counts().items() if count)
        return f"{versions}: {counts}"

    def rows(self) -> list[dict[str, Any]]:
        """One row per changed field (one per record for the other statuses), for a table, CSV or a sheet:
        kind, id, status, field, old, new (JSON text), reason."""
        rows = []
        for change in self.records:
            base = {"kind": change.kind, "id": change.id, "status": change.status}
            if change.fields:
                rows += [
                    {**base, "field": each.path, "old": _json(each.old), "new": _json(each.new), "reason": None}
                    for each in change.fields
                ]
            else:
                rows.append({**base, "field": None, "old": None, "new": None, "reason": change.reason})
        return rows

    def to_json(self) -> dict[str, Any]:
        """The whole comparison as plain JSON values."""
        return {
            "old": {"data_version": self.old_version, "schema_version": self.old_schema},
            "new": {"data_version": self.new_version, "schema_version": self.new_schema},
            "equal": self.equal,
            "counts": self.counts(),
            "records": [
                {
                    "kind": change.kind,
                    "id": change.id,
                    "status": change.status,
                    **({"fields": [vars(each) for each in change.fields]} if change.status == "changed" else {}),
                    **(
                        {"withdrawn_in": change.withdrawn_in, "reason": change.reason}
                        if change.status == "withdrawn"
                        else {}
                    ),
                }
                for change in self.records
            ],
        }


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


DatasetLike = str | Path | Mapping[str, Any] | Any
"""A dataset file's path, its JSON (a dict), a ``Dataset`` record or a ``Collection``."""


def dataset_json(dataset: DatasetLike, what: str = "dataset") -> dict[str, Any]:
    """The JSON of ``dataset`` (see :data:`DatasetLike`), checked to have the shape a comparison needs: an
    object whose ``cases`` are objects with an ``id``, each ``metrics`` and ``effects`` a list of objects with an
    ``id``. A :class:`DatasetFileError` names the file and the JSON path of the first thing missing."""
    from ftz_reforms._files import read_bytes

    name = what
    if isinstance(dataset, (str, Path)):
        name = str(dataset)
        raw = read_bytes(dataset, "dataset file")
        try:
            data: Any = orjson.loads(raw)  # refuses nesting deeper than 1,024 in one line, not with a traceback
        except orjson.JSONDecodeError as error:
            raise DatasetFileError(f"{name}: not a JSON dataset file ({_reason(error)})") from None
    elif isinstance(dataset, Mapping):
        data = dict(dataset)
    elif hasattr(dataset, "model_dump") or hasattr(dataset, "data"):
        record: Any = getattr(dataset, "data", dataset)
        data = record.model_dump(mode="json")
    else:
        raise ArgumentError(
            f"diff compares dataset files: a path, a Dataset, a Collection or a dict, not {type(dataset).__name__}"
        )
    problem = _shape_problem(data)
    if problem is not None:
        raise DatasetFileError(f"{name}: not a dataset file: {problem}")
    return data  # type: ignore[no-any-return]


def _reason(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


MAX_DEPTH = 32
"""How deep a dataset file's values may nest: a dataset's records go about eight levels deep (a case's
sections' points), so anything far deeper is no dataset, and is refused before it is walked."""


def _depth_problem(data: Any) -> str | None:
    """The JSON path of a value nested deeper than ``MAX_DEPTH``, or None; walked without recursion."""
    stack: list[tuple[Any, str, int]] = [(data, "$", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"{path}: nested deeper than {MAX_DEPTH} levels, which no dataset's record is"
        if isinstance(value, dict):
            stack.extend((item, f"{path}.{escape_control_characters(key)}", depth + 1) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{index}]", depth + 1) for index, item in enumerate(value))
    return None


def _shape_problem(data: Any) -> str | None:
    """The first thing that keeps ``data`` from being compared as a dataset, with its JSON path; or None."""
    depth = _depth_problem(data)
    if depth is not None:
        return depth
    if not isinstance(data, dict):
        return "$: expected an object with the dataset's cases"
    cases = data.get("cases")
    if not isinstance(cases, list):
        return "$.cases: expected an array of cases"
    for index, case in enumerate(cases):
        problem = _case_shape_problem(case, f"$.cases[{index}]")
        if problem is not None:
            return problem
    return _tables_shape_problem(data)


def _case_shape_problem(case: Any, path: str) -> str | None:
    if not isinstance(case, dict) or not isinstance(case.get("id"), str):
        return f"{path}: expected a case object with a string id"
    for name in ("metrics", "effects", "withdrawn"):
        problem = _records_shape_problem(case.get(name, []), f"{path}.{name}")
        if problem is not None:
            return problem
    return None


def _records_shape_problem(items: Any, path: str) -> str | None:
    """What keeps ``items`` (a case's metrics, effects or withdrawn ids) from being records with an id, or None."""
    if not isinstance(items, list):
        return f"{path}: expected an array"
    for position, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            return f"{path}[{position}]: expected an object with a string id"
    return None


def _tables_shape_problem(data: dict[str, Any]) -> str | None:
    """The first reference table that is not an array of rows that each have the field naming them, or None."""
    for _, table, key in _TABLES:
        rows = data.get(table, [])
        if not isinstance(rows, list) or not all(isinstance(row, dict) and key in row for row in rows):
            return f"$.{table}: expected an array of objects, each with a {key}"
    return None


def _records(data: dict[str, Any]) -> dict[tuple[Kind, str], dict[str, Any]]:
    """Every record of the file by (kind, id), cases followed by their metrics and effects."""
    found: dict[tuple[Kind, str], dict[str, Any]] = {}
    for case in data["cases"]:
        found["case", case["id"]] = case
        for name, kind in (("metrics", "metric"), ("effects", "effect")):
            for record in case.get(name, []):
                found[kind, record["id"]] = record  # type: ignore[index]
    for kind, table, key in _TABLES:
        for row in data.get(table, []):
            found[kind, str(row[key])] = row
    return found


def _withdrawals(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    listed = [*data.get("withdrawn", []), *(item for case in data["cases"] for item in case.get("withdrawn", []))]
    return {item["id"]: item for item in listed if isinstance(item, dict) and isinstance(item.get("id"), str)}


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {} or value == ""


_ABSENT = object()


def field_changes(old: Any, new: Any, path: str = "") -> Iterator[FieldChange]:
    """Every leaf that differs between two JSON values: objects key by key, arrays of objects of one length item
    by item (a section's heading), anything else whole (a list of keywords). A key one side lacks counts as
    empty (null, [], {} or "")."""
    if isinstance(old, dict) and isinstance(new, dict):
        yield from _object_changes(old, new, path)
    elif _compared_item_by_item(old, new):
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            yield from field_changes(before, after, f"{path}[{index}]")
    elif old is _ABSENT or new is _ABSENT:
        yield from _one_sided_change(old, new, path)
    elif old != new or isinstance(old, bool) is not isinstance(new, bool):  # JSON's true is not 1
        yield FieldChange(path, old, new)


def _object_changes(old: dict[str, Any], new: dict[str, Any], path: str) -> Iterator[FieldChange]:
    """The changes of two objects key by key: the old object's keys first, then those only the new one has."""
    for key in sorted(old.keys() | new.keys(), key=lambda name: (name not in old, name)):
        yield from field_changes(old.get(key, _ABSENT), new.get(key, _ABSENT), f"{path}.{key}" if path else key)


def _compared_item_by_item(old: Any, new: Any) -> bool:
    """Whether two values are arrays of objects of one length that differ, compared item by item (a case's
    sections); any other array (a list of words) is compared whole."""
    if not isinstance(old, list) or not isinstance(new, list):
        return False
    return all(isinstance(item, dict) for item in old + new) and len(old) == len(new) and old != new


def _one_sided_change(old: Any, new: Any, path: str) -> Iterator[FieldChange]:
    """A key only one side has: a change when the side that has it holds a value, null on the other side."""
    present = new if old is _ABSENT else old
    if not _empty(present):
        yield FieldChange(path, None if old is _ABSENT else old, None if new is _ABSENT else new)


def _compared(kind: Kind, record: dict[str, Any]) -> dict[str, Any]:
    left_out = HISTORY_FIELDS | _NESTED.get(kind, frozenset())
    return {name: value for name, value in record.items() if name not in left_out}


def diff(old: DatasetLike, new: DatasetLike) -> DataDiff:
    """What changed from ``old`` to ``new`` (see the module's note): records added, changed (field by field),
    withdrawn (the new file gives the reason) and removed, by kind in :data:`KINDS` order and by id.

    ``old`` and ``new`` are dataset files (paths), ``Dataset`` records, collections or the JSON of one. A file
    that is not a dataset raises :class:`DatasetFileError` naming it and what is missing.
    """
    old_data, new_data = dataset_json(old, "old"), dataset_json(new, "new")
    before, after = _records(old_data), _records(new_data)
    withdrawn = _withdrawals(new_data)
    changes: list[RecordChange] = []
    for key in sorted(before.keys() | after.keys(), key=lambda item: (KINDS.index(item[0]), _natural(item[1]))):
        kind, record_id = key
        if key not in before:
            changes.append(RecordChange(kind, record_id, "added"))
        elif key not in after:
            item = withdrawn.get(record_id)
            if item is not None:
                changes.append(
                    RecordChange(
                        kind, record_id, "withdrawn", reason=item.get("reason"), withdrawn_in=item.get("data_version")
                    )
                )
            else:
                changes.append(RecordChange(kind, record_id, "removed"))
        else:
            fields = tuple(field_changes(_compared(kind, before[key]), _compared(kind, after[key])))
            if fields:
                changes.append(RecordChange(kind, record_id, "changed", fields))
    return DataDiff(
        old_version=_text(old_data.get("data_version")),
        new_version=_text(new_data.get("data_version")),
        old_schema=_text(old_data.get("schema_version")),
        new_schema=_text(new_data.get("schema_version")),
        records=tuple(changes),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _natural(record_id: str) -> tuple[Any, ...]:
    from ftz_reforms.model.records import natural_order

    return natural_order(record_id)


def changelog_entry(comparison: DataDiff, *, released: str | None = None) -> dict[str, Any]:
    """One version's entry of the data changelog: the records added, changed (with the top-level fields that
    changed), withdrawn (with the reason) and removed, from ``comparison``; ``released`` is the date."""
    by_status: dict[str, list[dict[str, Any]]] = {status: [] for status in STATUSES}
    for change in comparison.records:
        item: dict[str, Any] = {"kind": change.kind, "id": change.id}
        if change.status == "changed":
            item["fields"] = sorted({_top_field(each.path) for each in change.fields})
        if change.status == "withdrawn":
            item["reason"] = change.reason
        by_status[change.status].append(item)
    return {
        "data_version": comparison.new_version,
        "previous": comparison.old_version,
        "schema_version": comparison.new_schema,
        "released": released,
        **by_status,
    }


def _top_field(path: str) -> str:
    return path.split(".", 1)[0].split("[", 1)[0]


def record_history(changelog: Sequence[Mapping[str, Any]]) -> dict[str, tuple[str, str]]:
    """(first_seen, last_changed) of every case, metric and effect id the changelog names, from its entries
    in version order: first seen where it was (last) added, last changed where it was added or changed."""
    history: dict[str, tuple[str, str]] = {}
    for entry in changelog:
        version = entry["data_version"]
        for item in entry.get("added", ()):
            if item["kind"] in ("case", "metric", "effect"):
                history[item["id"]] = (version, version)
        for item in entry.get("changed", ()):
            if item["kind"] in ("case", "metric", "effect") and item["id"] in history:
                history[item["id"]] = (history[item["id"]][0], version)
        for item in (*entry.get("withdrawn", ()), *entry.get("removed", ())):
            history.pop(item["id"], None)
    return history


def changes(since: str | None = None, *, path: str | Path | None = None) -> list[dict[str, Any]]:
    """The data changelog: one entry per data version, oldest first (``changelog_entry`` gives the shape);
    ``since`` keeps the versions after that one. The bundled data's, or the one at ``path``."""
    from ftz_reforms._files import read_bytes

    source = Path(path) if path is not None else DATA_DIRECTORY / CHANGELOG_FILE
    try:
        entries = json.loads(read_bytes(source, "data changelog"))["versions"]
    except (ValueError, KeyError, TypeError) as error:
        raise DatasetFileError(f"{source}: not a data changelog ({_reason(error)})") from None
    if since is None:
        return list(entries)
    versions = [entry["data_version"] for entry in entries]
    if since not in versions:
        raise ArgumentError(f"no data version {short_value(since)!r} in the changelog; versions: {', '.join(versions)}")
    return list(entries[versions.index(since) + 1 :])


def _grouped(items: Sequence[Mapping[str, Any]], with_fields: bool) -> list[tuple[str, list[str]]]:
    """Records grouped by kind (and, for changed ones, by the fields that changed), in first-seen order."""
    groups: dict[tuple[str, str], list[str]] = {}
    for item in items:
        fields = f" ({', '.join(item['fields'])})" if with_fields else ""
        groups.setdefault((item["kind"], fields), []).append(item["id"])
    return [(f"{kind}{'' if len(ids) == 1 else 's'}{fields}", ids) for (kind, fields), ids in groups.items()]


def changelog_text(entries: Sequence[Mapping[str, Any]], *, markdown: bool = False) -> str:
    """The changelog as a person reads it, newest version first: for each data version the records added,
    withdrawn (with the reason), removed and changed (grouped by the fields that changed). ``markdown`` for the
    documentation page, else plain text for a terminal."""
    lines = list(_CHANGELOG_PREAMBLE) if markdown else []
    for entry in reversed(entries):
        lines += _entry_lines(entry, markdown)
    return "\n".join(lines).rstrip("\n") + "\n"


_CHANGELOG_PREAMBLE = (
    "# Data changelog",
    "",
    "Generated by the build (`python -m ftz_reforms.bundling`) from the comparison of each release of the",
    "data with the one before, the comparison `ftz-reforms diff` makes; `ftz-reforms changes` prints it and",
    "`ftz_reforms.changes()` returns it. A record is a case, metric or effect (by its permanent id) or a row",
    "of a reference table (a zone by ISO code, a pilot area by Chinese name, a batch by number, a source by",
    "batch). Changed records list the fields that changed; `ftz-reforms diff OLD NEW` shows their old and",
    "new values.",
    "",
)
"""What the documentation page says before the versions."""
_TEXT_ORDER: tuple[tuple[Status, bool], ...] = (
    ("added", False),
    ("withdrawn", False),
    ("removed", False),
    ("changed", True),
)
"""The statuses in the order a version's entry lists them, and whether its records are grouped by the fields
that changed."""


def _entry_lines(entry: Mapping[str, Any], markdown: bool) -> list[str]:
    """The lines of one version's entry: its heading, then its records status by status, then a blank line."""
    released = entry.get("released") or "unreleased"
    since = f", from {entry['previous']}" if entry.get("previous") else ""
    heading = f"data {entry['data_version']} ({released}{since}; schema {entry.get('schema_version') or '?'})"
    lines = [f"## {heading}", ""] if markdown else [heading]
    bullet = "- " if markdown else "  "
    for status, with_fields in _TEXT_ORDER:
        lines += _status_lines(status, entry.get(status, []), with_fields, bullet, markdown)
    if not any(entry.get(status) for status in STATUSES):
        lines.append(f"{bullet}no record changed")
    lines.append("")
    return lines


def _status_lines(
    status: Status, items: Sequence[Mapping[str, Any]], with_fields: bool, bullet: str, markdown: bool
) -> list[str]:
    """The lines of the records of one status: a withdrawn record each with its reason, the others grouped."""
    if status == "withdrawn":
        return [
            f"{bullet}withdrawn {item['kind']} {item['id']}: {item.get('reason') or 'no reason given'}"
            for item in items
        ]
    lines = []
    for label, ids in _grouped(items, with_fields):
        shown = ", ".join(f"`{each}`" if markdown else each for each in ids)
        lines.append(f"{bullet}{status} {len(ids)} {label}: {shown}")
    return lines
