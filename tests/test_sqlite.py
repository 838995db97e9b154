"""The SQLite export: every table with its keys, JSON arrays, Chinese and English full-text search; and
a real Datasette serving it on a loopback port, searched, faceted and described, then stopped."""

from __future__ import annotations

import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest

import ftz_reforms
from ftz_reforms import to_sqlite
from ftz_reforms.cli.app import main
from ftz_reforms.datasette_plugin import LARGEST_VALUE, reader_from
from ftz_reforms.model.records import Dataset
from ftz_reforms.retrieval.engine import bundled_index
from ftz_reforms.tables.definitions import DATASET_TABLES
from ftz_reforms.tables.sqlite import FACET_SIZE, QUERY_READING_TABLE
from tests.browser import Browser


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
        assert sorted(row[1] for row in info) == sorted(table.column_names)
        assert [row[1] for row in info] == [column.name for column in table.reading_order]
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
        # A case's sections are searched too: b5-04 and b5-08 say maritime only there.
        ("cases_fts", "maritime", {"b5-04", "b5-07", "b5-08", "b5-12"}),
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
def _serving(database: Path, metadata: Path | None, *others: Path, base_url: str | None = None) -> Iterator[str]:
    """A Datasette serving ``database`` (and ``others``) on a free loopback port, stopped on the way out."""
    port = _free_port()
    datasette = str(Path(sys.executable).with_name("datasette"))
    command = [datasette, "serve", str(database), *map(str, others), "--host", "127.0.0.1"]
    if base_url is not None:
        command += ["--setting", "base_url", base_url]
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


@pytest.fixture(scope="module")
def plain_datasette(database: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One Datasette started as a user starts it on databases of their own, no metadata, no setting: the export,
    another program's database with a full-text index (``other``), and databases of other programs with a
    table named as the plugin's reading table, malformed (``_READING_TABLES``) or well formed (``well_formed``)."""
    folder = tmp_path_factory.mktemp("plain")
    other = folder / "other.db"
    with closing(sqlite3.connect(other)) as connection, connection:
        # content="notes" in double quotes: how Datasette finds a table's full-text index.
        connection.execute("create table notes (body text)")
        connection.execute('create virtual table notes_fts using fts5(body, content="notes")')
        connection.executemany("insert into notes (rowid, body) values (?, ?)", [(1, "出口退货"), (2, "进口")])
        connection.executemany("insert into notes_fts (rowid, body) values (?, ?)", [(1, "出口退货"), (2, "进口")])
    foreign = [_foreign_database(folder / f"{name}.db", rows) for name, rows in _READING_TABLES.items()]
    well_formed = _foreign_database(folder / "well_formed.db", [("dictionary", _WORDS), ("traditional", _TRADITIONAL)])
    with _serving(database, None, other, well_formed, *foreign) as base:
        yield base


@pytest.mark.slow
def test_a_plain_datasette_finds_the_chinese_search_on_its_own(plain_datasette: str) -> None:
    rows = json.loads(_get(f"{plain_datasette}/ftz/cases.json?_shape=array&_search={urllib.parse.quote('退货')}"))
    assert [row["case_id"] for row in rows] == ["b5-01"]


@pytest.mark.slow
def test_the_search_box_reads_chinese_under_a_base_url(database: Path) -> None:
    """Behind a proxy at /ftz-data/, Datasette's base_url: the plugin finds the database after the prefix."""
    query = urllib.parse.quote("出口退货")
    with _serving(database, None, base_url="/ftz-data/") as base:
        for path in ("/ftz-data/ftz", "/ftz"):
            rows = json.loads(_get(f"{base}{path}/cases.json?_shape=array&_search={query}"))
            assert [row["case_id"] for row in rows] == ["b5-01"], path


def _json(url: str) -> object:
    return json.loads(_get(url))


@pytest.mark.slow
def test_datasette_searches_a_two_character_chinese_word(datasette: str) -> None:
    rows = _json(f"{datasette}/ftz/cases.json?_shape=array&_search={urllib.parse.quote('退货')}")
    assert [row["case_id"] for row in rows] == ["b5-01"]  # type: ignore[index, union-attr]


def _english(case: Any) -> str:
    sections = [*case.practices, *case.outcomes]
    return " ".join([case.title_en or "", case.summary_en or ""] + [f"{s.heading_en} {s.text_en}" for s in sections])


@pytest.mark.slow
def test_datasette_searches_an_english_word(datasette: str, data: Dataset) -> None:
    # The cases table searches what a case says in its sections too, not only its title and summary.
    rows = _json(f"{datasette}/ftz/cases.json?_shape=array&_search=maritime")
    expected = {case.id for case in data.cases if re.search(r"\bmaritime\b", _english(case), re.I)}
    assert {row["case_id"] for row in rows} == expected and len(expected) > 2  # type: ignore[index, union-attr]
    found = _json(f"{datasette}/ftz/cases.json?_shape=array&_search={urllib.parse.quote('returned goods')}")
    assert "b5-01" in [row["case_id"] for row in found]  # type: ignore[index, union-attr]
    sections = _json(f"{datasette}/ftz/sections.json?_shape=array&_search={urllib.parse.quote('海事')}&_size=max")
    assert len(sections) == 7  # type: ignore[arg-type]


@pytest.mark.slow
def test_the_effects_and_metrics_pages_open_on_the_columns_people_read(database: Path, datasette: str) -> None:
    """Datasette shows a table's columns in the database's order: the spans and the relative change of an
    effect, the span and value of a metric, before the titles and provinces every row repeats."""
    effects = [row[1] for row in _rows(database, "pragma table_info(effects)")]
    assert effects.index("relative_change") < effects.index("case_title_zh")
    assert effects.index("before_span") < effects.index("provinces") < effects.index("before")
    metrics = [row[1] for row in _rows(database, "pragma table_info(metrics)")]
    assert metrics[:3] == ["metric_id", "case_id", "span"] and metrics.index("value") < metrics.index("case_title_zh")
    # Every other format keeps the order of the definition, which CSV readers already know.
    assert list(ftz_reforms.to_records("effects")[0])[:3] == ["case_id", "case_title_zh", "case_title_en"]
    page = _get(f"{datasette}/ftz/effects")
    headers = re.findall(r'<th [^>]*data-column="([^"]+)"', page)
    assert headers.index("after_span") < headers.index("case_title_zh")
    assert "sorted by effect_id" in page and re.search(r'class="col-effect_id[^"]*"><a href="[^"]*">b5-01-e01<', page)


@pytest.mark.slow
def test_the_search_box_keeps_what_was_typed_and_says_how_it_read_it(datasette: str) -> None:
    """Nothing rewrites the request: the box shows the traditional, unspaced query as typed, and the page
    says which words the index was searched for."""
    page = _get(f"{datasette}/ftz/cases?_search={urllib.parse.quote('出口退貨')}")
    assert 'name="_search" value="出口退貨"' in page
    assert "the box read it as &#34;出口&#34; &#34;退货&#34;" in page
    assert re.search(r'class="col-case_id[^"]*"><a href="[^"]*">b5-01<', page)
    column = _get(f"{datasette}/ftz/sections?_search_text_zh={urllib.parse.quote('海關')}")
    assert "the box read it as &#34;海关&#34;" in column
    # A query the reading leaves as it is (English), raw mode, a table without an index: nothing to say.
    for url in ("cases?_search=maritime", f"cases?_searchmode=raw&_search={urllib.parse.quote('退货')}",
                "metrics?_search=maritime"):  # fmt: skip
        assert "the box read it as" not in _get(f"{datasette}/ftz/{url}"), url


@pytest.mark.slow
def test_datasette_facets_on_the_provinces_array(datasette: str, data: Dataset) -> None:
    page = _json(f"{datasette}/ftz/cases.json?_facet_array=provinces&_size=0&_facet_size=max")
    results = page["facet_results"]  # type: ignore[index]
    facet = results["provinces"] if "provinces" in results else results["results"]["provinces"]
    counts = {item["value"]: item["count"] for item in facet["results"]}
    expected = Counter(zone.iso_code for case in data.cases for zone in case.providers)
    assert counts == dict(expected)


@pytest.mark.slow
def test_table_pages_open_with_the_facets_readers_filter_by(datasette: str, data: Dataset) -> None:
    opening = _json(f"{datasette}/ftz/effects.json?_size=0")["facet_results"]  # type: ignore[index]
    opening = opening.get("results", opening)
    assert len(opening["measure"]["results"]) == FACET_SIZE and opening["measure"]["truncated"]
    page = _json(f"{datasette}/ftz/effects.json?_size=0&_facet_size=max")
    results = page["facet_results"]  # type: ignore[index]
    results = results.get("results", results)
    assert {"province_names_en", "measure", "direction"} <= set(results)
    measures = {item["value"]: item["count"] for item in results["measure"]["results"]}
    assert measures == dict(Counter(effect.measure.value for case in data.cases for effect in case.effects))
    provinces = {item["value"]: item["count"] for item in results["province_names_en"]["results"]}
    assert provinces["Guangdong"] == len(ftz_reforms.effects(province="Guangdong"))
    cases = _json(f"{datasette}/ftz/cases.json?_size=0")["facet_results"]  # type: ignore[index]
    assert {"province_names_en", "categories"} <= set(cases.get("results", cases))


@pytest.mark.slow
def test_table_pages_show_numbers_and_booleans_as_people_read_them(datasette: str) -> None:
    page = _get(f"{datasette}/ftz/metrics?metric_id=b5-01-m01")
    assert "50,000,000" in page and "50000000.0" not in page
    effects = _get(f"{datasette}/ftz/effects?effect_id=b5-08-e07")
    assert re.search(r'class="col-consistent[^"]*">yes<', effects) and re.search(
        r'class="col-curated[^"]*">yes<', effects
    )
    percent = _get(f"{datasette}/ftz/effects?effect_id=b5-08-e02")
    assert re.search(r'class="col-relative_change [^"]*">-73\.2%<', percent), "−73.1959 rounded, signed"
    # What a program reads stays the stored value.
    (row,) = _json(f"{datasette}/ftz/metrics.json?_shape=array&metric_id=b5-01-m01")  # type: ignore[misc]
    assert row["value"] == 50000000.0  # type: ignore[index]


@pytest.mark.slow
def test_datasette_shows_every_column_description(datasette: str) -> None:
    metadata = _json(f"{datasette}/-/metadata.json")
    tables = metadata["databases"]["ftz"]["tables"]  # type: ignore[index]
    for name, table in DATASET_TABLES.items():
        assert tables[name]["columns"] == {column.name: column.description for column in table.columns}
    assert tables["areas"]["units"] == {"size_km2": "km^2"}
    page = _get(f"{datasette}/ftz/metrics")
    assert "Exact text of the figure with its qualifier and unit." in page
    # ... folded under one line by the plugin's script, on the export's table pages only.
    assert 'querySelector("dl.column-descriptions")' in page
    assert 'querySelector("dl.column-descriptions")' not in _get(f"{datasette}/ftz/largest_time_cuts")


@pytest.mark.slow
def test_datasette_runs_the_canned_queries_over_the_effects(datasette: str, data: Dataset) -> None:
    cuts = _json(f"{datasette}/ftz/largest_time_cuts.json?_shape=array")
    timed = [
        effect
        for case in data.cases
        for effect in case.effects
        if effect.measure.value in ("processing_time", "waiting_or_transit_time")
        and effect.direction is not None
        and effect.direction.value == "down"
        and effect.restates is None  # a cut the text states twice is listed once
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
    distinct = sum(1 for case in data.cases for effect in case.effects if effect.restates is None)
    assert sum(row["effects"] for row in measures) == distinct  # type: ignore[index,misc]


# --- an imported dataset: no English, no categories, every export --------------------------------------


@pytest.fixture(scope="module")
def imported_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The invented batch 90 imported on the command line (``b90.json``) and exported as a database beside it."""
    folder = tmp_path_factory.mktemp("imported")
    casebook = Path(__file__).parent / "casebooks" / "batch90" / "casebook.txt"
    dataset_file = folder / "b90.json"
    assert main(["import", str(casebook), "--batch", "90", "-o", str(dataset_file)]) == 0
    database = folder / "b90.db"
    assert main(["--data", str(dataset_file), "export", "--format", "sqlite", "-o", str(database)]) == 0
    return database


def test_an_imported_dataset_exports_everywhere(imported_database: Path, tmp_path: Path) -> None:
    dataset_file = imported_database.with_suffix(".json")
    imported = ftz_reforms.load(dataset_file)
    assert all(case.title_en is None and not case.categories for case in imported.cases())
    assert _rows(imported_database, "select case_id, case_title_en, categories from cases") == [
        ("b90-01", None, "[]"),
        ("b90-02", None, "[]"),
    ]
    for fmt in ("csv", "parquet", "jsonl"):
        target = tmp_path / f"metrics.{fmt}"
        assert (
            main(["--data", str(dataset_file), "export", "--table", "metrics", "--format", fmt, "-o", str(target)]) == 0
        )
        assert target.stat().st_size > 0


@pytest.mark.slow
def test_datasette_serves_an_imported_dataset(imported_database: Path) -> None:
    with _serving(imported_database, imported_database.with_name("b90.metadata.json")) as base:
        rows = _json(f"{base}/b90/cases.json?_shape=array&_search={urllib.parse.quote('结算')}")
        assert [row["case_id"] for row in rows] == ["b90-02"]  # type: ignore[index, union-attr]
        assert "The 2 cases of the casebook" in str(_json(f"{base}/-/metadata.json"))


@pytest.mark.parametrize("query", ["出口退货", "船舶监管", "退貨", "海關", "跨境电商出口退货", "海事 maritime"])
@pytest.mark.slow
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


@pytest.mark.slow
def test_the_search_box_leaves_a_raw_query_and_other_databases_alone(datasette: str, plain_datasette: str) -> None:
    raw = _json(f"{datasette}/ftz/cases.json?_shape=array&_searchmode=raw&_search={urllib.parse.quote('出口退货')}")
    assert raw == [], "raw FTS5 syntax is the user's own"
    # Another program's database, served beside the export: its index is searched as Datasette searches it.
    rows = _json(f"{plain_datasette}/other/notes.json?_shape=array&_search={urllib.parse.quote('出口退货')}")
    assert [row["body"] for row in rows] == ["出口退货"]  # type: ignore[index]


# --- another program's reading table ---------------------------------------------------------------

_WORDS = json.dumps({"frequencies": {"出口": 10, "退货": 10}, "total": 100}, ensure_ascii=False)
_TRADITIONAL = json.dumps({"貨": "货"}, ensure_ascii=False)
_READING_TABLES: dict[str, list[tuple[object, object]] | None] = {
    "not_json": [("dictionary", "{oops"), ("traditional", _TRADITIONAL)],
    "dictionary_a_list": [("dictionary", "[]"), ("traditional", _TRADITIONAL)],
    "frequencies_a_list": [("dictionary", '{"frequencies": [], "total": 1}'), ("traditional", _TRADITIONAL)],
    "frequency_a_string": [("dictionary", '{"frequencies": {"出口": "x"}, "total": 9}'), ("traditional", _TRADITIONAL)],
    "frequency_a_fraction": [
        ("dictionary", '{"frequencies": {"出口": 1.5}, "total": 9}'),
        ("traditional", _TRADITIONAL),
    ],
    "frequency_minus_infinity": [
        ("dictionary", '{"frequencies": {"出口": -1e400}, "total": 9}'),
        ("traditional", _TRADITIONAL),
    ],
    "frequency_nan": [("dictionary", '{"frequencies": {"出口": NaN}, "total": NaN}'), ("traditional", _TRADITIONAL)],
    "total_a_string": [("dictionary", '{"frequencies": {"出口": 1}, "total": "9"}'), ("traditional", _TRADITIONAL)],
    "total_zero": [("dictionary", '{"frequencies": {"出口": 1}, "total": 0}'), ("traditional", _TRADITIONAL)],
    "total_true": [("dictionary", '{"frequencies": {"出口": 1}, "total": true}'), ("traditional", _TRADITIONAL)],
    "total_of_5000_digits": [
        ("dictionary", '{"frequencies": {"出口": 1}, "total": ' + "1" * 5000 + "}"),
        ("traditional", _TRADITIONAL),
    ],
    "traditional_a_list": [("dictionary", _WORDS), ("traditional", "[]")],
    "traditional_two_characters": [("dictionary", _WORDS), ("traditional", '{"貨貨": "货"}')],
    "traditional_to_a_negative_number": [("dictionary", _WORDS), ("traditional", '{"貨": -1}')],
    "traditional_beyond_unicode": [("dictionary", _WORDS), ("traditional", '{"貨": 1114112}')],
    "traditional_to_a_lone_surrogate": [("dictionary", _WORDS), ("traditional", '{"貨": "\\ud800"}')],
    "value_an_integer": [("dictionary", 5), ("traditional", _TRADITIONAL)],
    "value_null": [("dictionary", None), ("traditional", _TRADITIONAL)],
    "value_a_blob": [("dictionary", _WORDS.encode()), ("traditional", _TRADITIONAL.encode())],
    "name_null": [(None, _WORDS), ("traditional", _TRADITIONAL)],
    "a_row_missing": [("dictionary", _WORDS)],
    "a_row_twice": [("dictionary", _WORDS), ("traditional", _TRADITIONAL), ("traditional", _TRADITIONAL)],
    "no_rows": [],
    "nested_100000_deep": [("dictionary", "[" * 100_000 + "]" * 100_000), ("traditional", _TRADITIONAL)],
    "a_word_of_100000_characters": [
        ("dictionary", json.dumps({"frequencies": {"出" * 100_000: 1}, "total": 9})),
        ("traditional", _TRADITIONAL),
    ],
    "a_value_too_long": [
        ("dictionary", json.dumps({"frequencies": {"出口": 1}, "total": 9, "more": "x" * LARGEST_VALUE})),
        ("traditional", _TRADITIONAL),
    ],
    "other_columns": None,
}


def _foreign_database(path: Path, rows: list[tuple[object, object]] | None) -> Path:
    """A database of another program's, with a table named as the plugin's reading table: two notes that
    Datasette searches, indexed as the export indexes Chinese (cut into words)."""
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("create table notes (body text)")
        connection.execute('create virtual table notes_fts using fts5(body, content="notes")')
        connection.executemany("insert into notes (rowid, body) values (?, ?)", [(1, "出口退货"), (2, "进口")])
        connection.executemany("insert into notes_fts (rowid, body) values (?, ?)", [(1, "出口 退货"), (2, "进口")])
        if rows is None:
            connection.execute(f"create table {QUERY_READING_TABLE} (word text, weight text)")
            connection.execute(f"insert into {QUERY_READING_TABLE} values ('dictionary', ?)", (_WORDS,))
        else:
            connection.execute(f"create table {QUERY_READING_TABLE} (name, value)")
            connection.executemany(f"insert into {QUERY_READING_TABLE} values (?, ?)", rows)
    return path


def _status_and_rows(url: str) -> tuple[int, object]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return int(response.status), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@pytest.mark.slow
def test_another_programs_reading_table_leaves_its_database_to_datasette(plain_datasette: str) -> None:
    """A database whose reading table the plugin cannot use is searched as Datasette searches it without
    the plugin, never an error 500: 出口 finds its note, 退貨 and 出口退货 are not read (nothing); in the same
    Datasette, a well-formed reading table is read (出口退貨 finds the note)."""
    note = [{"rowid": 1, "body": "出口退货"}]
    for name in _READING_TABLES:
        for query, found in (("出口", note), ("退貨", []), ("出口退货", [])):
            url = f"{plain_datasette}/{name}/notes.json?_shape=array&_search={urllib.parse.quote(query)}"
            assert _status_and_rows(url) == (200, found), (name, query)
    for query in ("出口", "退貨", "出口退货", "出口退貨"):
        url = f"{plain_datasette}/well_formed/notes.json?_shape=array&_search={urllib.parse.quote(query)}"
        assert _status_and_rows(url) == (200, note), query


def test_only_a_reading_table_as_the_export_writes_it_is_read(database: Path) -> None:
    with closing(sqlite3.connect(database)) as connection:
        rows = connection.execute(f"select name, value from {QUERY_READING_TABLE}").fetchall()
    reader = reader_from(rows)
    assert reader is not None and reader.read("跨境電商出口退貨") == "跨境 电商 跨境电商 出口 退货"
    for name, malformed in _READING_TABLES.items():
        assert reader_from(malformed or [("word", "weight")]) is None, name


# --- in a real browser ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_browser_opens_a_table_page_on_its_rows(datasette: str, page: Browser) -> None:
    """In Chromium the column descriptions are one line, a click away, above the rows."""
    page.open(f"{datasette}/ftz/effects")
    dom = page.evaluate("document.documentElement.outerHTML")
    folded = re.search(
        r"<details><summary>What each of the (\d+) columns holds</summary><dl class=\"column-descriptions\">", dom
    )
    assert folded and int(folded.group(1)) == len(DATASET_TABLES["effects"].columns)
    assert dom.index("</details>") < dom.index('data-column="relative_change"')
