"""Permanent ids and record history: every build held against the last release.

What a release published is committed beside the overlays, so that the build never reads git (CI may clone
shallow):

- ``sources/released/dataset.json``: the last released dataset file, verbatim;
- ``sources/released/changelog.json``: the data changelog of every release so far (``changes.changelog_entry``);
- ``sources/batchN/withdrawn.toml``: the ids a release withdrew, each with its data version and reason.

The build gives each record the id it was published with: a metric is the same record when its part,
section, offsets and span are (the text never changes); an effect when its part and section are and it links
at least one of the same figures. A record no release published takes the next number of its case that no
release ever used. A published id the build no longer gives must be withdrawn, with a reason; a withdrawn id
the curation still states, or a data version left at the released one while the records changed, fails the
build naming the id or the version. ``first_seen`` and ``last_changed`` come from the changelog, and from the
comparison with the last release for the version being built.

``python -m ftz_reforms.bundling --release`` records the built data as released (``record_release``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ConfigDict

from ftz_reforms.bundling.overlays import read_toml
from ftz_reforms.errors import FtzReformsError
from ftz_reforms.history import HISTORY_FIELDS, changelog_entry, diff, field_changes, record_history
from ftz_reforms.model.records import Case, Dataset, Effect, Metric, Withdrawn

__all__ = [
    "RELEASED_CHANGELOG",
    "RELEASED_DATA",
    "WITHDRAWN_FILE",
    "IdError",
    "Releases",
    "changelog",
    "hold_ids",
    "load_releases",
    "record_release",
]

RELEASED_DIR = Path("sources/released")
RELEASED_DATA = RELEASED_DIR / "dataset.json"
RELEASED_CHANGELOG = RELEASED_DIR / "changelog.json"
WITHDRAWN_FILE = "withdrawn.toml"
_NUMBER = re.compile(r"^(b[0-9]+-[0-9]{2,})-([me])([0-9]{2,})$")


class IdError(FtzReformsError, ValueError):
    """A build that would move, drop or reuse a published id; the message names every such id."""


class _WithdrawnFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    withdrawn: tuple[Withdrawn, ...] = ()


@dataclass(frozen=True)
class Releases:
    """What earlier releases published, as the build holds it."""

    dataset: dict[str, Any] | None
    """The last released dataset file's JSON; None before the first release."""
    changelog: tuple[dict[str, Any], ...]
    """One entry per released data version, oldest first."""
    withdrawn: tuple[Withdrawn, ...]
    """Every withdrawn id of every batch."""
    history: dict[str, tuple[str, str]] = field(default_factory=dict)
    """(first_seen, last_changed) of every released id, from the changelog."""

    @property
    def version(self) -> str | None:
        """The last released data version."""
        return None if self.dataset is None else str(self.dataset["data_version"])

    def released_cases(self) -> dict[str, dict[str, Any]]:
        return {case["id"]: case for case in (self.dataset or {}).get("cases", [])}

    def ever_published(self) -> set[str]:
        """Every id any release published: the changelog's, the last release's and the withdrawn ones."""
        ids = {item["id"] for entry in self.changelog for item in entry.get("added", [])}
        for case in self.released_cases().values():
            ids |= {
                case["id"],
                *(m["id"] for m in case.get("metrics", [])),
                *(e["id"] for e in case.get("effects", [])),
            }
        return ids | {item.id for item in self.withdrawn}


def _read_json(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except orjson.JSONDecodeError as error:
        raise IdError(f"{path}: not valid JSON ({error})") from None


def load_releases(root: Path, batch_directories: Iterable[Path]) -> Releases:
    """The last release, the changelog and the withdrawn ids committed under ``root``."""
    dataset = _read_json(root / RELEASED_DATA)
    log = _read_json(root / RELEASED_CHANGELOG)
    entries = tuple(log["versions"]) if isinstance(log, dict) else ()
    withdrawn: list[Withdrawn] = []
    for directory in batch_directories:
        path = directory / WITHDRAWN_FILE
        if path.is_file():
            withdrawn += read_toml(path, _WithdrawnFile, "list of withdrawn ids").withdrawn
    return Releases(dataset, entries, tuple(withdrawn), record_history(entries))


def _metric_identity(record: Metric | dict[str, Any]) -> tuple[Any, ...]:
    get = record.get if isinstance(record, dict) else lambda name: getattr(record, name)
    where = str(get("where")) if isinstance(record, dict) else record.where.value
    section = None if where == "intro" else get("section")
    return (where, section, get("start"), get("end"), get("span"))


def _links(record: Effect | dict[str, Any]) -> set[str]:
    names = ("before", "after", "change")
    values = [record.get(name) for name in names] if isinstance(record, dict) else [getattr(record, n) for n in names]
    return {value for value in values if value}


def _part(record: Effect | dict[str, Any]) -> tuple[str, Any]:
    if isinstance(record, dict):
        return record["where"], None if record["where"] == "intro" else record.get("section")
    return record.where.value, None if record.where.value == "intro" else record.section


class _Numbers:
    """The next unused number of each kind of record of one case."""

    def __init__(self, case_id: str, used: Iterable[str]) -> None:
        self.case_id = case_id
        self.highest = {"m": 0, "e": 0}
        for record_id in used:
            match = _NUMBER.match(record_id)
            if match and match.group(1) == case_id:
                kind = match.group(2)
                self.highest[kind] = max(self.highest[kind], int(match.group(3)))

    def next(self, kind: str) -> str:
        self.highest[kind] += 1
        return f"{self.case_id}-{kind}{self.highest[kind]:02d}"


def _permanent_ids(case: Case, released: dict[str, Any] | None, used: set[str]) -> tuple[Case, list[str]]:
    """The case with every metric and effect under its published id (new ones numbered on), and the published
    ids it no longer holds."""
    if released is None:
        return case, []
    numbers = _Numbers(case.id, used)
    metric_ids = _published_metric_ids(case.metrics, released.get("metrics", []), numbers)
    metrics = tuple(_renamed(metric, metric_ids) for metric in case.metrics)
    linked = [_relinked(effect, metric_ids) for effect in case.effects]
    effect_ids = _published_effect_ids(linked, released.get("effects", []), numbers)
    effects = tuple(_renamed(effect, effect_ids) for effect in linked)
    held = {metric.id for metric in metrics} | {effect.id for effect in effects}
    dropped = [
        record["id"]
        for record in (*released.get("metrics", []), *released.get("effects", []))
        if record["id"] not in held
    ]
    return case.model_copy(update={"metrics": metrics, "effects": effects}), dropped


def _published_metric_ids(
    built: Sequence[Metric], published: Sequence[dict[str, Any]], numbers: _Numbers
) -> dict[str, str]:
    """The id each built metric takes: the published one of the same figure in the same place, else the next
    unused number of its case."""
    by_identity = {_metric_identity(record): record["id"] for record in published}
    return {metric.id: by_identity.get(_metric_identity(metric)) or numbers.next("m") for metric in built}


def _published_effect_ids(
    built: Sequence[Effect], published: Sequence[dict[str, Any]], numbers: _Numbers
) -> dict[str, str]:
    """The id each built effect takes: the published one it matches (``_matched_effects``), else the next unused
    number of its case."""
    effect_ids = _matched_effects(built, published)
    for effect in built:
        if effect.id not in effect_ids:
            effect_ids[effect.id] = numbers.next("e")
    return effect_ids


_Renamed = TypeVar("_Renamed", Metric, Effect)


def _renamed(record: _Renamed, ids: dict[str, str]) -> _Renamed:
    """``record`` under its id of ``ids``, and the record it restates under that one's."""
    return record.model_copy(update={"id": ids[record.id], "restates": ids.get(record.restates or "", record.restates)})


def _relinked(effect: Effect, metric_ids: dict[str, str]) -> Effect:
    """``effect`` linking its metrics by the ids they take."""
    return effect.model_copy(
        update={name: metric_ids.get(getattr(effect, name) or "") for name in ("before", "after", "change")}
    )


def _matched_effects(built: Sequence[Effect], published: Sequence[dict[str, Any]]) -> dict[str, str]:
    """The published id of each built effect that is a published one: same part and section, and at least one
    linked figure in common. The pairs that share the most figures are matched first, one to one, so that the
    two effects of a chain (97 → 26 → 7), which share their middle figure, each keep their own id."""
    pairs = sorted(
        (
            (-len(_links(effect) & _links(old)), old_index, new_index)
            for new_index, effect in enumerate(built)
            for old_index, old in enumerate(published)
            if _part(old) == _part(effect) and _links(effect) & _links(old)
        )
    )
    matched: dict[str, str] = {}
    taken: set[int] = set()
    for _, old_index, new_index in pairs:
        effect = built[new_index]
        if effect.id not in matched and old_index not in taken:
            matched[effect.id] = published[old_index]["id"]
            taken.add(old_index)
    return matched


def _compared(record: BaseModel, left_out: frozenset[str] = frozenset()) -> dict[str, Any]:
    return record.model_dump(mode="json", exclude=set(HISTORY_FIELDS | left_out))


def _with_history(
    record: Case | Metric | Effect,
    released: dict[str, Any] | None,
    history: dict[str, tuple[str, str]],
    version: str,
    nested: frozenset[str],
) -> dict[str, str]:
    """first_seen and last_changed of ``record``: new in ``version``, changed in it, or as the changelog says."""
    if released is None:
        return {"first_seen": version, "last_changed": version}
    first, last = history.get(
        record.id, (released.get("first_seen") or version, released.get("last_changed") or version)
    )
    old = {name: value for name, value in released.items() if name not in HISTORY_FIELDS | nested}
    if next(field_changes(old, _compared(record, nested)), None) is not None:
        last = version
    return {"first_seen": first, "last_changed": last}


_CASE_NESTED = frozenset({"metrics", "effects", "withdrawn"})


def hold_ids(cases: Sequence[Case], releases: Releases, version: str) -> tuple[Case, ...]:
    """``cases`` with the ids, withdrawals and history the last release holds them to (see the module's note);
    an :class:`IdError` naming every published id the build would drop or reuse."""
    released_cases = releases.released_cases()
    withdrawn = {item.id: item for item in releases.withdrawn}
    used = releases.ever_published()
    problems: list[str] = []
    held: list[Case] = []
    for case in cases:
        released = released_cases.get(case.id)
        renumbered, dropped = _permanent_ids(case, released, used)
        problems += _dropped_problems(dropped, withdrawn, releases.version, version)
        problems += _still_stated_problems(renumbered, withdrawn)
        held.append(_held_case(renumbered, released, releases, version))
    problems += _case_problems(set(released_cases), {case.id for case in held}, withdrawn, releases.version)
    if problems:
        raise IdError(f"{len(problems)} published ids would change: " + "; ".join(problems))
    return tuple(held)


def _dropped_problems(
    dropped: list[str], withdrawn: dict[str, Withdrawn], released_version: str | None, version: str
) -> list[str]:
    """What is wrong with the published ids a case no longer holds: each must be withdrawn, by this version."""
    problems = []
    for record_id in dropped:
        if record_id not in withdrawn:
            problems.append(
                f"{record_id} was published in data {released_version} and this build no longer states it: "
                f"restore its curation, or withdraw it in {WITHDRAWN_FILE} of its batch with the reason"
            )
        elif withdrawn[record_id].data_version != version:
            problems.append(
                f"{record_id} is withdrawn in {WITHDRAWN_FILE} with data {withdrawn[record_id].data_version}, "
                f"but the data being built is {version}"
            )
    return problems


def _still_stated_problems(case: Case, withdrawn: dict[str, Withdrawn]) -> list[str]:
    """The withdrawn ids the case still holds: a withdrawn id is never used again."""
    stated = {metric.id for metric in case.metrics} | {effect.id for effect in case.effects}
    return [
        f"{record_id} is withdrawn in {WITHDRAWN_FILE}, but the curation still states it"
        for record_id in sorted(stated & set(withdrawn))
    ]


def _case_problems(
    released: set[str], built: set[str], withdrawn: dict[str, Withdrawn], released_version: str | None
) -> list[str]:
    """What is wrong with the case ids: a released case the build lacks must be withdrawn, a withdrawn one stays
    out of the build."""
    problems = [
        f"case {case_id} was published in data {released_version} and this build has no such case"
        for case_id in sorted(released - built)
        if case_id not in withdrawn
    ]
    problems += [
        f"case {case_id} is withdrawn in {WITHDRAWN_FILE}, but the build still holds it"
        for case_id in sorted(built & set(withdrawn))
    ]
    return problems


def _held_case(case: Case, released: dict[str, Any] | None, releases: Releases, version: str) -> Case:
    """``case`` with its withdrawn ids, and the history of it and of each of its metrics and effects."""
    released_records = {
        record["id"]: record for record in ((released or {}).get("metrics", []) + (released or {}).get("effects", []))
    }

    def dated(record: _Renamed) -> _Renamed:
        update = _with_history(record, released_records.get(record.id), releases.history, version, frozenset())
        return record.model_copy(update=update)

    return case.model_copy(
        update={
            "metrics": tuple(dated(metric) for metric in case.metrics),
            "effects": tuple(dated(effect) for effect in case.effects),
            "withdrawn": tuple(item for item in releases.withdrawn if item.id.startswith(f"{case.id}-")),
            **_with_history(case, released, releases.history, version, _CASE_NESTED),
        }
    )


def withdrawn_cases(releases: Releases) -> tuple[Withdrawn, ...]:
    """The withdrawn case ids, which the dataset lists (a case's own list holds its metrics' and effects')."""
    return tuple(item for item in releases.withdrawn if _NUMBER.match(item.id) is None)


def changelog(data: Dataset, releases: Releases) -> dict[str, Any]:
    """The data changelog of ``data``: every release's entry, and the entry of the version being built when it
    is not the last released one. An :class:`IdError` when the records changed but the version did not."""
    entries = list(releases.changelog)
    if releases.dataset is None:
        return {"versions": entries}
    comparison = diff(releases.dataset, data)
    if data.data_version == releases.version:
        if not comparison.equal:
            shown = ", ".join(f"{change.kind} {change.id}" for change in comparison.records[:5])
            raise IdError(
                f"the data changed since its release as {releases.version} ({comparison.summary()}: {shown}…): "
                "set DATA_VERSION in src/ftz_reforms/_version.py to the next version"
            )
        return {"versions": entries}
    return {"versions": [*entries, changelog_entry(comparison)]}


def record_release(root: Path, data_file: Path, log: dict[str, Any], date: datetime.date) -> list[Path]:
    """Record the built data as released on ``date``: its file becomes the last release, and the changelog the
    released one, its newest entry dated. Returns the files written."""
    from ftz_reforms._files import json_file_bytes, write_atomically

    entries = list(log["versions"])
    if entries and entries[-1].get("released") is None:
        entries[-1] = {**entries[-1], "released": date.isoformat()}
    write_atomically(root / RELEASED_DATA, data_file.read_bytes())
    write_atomically(root / RELEASED_CHANGELOG, json_file_bytes({"versions": entries}))
    return [RELEASED_DATA, RELEASED_CHANGELOG]
