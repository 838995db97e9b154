"""Corrections that break nothing: permanent ids held against the last release, withdrawn ids, record history,
the comparison of two dataset files (``diff``), the data changelog and the two version names."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import orjson
import pytest

import ftz_reforms
from ftz_reforms.bundling.releases import RELEASED_CHANGELOG, RELEASED_DATA, IdError, Releases, changelog, hold_ids
from ftz_reforms.cli.app import main
from ftz_reforms.errors import WithdrawnError
from ftz_reforms.history import changelog_entry, diff, record_history
from ftz_reforms.model.records import Case, Dataset, Withdrawn
from tests.helpers import in_process

REPO = Path(__file__).resolve().parents[1]
VERSION = ftz_reforms.data_version
"""The data version being built (the one that withdraws what the last release published and this one does not)."""
BUNDLED = REPO / "src" / "ftz_reforms" / "data" / "dataset.json"


RELEASE_070 = REPO / "tests" / "releases" / "dataset-0.7.0.json.gz"
"""The dataset file of data 0.7.0 as released (package 0.10.0, commit c500b61), the release before the
corrections of 0.8.0: what the permanent ids are held against here."""


@pytest.fixture(scope="module")
def released() -> dict[str, Any]:
    """The data 0.7.0 release, as the build read it from sources/released/ before 0.8.0 was released."""
    import gzip

    return orjson.loads(gzip.decompress(RELEASE_070.read_bytes()))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def released_log() -> tuple[dict[str, Any], ...]:
    return tuple(orjson.loads((REPO / RELEASED_CHANGELOG).read_bytes())["versions"])


def _releases(
    dataset: dict[str, Any], log: tuple[dict[str, Any], ...] = (), withdrawn: tuple[Withdrawn, ...] = ()
) -> Releases:
    """Releases as the build reads them: ``dataset`` the last one, with the bundled data's own withdrawals."""
    return Releases(dataset, log, (*ftz_reforms.withdrawn(), *withdrawn), record_history(log))


def _identity(record: dict[str, Any]) -> tuple[Any, ...]:
    if "span" in record:
        return (record["where"], record["section"], record["start"], record["end"], record["span"])
    return (record["where"], record["section"], record.get("before"), record.get("after"), record.get("change"))


def _renumbered(case: Case, shift: int) -> Case:
    """The case as a build that numbers by position would give it after ``shift`` records were added before
    every one: each metric and effect id moved up, the links moved with them."""
    metric_ids = {metric.id: f"{case.id}-m{index + 1 + shift:02d}" for index, metric in enumerate(case.metrics)}
    effect_ids = {effect.id: f"{case.id}-e{index + 1 + shift:02d}" for index, effect in enumerate(case.effects)}
    metrics = tuple(
        metric.model_copy(update={"id": metric_ids[metric.id], "restates": metric_ids.get(metric.restates or "")})
        for metric in case.metrics
    )
    effects = tuple(
        effect.model_copy(
            update={
                "id": effect_ids[effect.id],
                **{name: metric_ids.get(getattr(effect, name) or "") for name in ("before", "after", "change")},
            }
        )
        for effect in case.effects
    )
    return case.model_copy(update={"metrics": metrics, "effects": effects})


def _bundled_case(number: int) -> Case:
    return ftz_reforms.get(number)


def _held(case: Case, releases: Releases) -> Case:
    """``case`` held to ``releases`` among the bundled cases (a release's every case must be built)."""
    cases = [case if each.id == case.id else each for each in ftz_reforms.cases()]
    return next(each for each in hold_ids(cases, releases, VERSION) if each.id == case.id)


# --- permanent ids --------------------------------------------------------------------------------------


def test_a_build_that_numbers_by_position_gets_every_published_id_back(released: dict[str, Any]) -> None:
    """Renumbering is what a positional build does when a figure is added early in a case; the ids must not
    follow the positions but the records."""
    case = _renumbered(_bundled_case(4), shift=2)
    held = _held(case, _releases(released))
    published = {
        _identity(record): record["id"]
        for old in released["cases"]
        if old["id"] == "b5-04"
        for record in (*old["metrics"], *old["effects"])
    }
    for record in (*held.metrics, *held.effects):
        identity = _identity(record.model_dump(mode="json"))
        if identity in published:
            assert record.id == published[identity]
        else:  # added since the last release (b5-04-e08): a number no release used
            assert record.id == "b5-04-e08"
    assert [m.id for m in held.metrics] == [m.id for m in _bundled_case(4).metrics]
    assert [e.id for e in held.effects] == [e.id for e in _bundled_case(4).effects]


def test_a_new_record_takes_the_next_number_no_release_used(released: dict[str, Any]) -> None:
    case = _bundled_case(8)
    dropped = case.effects[1].id  # as if the last release had not published this effect
    shrunk = json.loads(json.dumps(released))
    for old in shrunk["cases"]:
        if old["id"] == case.id:
            old["effects"] = [effect for effect in old["effects"] if effect["id"] != dropped]
    held = _held(case, _releases(shrunk))
    highest = max(int(effect.id.rsplit("e", 1)[1]) for effect in case.effects)
    assert held.effects[1].id == f"{case.id}-e{highest + 1:02d}", "the next unused number, not the free one"
    assert [effect.id for effect in held.effects if effect is not held.effects[1]] == [
        effect.id for effect in case.effects if effect.id != dropped
    ]


def test_a_number_once_published_is_never_given_again(released: dict[str, Any]) -> None:
    """An id the changelog names (published once, later gone) is never handed to a new record."""
    case = _bundled_case(8)
    newest = case.effects[-1].id
    shrunk = json.loads(json.dumps(released))
    for old in shrunk["cases"]:
        if old["id"] == case.id:
            old["effects"] = [effect for effect in old["effects"] if effect["id"] != newest]
    log = ({"data_version": "0.1.0", "added": [{"kind": "effect", "id": f"{case.id}-e40"}]},)
    held = _held(case, _releases(shrunk, log))
    assert held.effects[-1].id == f"{case.id}-e41"


def test_a_published_record_the_build_drops_fails_naming_it(released: dict[str, Any]) -> None:
    case = _bundled_case(3)
    gone = case.effects[2]
    without = case.model_copy(update={"effects": tuple(e for e in case.effects if e is not gone)})
    with pytest.raises(IdError, match=f"{gone.id} was published in data 0.7.0 and this build no longer states it"):
        _held(without, _releases(released))


def test_a_withdrawn_record_is_listed_and_its_lookup_says_when_and_why(released: dict[str, Any]) -> None:
    case = _bundled_case(3)
    gone = case.effects[2]
    without = case.model_copy(update={"effects": tuple(e for e in case.effects if e is not gone)})
    reason = "the fee is charged when trucks are held, and the text states no change to it"
    withdrawn = (Withdrawn(id=gone.id, data_version=VERSION, reason=reason),)
    held = _held(without, _releases(released, withdrawn=withdrawn))
    assert withdrawn[0] in held.withdrawn
    message = f"{gone.id} was withdrawn in data {VERSION}: {reason}"
    with pytest.raises(WithdrawnError, match=message):
        held.effect(gone.id)
    collection = ftz_reforms.Collection.of(
        ftz_reforms.dataset().data.model_copy(
            update={"cases": tuple(held if c.id == held.id else c for c in ftz_reforms.cases())}
        )
    )
    with pytest.raises(WithdrawnError, match=message):
        collection.record(gone.id)
    with pytest.raises(WithdrawnError, match=message):
        collection.effects(id=gone.id)
    with pytest.raises(LookupError):  # WithdrawnError is a LookupError: code that catches misses keeps working
        collection.record(gone.id)


def test_a_withdrawn_id_the_curation_still_states_fails(released: dict[str, Any]) -> None:
    case = _bundled_case(3)
    withdrawn = (Withdrawn(id=case.effects[0].id, data_version=VERSION, reason="a reason"),)
    with pytest.raises(IdError, match=f"{case.effects[0].id} is withdrawn in withdrawn.toml, but the curation"):
        _held(case, _releases(released, withdrawn=withdrawn))


def test_records_that_changed_under_the_released_version_fail_the_build(released: dict[str, Any]) -> None:
    data = ftz_reforms.dataset().data
    same_version = json.loads(json.dumps(released))
    same_version["data_version"] = data.data_version
    edited = data.model_copy(
        update={"cases": (data.cases[0].model_copy(update={"keywords": ("改",)}), *data.cases[1:])}
    )
    with pytest.raises(IdError, match="set DATA_VERSION"):
        changelog(edited, _releases(same_version))


def test_the_release_committed_beside_the_overlays_is_the_bundled_data_or_older() -> None:
    """What the next build holds its ids against: the bundled file itself while its version is the released
    one, else an older release, whose changelog the bundled one extends."""
    last = orjson.loads((REPO / RELEASED_DATA).read_bytes())
    entries = orjson.loads((REPO / RELEASED_CHANGELOG).read_bytes())["versions"]
    assert entries[-1]["data_version"] == last["data_version"] and entries[-1]["released"]
    if last["data_version"] == ftz_reforms.data_version:
        assert last == orjson.loads(BUNDLED.read_bytes()) and entries == ftz_reforms.changes()
    else:
        assert _semver(last["data_version"]) < _semver(ftz_reforms.data_version)
        assert ftz_reforms.changes()[: len(entries)] == entries


def test_no_published_id_of_the_last_release_changes_meaning(data: Dataset, released: dict[str, Any]) -> None:
    """The bundled data against the 0.7.0 release: every published metric and effect is the same record under
    the same id, or withdrawn with a reason."""
    held = {record.id: record for case in data.cases for record in (*case.metrics, *case.effects)}
    withdrawn = {item.id for item in ftz_reforms.withdrawn()}
    for case in released["cases"]:
        for record in (*case["metrics"], *case["effects"]):
            if record["id"] in withdrawn:
                assert record["id"] not in held
                continue
            now = held[record["id"]].model_dump(mode="json")
            if "span" in record:
                assert _identity(now) == _identity(record), record["id"]
            else:
                assert (now["where"], now["section"]) == (record["where"], record["section"]), record["id"]
                links = {now[name] for name in ("before", "after", "change")} - {None}
                assert links & ({record[name] for name in ("before", "after", "change")} - {None}), record["id"]


# --- record history ---------------------------------------------------------------------------------------


def _semver(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def test_every_record_carries_when_it_first_appeared_and_last_changed(data: Dataset) -> None:
    changelog_entries = ftz_reforms.changes()
    changed_in = {
        (entry["data_version"], item["id"])
        for entry in changelog_entries
        for item in (*entry["added"], *entry["changed"])
    }
    for case in data.cases:
        for record in (case, *case.metrics, *case.effects):
            assert record.first_seen is not None and record.last_changed is not None, record.id
            assert _semver(record.first_seen) <= _semver(record.last_changed) <= _semver(data.data_version)
            assert (record.last_changed, record.id) in changed_in, record.id
            assert (record.first_seen, record.id) in changed_in, record.id


def test_history_is_backfilled_from_the_releases(data: Dataset, released: dict[str, Any]) -> None:
    """Metrics arrived with data 0.2.0 and effects with 0.7.0; every case was in the first release."""
    released_ids = {record["id"] for case in released["cases"] for record in (*case["metrics"], *case["effects"])}
    assert {case.first_seen for case in data.cases} == {"0.1.0"}
    assert {metric.first_seen for case in data.cases for metric in case.metrics if metric.id in released_ids} == {
        "0.2.0"
    }
    assert {effect.first_seen for case in data.cases for effect in case.effects if effect.id in released_ids} == {
        "0.7.0"
    }


def test_an_import_carries_its_own_first_version() -> None:
    text = (REPO / "tests" / "casebooks" / "batch90" / "casebook.txt").read_text(encoding="utf-8")
    data = ftz_reforms.import_casebook(text, batch=90, data_version="3.1.4").data
    records = [record for case in data.cases for record in (case, *case.metrics, *case.effects)]
    assert records and {(r.first_seen, r.last_changed) for r in records} == {("3.1.4", "3.1.4")}


# --- what changed -----------------------------------------------------------------------------------------


def test_diff_of_the_last_release_and_the_bundled_data_is_the_changelog_entry(
    data: Dataset, released: dict[str, Any]
) -> None:
    comparison = diff(released, BUNDLED)
    entry = changelog_entry(comparison)
    (latest,) = ftz_reforms.changes(since="0.7.0")
    assert {status: entry[status] for status in ("added", "changed", "withdrawn", "removed")} == {
        status: latest[status] for status in ("added", "changed", "withdrawn", "removed")
    }


def test_diff_both_ways(tmp_path: Path) -> None:
    old = orjson.loads(BUNDLED.read_bytes())
    new = json.loads(json.dumps(old))
    case = new["cases"][2]
    gone = case["effects"].pop(0)
    case["withdrawn"] = [{"id": gone["id"], "data_version": VERSION, "reason": "checked against the text"}]
    case["metrics"][0]["description_en"] = "a better description"
    new["data_version"] = VERSION
    forward = diff(old, new)
    assert [(c.kind, c.id, c.status) for c in forward.records] == [
        ("metric", case["metrics"][0]["id"], "changed"),
        ("effect", gone["id"], "withdrawn"),
    ]
    assert forward.records[1].reason == "checked against the text"
    (field,) = forward.records[0].fields
    assert (field.path, field.new) == ("description_en", "a better description")
    backward = diff(new, old)
    assert [(c.kind, c.id, c.status) for c in backward.records] == [
        ("metric", case["metrics"][0]["id"], "changed"),
        ("effect", gone["id"], "added"),
    ]
    assert backward.records[0].fields[0].old == "a better description"
    assert diff(old, old).equal and diff(old, old).summary().endswith("the same records")


def test_a_field_a_newer_schema_added_changes_a_record_only_where_it_holds_a_value() -> None:
    old = {"cases": [{"id": "b1-01", "metrics": [{"id": "b1-01-m01", "span": "3天"}]}]}
    new = {"cases": [{"id": "b1-01", "metrics": [{"id": "b1-01-m01", "span": "3天", "baseline": None, "per": []}]}]}
    assert diff(old, new).equal
    new["cases"][0]["metrics"][0]["baseline"] = "2017"
    (change,) = diff(old, new).records
    assert [(f.path, f.old, f.new) for f in change.fields] == [("baseline", None, "2017")]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_diff_command_exits_as_diff_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edited = orjson.loads(BUNDLED.read_bytes())
    edited["cases"][0]["title_en"] = "Another title"
    other = tmp_path / "other.json"
    other.write_bytes(orjson.dumps(edited))
    assert _run(["diff", str(BUNDLED), str(BUNDLED)], capsys)[0] == 0
    code, out, _ = _run(["diff", str(BUNDLED), str(other)], capsys)
    assert code == 1
    assert "~ case   b5-01  title_en: " in out and '→ "Another title"' in out
    code, out, _ = _run(["diff", str(BUNDLED), str(other), "--format", "csv"], capsys)
    assert code == 1 and out.splitlines()[0] == "kind,id,status,field,old,new,reason"
    assert out.splitlines()[1].startswith("case,b5-01,changed,title_en,")
    code, out, _ = _run(["diff", str(BUNDLED), str(other), "--format", "json"], capsys)
    report = json.loads(out)
    assert code == 1 and report["counts"]["changed"] == 1 and not report["equal"]
    not_json = tmp_path / "notes.txt"
    not_json.write_text("plain words", encoding="utf-8")
    code, _, err = _run(["diff", str(not_json), str(BUNDLED)], capsys)
    assert code == 2 and f"{not_json}: not a JSON dataset file" in err and "Traceback" not in err
    code, _, err = _run(["diff", str(tmp_path / "absent.json"), str(BUNDLED)], capsys)
    assert code == 2 and "absent.json" in err
    written = tmp_path / "changes.csv"
    code, _, err = _run(["diff", str(BUNDLED), str(other), "--format", "csv", "-o", str(written)], capsys)
    assert code == 1 and written.read_text(encoding="utf-8").startswith("kind,id,status")
    code, _, err = _run(["diff", str(BUNDLED), str(other), "-o", str(other)], capsys)
    assert code == 2 and "the new dataset file" in err


def test_changes_prints_the_changelog(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["changes", "--since", "0.6.0"], capsys)
    assert code == 0
    assert out.startswith(f"data {ftz_reforms.data_version} (")
    assert "data 0.7.0 (2026-12-03, from 0.6.0; schema 2.4.0)" in out and "added 65 effects: b5-01-e01" in out
    assert "data 0.6.0" not in out
    code, _, err = _run(["changes", "--since", "0.0.9"], capsys)
    assert code == 2 and "no data version '0.0.9' in the changelog; versions: 0.1.0" in err
    code, out, _ = _run(["changes", "--format", "json"], capsys)
    versions = [entry["data_version"] for entry in json.loads(out)["versions"]]
    assert versions[:7] == ["0.1.0", "0.2.0", "0.3.0", "0.4.0", "0.5.0", "0.6.0", "0.7.0"]


# --- two versions, two names ------------------------------------------------------------------------------


def test_the_package_and_the_data_have_a_version_each(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    assert ftz_reforms.__version__ == version("ftz-reforms")
    assert ftz_reforms.data_version == ftz_reforms.dataset().data.data_version == ftz_reforms.dataset().data_version
    assert ftz_reforms.schema_version == ftz_reforms.dataset().data.schema_version
    assert not hasattr(ftz_reforms, "version"), "one name per version: the old ambiguous one is gone"
    with pytest.raises(SystemExit):
        main(["--version"])
    out = capsys.readouterr().out
    assert out.strip() == (
        f"ftz-reforms {ftz_reforms.__version__} (data {ftz_reforms.data_version}, schema {ftz_reforms.schema_version})"
    )


# --- a release in one command -----------------------------------------------------------------------------


def _verify(folder: Path) -> dict[str, Any]:
    """Every file the checksums list has its digest, every file is listed, and the Data Package is valid."""
    import hashlib

    import frictionless

    listed = dict(
        reversed(line.split("  ", 1)) for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    )
    assert set(listed) == {path.name for path in folder.iterdir()} - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:5]
    return orjson.loads((folder / "datapackage.json").read_bytes())  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def release_bundle(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[bytes], Path]:
    """``export --all`` of the bundled data into a new folder (``release``, alone in its own): what the command
    exited with and said, and the folder. Tests read it, or copy it to start from an earlier bundle."""
    folder = tmp_path_factory.mktemp("bundle") / "release"
    return in_process("export", "--all", "-o", str(folder)), folder


def test_export_all_writes_a_checksummed_valid_bundle(
    release_bundle: tuple[subprocess.CompletedProcess[bytes], Path],
    tmp_path: Path,
    small_copy: Path,
    small_warm_cache: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from ftz_reforms.tables.definitions import DATASET_TABLES

    made, first = release_bundle
    assert made.returncode == 0 and "wrote a release bundle of 46 files" in made.stderr.decode()
    assert [path.name for path in first.parent.iterdir()] == ["release"], "no scratch folder left behind"
    package = _verify(first)
    assert package["version"] == ftz_reforms.data_version and package["licenses"][0]["name"] == "MIT"
    names = {path.name for path in first.iterdir()}
    for table in DATASET_TABLES:
        assert {f"{table}.{fmt}" for fmt in ("csv", "json", "jsonl", "parquet")} <= names
    assert {"dataset.json", "ftz-reforms.db", "ftz-reforms.metadata.json", "changelog.md", "ftz-reforms.xlsx"} <= names
    assert (first / "dataset.json").read_bytes() == BUNDLED.read_bytes()
    assert orjson.loads((first / "changelog.json").read_bytes())["versions"] == ftz_reforms.changes()
    assert orjson.loads((first / "dataset.schema.json").read_bytes()) == ftz_reforms.json_schema("dataset")
    # Run again over the earlier bundle (a copy of it), for three of its cases: replaced whole, nothing of the
    # earlier bundle left.
    folder = tmp_path / "release"
    shutil.copytree(first, folder)
    code, _, _ = _run(["--data", str(small_copy), "export", "--all", "-o", str(folder)], capsys)
    assert code == 0 and _verify(folder)
    assert (folder / "dataset.json").read_bytes() == small_copy.read_bytes()
    assert len(orjson.loads((folder / "cases.json").read_bytes())) == 3
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(["release", small_copy.name, "cache"]), (
        "no scratch folder left behind"
    )


def test_an_import_gets_a_bundle_and_a_changelog_of_its_own(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    casebook = REPO / "tests" / "casebooks" / "batch90" / "casebook.txt"
    imported = tmp_path / "b90.json"
    assert _run(["import", str(casebook), "--batch", "90", "-o", str(imported)], capsys)[0] == 0
    folder = tmp_path / "b90"
    assert _run(["--data", str(imported), "export", "--all", "-o", str(folder)], capsys)[0] == 0
    package = _verify(folder)
    assert package["name"] == "ftz-reforms-import-batch-90" and "licenses" not in package
    (entry,) = orjson.loads((folder / "changelog.json").read_bytes())["versions"]
    data = ftz_reforms.load(imported).data
    assert entry["data_version"] == data.data_version and entry["previous"] is None
    assert {item["id"] for item in entry["added"] if item["kind"] == "case"} == {case.id for case in data.cases}
    assert (folder / "dataset.json").read_bytes() == imported.read_bytes()


def test_a_failed_bundle_leaves_the_folder_as_it_was(
    release_bundle: tuple[subprocess.CompletedProcess[bytes], Path],
    tmp_path: Path,
    small_copy: Path,
    small_warm_cache: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ftz_reforms.release as release

    small = ftz_reforms.load(small_copy)  # another dataset's bundle would replace it: none does
    folder = tmp_path / "release"
    shutil.copytree(release_bundle[1], folder)  # an earlier bundle
    before = {path.name: path.read_bytes() for path in folder.iterdir()}

    def broken(path: Path) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(release, "_digest", broken)
    with pytest.raises(OSError, match="No space left"):
        small.export_all(folder)
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(["release", small_copy.name, "cache"]), (
        "the scratch folder is gone"
    )
    with pytest.raises(OSError):
        small.export_all(tmp_path / "new")
    assert not (tmp_path / "new").exists()


def test_a_folder_of_other_files_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = _run(["export", "--all", "-o", str(folder)], capsys)
    assert code == 2 and "holds files that are not an ftz-reforms release bundle" in err
    assert [path.name for path in folder.iterdir()] == ["notes.txt"]
    code, _, err = _run(["export", "--all"], capsys)
    assert code == 2 and "give it with -o DIR" in err
    code, _, err = _run(["export", "--all", "--table", "metrics", "-o", str(tmp_path / "x")], capsys)
    assert code == 2 and "leave out --table" in err


# --- releases as the build records them -------------------------------------------------------------------


@pytest.mark.slow
def test_a_recorded_release_holds_the_next_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--release`` records the built data as released (dated); the next build with the same records is current,
    and one whose records changed under the released version fails until the version moves."""
    import shutil

    from ftz_reforms.bundling import command

    shutil.copytree(REPO / "sources", tmp_path / "sources")
    assert command.main(["--root", str(tmp_path), "--release"]) == 0
    assert "recorded the release of data" in capsys.readouterr().out
    released = orjson.loads((tmp_path / RELEASED_DATA).read_bytes())
    built = orjson.loads((tmp_path / "src" / "ftz_reforms" / "data" / "dataset.json").read_bytes())
    assert released == built
    log = orjson.loads((tmp_path / RELEASED_CHANGELOG).read_bytes())["versions"]
    assert log[-1]["data_version"] == ftz_reforms.data_version and log[-1]["released"] is not None
    overlay = tmp_path / "sources" / "batch5" / "metrics" / "b5-01.toml"
    text = overlay.read_text(encoding="utf-8")
    overlay.write_text(text.replace('description_en = "', 'description_en = "the ', 1), encoding="utf-8")
    assert command.main(["--root", str(tmp_path), "--check"]) == 2
    assert "set DATA_VERSION" in capsys.readouterr().err


def test_the_backfill_compares_each_release_with_the_one_before() -> None:
    from ftz_reforms.bundling.backfill import Release, backfilled_changelog

    first = {"data_version": "0.1.0", "schema_version": "1.0.0", "cases": [{"id": "b1-01", "title_en": "A"}]}
    second = {
        "data_version": "0.2.0",
        "schema_version": "1.0.0",
        "cases": [{"id": "b1-01", "title_en": "B", "metrics": [{"id": "b1-01-m01", "span": "3天"}]}],
    }
    releases = [
        (Release("0.1.0", "aaaaaaa", "0.1.0", "2026-01-01", "first"), first),
        (Release("0.2.0", "bbbbbbb", "0.2.0", "2026-02-01", "second"), second),
    ]
    entries = backfilled_changelog(releases)["versions"]
    assert entries[0]["added"] == [{"kind": "case", "id": "b1-01"}] and entries[0]["previous"] is None
    assert entries[1]["added"] == [{"kind": "metric", "id": "b1-01-m01"}]
    assert entries[1]["changed"] == [{"kind": "case", "id": "b1-01", "fields": ["title_en"]}]
    assert record_history(entries) == {"b1-01": ("0.1.0", "0.2.0"), "b1-01-m01": ("0.2.0", "0.2.0")}


def test_diff_refuses_what_no_dataset_holds_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"cases":[{"id":"b5-01","title_en":' + '{"a":' * 500 + "1" + "}" * 500 + "}]}", encoding="utf-8")
    deeper = tmp_path / "deeper.json"
    deeper.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    for hostile in (deep, deeper):
        for fmt in ("table", "json", "csv"):
            code, _, err = _run(["diff", str(hostile), str(BUNDLED), "--format", fmt], capsys)
            assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    assert "nested deeper than 32 levels" in _run(["diff", str(deep), str(BUNDLED)], capsys)[2]
    # An id holding a terminal's escape sequence is shown as its escape, never sent to the terminal.
    escaping = tmp_path / "escaping.json"
    escaping.write_text('{"cases":[{"id":"b5-01\\u001b[2J"}]}', encoding="utf-8")
    code, out, _ = _run(["diff", str(escaping), str(BUNDLED)], capsys)
    assert code == 1 and "\x1b" not in out and "b5-01\\x1b[2J" in out


def test_the_command_line_says_when_and_why_an_id_was_withdrawn(capsys: pytest.CaptureFixture[str]) -> None:
    (withdrawn,) = ftz_reforms.withdrawn()
    expected = f"ftz-reforms: {withdrawn.id} was withdrawn in data {withdrawn.data_version}: {withdrawn.reason}\n"
    for argv in (["show", withdrawn.id], ["effects", "--id", withdrawn.id], ["metrics", "--case", "3", "--id", "x"]):
        code, out, err = _run(argv, capsys)
        if argv[0] == "metrics":  # an id no release published is simply not there
            assert code == 1 and "no metric matches" in err
            continue
        assert (code, out, err) == (2, "", expected)
    code, out, _ = _run(["show", "b5-08-m07"], capsys)
    assert code == 0 and out.startswith("b5-08-m07  (outcome 2 of case b5-08") and "1500万元以上" in out
    code, out, _ = _run(["show", "b5-08-e06", "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["restates"] == "b5-08-e03"
    code, out, _ = _run(["effects", "--case", "8", "--distinct", "--format", "csv"], capsys)
    assert code == 0 and "b5-08-e06" not in out and "b5-08-e03" in out
