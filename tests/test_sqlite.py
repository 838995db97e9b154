"""The SQLite export: every table with its keys, JSON arrays, Chinese and English full-text search; and
a real Datasette serving it on a loopback port, searched, faceted and described, then stopped."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

import ftz_reforms
from ftz_reforms import to_sqlite
from ftz_reforms.cli.app import main
from ftz_reforms.model.records import Dataset
from ftz_reforms.retrieval.engine import bundled_index
from ftz_reforms.tables.definitions import DATASET_TABLES


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "ftz.db"
    assert main(["export", "--format", "sqlite", "-o", str(path)]) == 0
    return path


def _rows(path: Path, sql: str, *parameters: object) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql, parameters).fetchall()


def test_every_table_with_its_rows_and_keys(database: Path, data: Dataset) -> None:
    for name, table in DATASET_TABLES.items():
        assert _rows(database, f"select count(*) from {name}")[0][0] == len(ftz_reforms.to_records(name)), name
        info = _rows(database, f"pragma table_info({name})")
        assert [row[1] for row in info] == table.column_names
        assert [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]] == list(table.key)
    assert {row[2] for row in _rows(database, "pragma foreign_key_list(metrics)")} == {"cases"}
    effect_keys = {(row[3], row[2], row[4]) for row in _rows(database, "pragma foreign_key_list(effects)")}
    assert effect_keys == {
        ("case_id", "cases", "case_id"),
        ("before", "metrics", "metric_id"),
        ("after", "metrics", "metric_id"),
        ("change", "metrics", "metric_id"),
    }
    assert _rows(database, "pragma foreign_key_check") == []
    # Every effect's links join: its figures are rows of metrics of its own case.
    orphans = _rows(
        database,
        "select e.effect_id from effects e left join metrics m on m.metric_id in (e.before, e.after, e.change) "
        "group by e.effect_id having count(m.metric_id) = 0 or max(m.case_id <> e.case_id)",
    )
    assert orphans == []
    provinces = _rows(database, "select provinces from cases where case_id = 'b5-02'")[0][0]
    assert json.loads(str(provinces)) == ["CN-CQ", "CN-SC"]


@pytest.mark.parametrize(
    ("index", "query", "found"),
    [
        ("cases_fts", '"退货"', {"b5-01"}),
        ("cases_fts", '"海事"', {"b5-07", "b5-08", "b5-12"}),
        ("cases_fts", "maritime", {"b5-07", "b5-12"}),
    ],
)
def test_two_character_chinese_words_and_english_words_match(
    database: Path, index: str, query: str, found: set[str]
) -> None:
    sql = f"select case_id from cases where rowid in (select rowid from {index} where {index} match ?)"
    assert {row[0] for row in _rows(database, sql, query)} == found


@pytest.mark.parametrize(
    ("query", "word", "column"), [('"海事"', "海事", "text_zh"), ("maritime", "maritime", "text_en")]
)
def test_paragraphs_are_searchable_one_by_one(database: Path, query: str, word: str, column: str) -> None:
    key = "case_id, part, position, paragraph"
    sql = f"select {key} from paragraphs where rowid in (select rowid from paragraphs_fts where paragraphs_fts match ?)"
    holding = {
        (row["case_id"], row["part"], row["position"], row["paragraph"])
        for row in ftz_reforms.to_records("paragraphs")
        if word in (row[column] or "").lower()
    }
    assert {tuple(row) for row in _rows(database, sql, query)} == holding
    assert ("b5-07", "practice", 1, 2) in holding  # the second of case 7's four practice paragraphs


def test_english_words_match_in_any_form(database: Path) -> None:
    sql = "select case_id from cases where rowid in (select rowid from cases_fts where cases_fts match ?)"
    forms = [{row[0] for row in _rows(database, sql, word)} for word in ("supervise", "supervision", "supervised")]
    assert forms[0] and forms[0] == forms[1] == forms[2]


def test_the_trigram_index_finds_longer_substrings(database: Path) -> None:
    found = _rows(database, "select case_id from cases_trigram where cases_trigram match ?", '"海铁联运"')
    assert [row[0] for row in found] == ["b5-04"]


def test_the_python_export_writes_the_same_database(tmp_path: Path, database: Path) -> None:
    metadata = to_sqlite(tmp_path / "again.db")
    assert metadata == tmp_path / "again.metadata.json"
    assert (tmp_path / "again.db").read_bytes() == database.read_bytes()


def test_sqlite_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "sqlite"]) == 2
    assert "give -o PATH" in capsys.readouterr().err


# --- a real Datasette ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


@contextmanager
def _serving(database: Path, metadata: Path | None) -> Iterator[str]:
    """A Datasette serving ``database`` on a free loopback port, stopped on the way out."""
    port = _free_port()
    command = [str(Path(sys.executable).with_name("datasette")), "serve", str(database), "--host", "127.0.0.1"]
    if metadata is not None:
        command += ["--metadata", str(metadata)]
    log = database.with_name(f"datasette-{port}.log")
    with log.open("wb") as output:
        process = subprocess.Popen([*command, "--port", str(port)], stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{base}/-/versions.json")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"datasette did not start: {log.read_text()}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def datasette(database: Path) -> Iterator[str]:
    """Datasette as the export's note says to start it: with the metadata written beside the database."""
    with _serving(database, database.with_name("ftz.metadata.json")) as base:
        yield base


def test_a_plain_datasette_finds_the_chinese_search_on_its_own(database: Path) -> None:
    with _serving(database, None) as base:
        rows = json.loads(_get(f"{base}/ftz/cases.json?_shape=array&_search={urllib.parse.quote('退货')}"))
    assert [row["case_id"] for row in rows] == ["b5-01"]


def _json(url: str) -> object:
    return json.loads(_get(url))


def test_datasette_searches_a_two_character_chinese_word(datasette: str) -> None:
    rows = _json(f"{datasette}/ftz/cases.json?_shape=array&_search={urllib.parse.quote('退货')}")
    assert [row["case_id"] for row in rows] == ["b5-01"]  # type: ignore[index, union-attr]


def test_datasette_searches_an_english_word(datasette: str) -> None:
    rows = _json(f"{datasette}/ftz/cases.json?_shape=array&_search=maritime")
    assert {row["case_id"] for row in rows} == {"b5-07", "b5-12"}  # type: ignore[index, union-attr]
    sections = _json(f"{datasette}/ftz/sections.json?_shape=array&_search={urllib.parse.quote('海事')}&_size=max")
    assert len(sections) == 7  # type: ignore[arg-type]


def test_datasette_facets_on_the_provinces_array(datasette: str, data: Dataset) -> None:
    page = _json(f"{datasette}/ftz/cases.json?_facet_array=provinces&_size=0")
    results = page["facet_results"]  # type: ignore[index]
    facet = results["provinces"] if "provinces" in results else results["results"]["provinces"]
    counts = {item["value"]: item["count"] for item in facet["results"]}
    expected = Counter(zone.iso_code for case in data.cases for zone in case.providers)
    assert counts == dict(expected)


def test_datasette_shows_every_column_description(datasette: str) -> None:
    metadata = _json(f"{datasette}/-/metadata.json")
    tables = metadata["databases"]["ftz"]["tables"]  # type: ignore[index]
    for name, table in DATASET_TABLES.items():
        assert tables[name]["columns"] == {column.name: column.description for column in table.columns}
    assert tables["areas"]["units"] == {"size_km2": "km^2"}
    page = _get(f"{datasette}/ftz/metrics")
    assert "Exact text of the figure with its qualifier and unit." in page


def test_datasette_runs_the_canned_queries_over_the_effects(datasette: str, data: Dataset) -> None:
    cuts = _json(f"{datasette}/ftz/largest_time_cuts.json?_shape=array")
    timed = [
        effect
        for case in data.cases
        for effect in case.effects
        if effect.measure.value in ("processing_time", "waiting_or_transit_time")
        and effect.direction is not None
        and effect.direction.value == "down"
    ]
    assert len(cuts) == len(timed)
    changes = [row["relative_change"] for row in cuts if row["relative_change"] is not None]  # type: ignore[index]
    assert changes == sorted(changes) and changes[0] == -99.33  # 0.29小时, 较2017年压缩99.33%
    saved = _json(f"{datasette}/ftz/money_saved_by_case.json?_shape=array")
    by_case = {row["case_id"]: row["cny_saved"] for row in saved}  # type: ignore[index]
    # 节约成本2.5亿元 (b5-14) is the largest saving stated in money; b5-06 saves 950 + 380 + 7,345,000.
    assert next(iter(by_case)) == "b5-14" and by_case["b5-14"] == 250_000_000
    assert by_case["b5-06"] == 950 + 380 + 7_345_000
    measures = _json(f"{datasette}/ftz/effects_by_measure.json?_shape=array")
    assert sum(row["effects"] for row in measures) == sum(len(case.effects) for case in data.cases)  # type: ignore[index,misc]


# --- an imported dataset: no English, no categories, every export --------------------------------------


def test_an_imported_dataset_exports_everywhere_and_datasette_serves_it(tmp_path: Path) -> None:
    casebook = Path(__file__).parent / "casebooks" / "batch90" / "casebook.txt"
    dataset_file = tmp_path / "b90.json"
    assert main(["import", str(casebook), "--batch", "90", "-o", str(dataset_file)]) == 0
    imported = ftz_reforms.load(dataset_file)
    assert all(case.title_en is None and not case.categories for case in imported.cases())
    database = tmp_path / "b90.db"
    assert main(["--data", str(dataset_file), "export", "--format", "sqlite", "-o", str(database)]) == 0
    assert _rows(database, "select case_id, case_title_en, categories from cases") == [
        ("b90-01", None, "[]"),
        ("b90-02", None, "[]"),
    ]
    for fmt in ("csv", "parquet", "jsonl"):
        target = tmp_path / f"metrics.{fmt}"
        assert (
            main(["--data", str(dataset_file), "export", "--table", "metrics", "--format", fmt, "-o", str(target)]) == 0
        )
        assert target.stat().st_size > 0
    with _serving(database, tmp_path / "b90.metadata.json") as base:
        rows = _json(f"{base}/b90/cases.json?_shape=array&_search={urllib.parse.quote('结算')}")
        assert [row["case_id"] for row in rows] == ["b90-02"]  # type: ignore[index, union-attr]
        assert "The 2 cases of the casebook" in str(_json(f"{base}/-/metadata.json"))


@pytest.mark.parametrize("query", ["出口退货", "船舶监管", "退貨", "海關", "跨境电商出口退货", "海事 maritime"])
def test_the_search_box_reads_chinese_as_people_type_it(datasette: str, query: str) -> None:
    """Unspaced or traditional, a query finds every paragraph that holds its text, and only cases the
    library's own search finds."""
    simplified = bundled_index().simplified(query)
    chinese, _, english = simplified.partition(" ")
    holding = {
        (row["case_id"], row["part"], row["ordinal"], row["paragraph"])
        for row in ftz_reforms.to_records("paragraphs")
        if chinese in row["text_zh"] and english.lower() in (row["text_en"] or "").lower()
    }
    quoted = urllib.parse.quote(query)
    rows = _json(f"{datasette}/ftz/paragraphs.json?_shape=array&_size=max&_search={quoted}")
    found = {(row["case_id"], row["part"], row["ordinal"], row["paragraph"]) for row in rows}  # type: ignore[index, union-attr]
    assert holding and holding <= found, sorted(holding - found)
    cases = _json(f"{datasette}/ftz/cases.json?_shape=array&_size=max&_search={quoted}")
    searched = {hit.id for hit in ftz_reforms.search(query, limit=23)}
    assert {row["case_id"] for row in cases} <= searched  # type: ignore[index, union-attr]


def test_the_search_box_leaves_a_raw_query_and_other_databases_alone(datasette: str, tmp_path: Path) -> None:
    raw = _json(f"{datasette}/ftz/cases.json?_shape=array&_searchmode=raw&_search={urllib.parse.quote('出口退货')}")
    assert raw == [], "raw FTS5 syntax is the user's own"
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as connection, connection:
        connection.execute("create table notes (body text)")
        connection.execute("create virtual table notes_fts using fts5(body, content='notes')")
        connection.execute("insert into notes (body) values ('出口退货')")
        connection.execute("insert into notes_fts (rowid, body) values (1, '出口退货')")
    with _serving(other, None) as base:
        rows = _json(f"{base}/other/notes.json?_shape=array&_search={urllib.parse.quote('出口退货')}")
    assert [row["body"] for row in rows] == ["出口退货"]  # type: ignore[index]
