"""One dataset class: the bundled data and any dataset file are a Collection with the same queries, the
module-level functions are the bundled collection's methods, records load once, citations come from the
data, and a loaded file's catalogue and search index are built once and cached, never trusted when stale."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pytest

import ftz_reforms
from ftz_reforms import collection as collection_module
from ftz_reforms._lazy import Lazy
from ftz_reforms._paths import DATA_DIRECTORY
from ftz_reforms.casebook import parse_casebook
from ftz_reforms.collection import Collection, load
from ftz_reforms.errors import ArgumentError, DatasetFileError, FileAccessError, StaleIndexError
from ftz_reforms.model.records import Dataset
from ftz_reforms.retrieval import engine
from ftz_reforms.retrieval.index_format import INDEX_FILE, INDEX_FORMAT, checked_index
from ftz_reforms.store import DATA_FILE
from tests.helpers import cache_entry

# --- one class, one API ---------------------------------------------------------------------------------


def test_the_bundled_data_and_a_file_are_one_class(bundled_copy: Path) -> None:
    assert type(ftz_reforms.dataset()) is type(load(bundled_copy)) is Collection
    assert ftz_reforms.dataset() is ftz_reforms.dataset()


_BUNDLED_QUERIES = [name for name, home in ftz_reforms._LAZY.items() if home == ftz_reforms._BUNDLED]


@pytest.mark.parametrize("name", _BUNDLED_QUERIES)
def test_every_module_level_query_is_the_bundled_collections_method(name: str) -> None:
    function = getattr(ftz_reforms, name)
    assert function.__self__ is ftz_reforms.dataset()
    assert function.__func__ is getattr(Collection, name)


def _typed_names() -> set[str]:
    """The names ``ftz_reforms/__init__.py`` gives type checkers under ``if TYPE_CHECKING:``."""
    import ast

    tree = ast.parse(Path(ftz_reforms.__file__).read_text(encoding="utf-8"))
    (block,) = [node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"]
    names: set[str] = set()
    for node in block.body:
        if isinstance(node, ast.ImportFrom):
            names |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Assign):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    return names - {"_bundled"}


def test_the_public_names_are_one_list_held_in_three_places() -> None:
    """What runs (the lazy table), what type checkers see (TYPE_CHECKING) and what ``import *`` and ``dir``
    give (``__all__``, a literal so that type checkers read it) name the same things, and each resolves."""
    served = set(ftz_reforms._LAZY)
    assert _typed_names() == served
    assert set(ftz_reforms.__all__) == served | {"__version__", "data_version", "schema_version"}
    assert len(set(ftz_reforms.__all__)) == len(ftz_reforms.__all__)
    assert dir(ftz_reforms) == sorted(ftz_reforms.__all__)
    for name in ftz_reforms.__all__:
        assert getattr(ftz_reforms, name) is not None, name
    for private in ("Any", "TYPE_CHECKING", "annotations", "DATA_VERSION", "SCHEMA_VERSION"):
        assert private not in dir(ftz_reforms), private


def test_a_file_of_the_bundled_data_answers_every_query_as_the_bundled_data_does(
    bundled_copy: Path, warm_cache: Path
) -> None:
    bundled, loaded = ftz_reforms.dataset(), load(bundled_copy)
    assert loaded.cases() == bundled.cases() and len(loaded) == len(bundled) == 23
    assert loaded.get(17) == bundled.get("b5-17")
    for filters in ({"unit": "CNY", "role": "change"}, {"case": 8, "distinct": True}, {"min_value": 1e8}):
        assert loaded.metrics(**filters) == bundled.metrics(**filters)  # type: ignore[arg-type]
    for case_filters in ({"province": "Hebei"}, {"area": "青岛片区"}, {"category": "tax"}, {"text": "網絡貨運"}):
        assert loaded.filter_ids(**case_filters) == bundled.filter_ids(**case_filters)  # type: ignore[arg-type]
        assert loaded.filter_cases(**case_filters) == bundled.filter_cases(**case_filters)  # type: ignore[arg-type]
        assert loaded.listing(**case_filters) == bundled.listing(**case_filters)  # type: ignore[arg-type]
    for query in ("退货", "海關", "credit supervision", "台湾同胞职业资格认可"):
        ours = [(hit.id, hit.score, hit.snippet, hit.matched_terms) for hit in loaded.search(query, limit=5)]
        assert ours == [(hit.id, hit.score, hit.snippet, hit.matched_terms) for hit in bundled.search(query, limit=5)]
    assert loaded.zones() == bundled.zones() and loaded.zone("CN-GD") == bundled.zone("广东自贸区")
    assert loaded.areas(zone="Sichuan") == bundled.areas(zone="四川") and loaded.area("Nansha Area").name_zh
    for table in ("cases", "sections", "paragraphs", "metrics", "zones", "areas"):
        assert loaded.to_records(table) == bundled.to_records(table), table
    assert loaded.export("metrics", "csv") == bundled.export("metrics", "csv")
    assert loaded.cite(17) == bundled.cite("b5-17")


def test_a_hit_finds_its_case_in_the_collection_it_came_from(bundled_copy: Path, warm_cache: Path) -> None:
    loaded = load(bundled_copy)
    hit = loaded.search("退货")[0]
    assert hit.case is loaded.get(hit.id)
    assert ftz_reforms.search("退货")[0].case is ftz_reforms.get(hit.id)
    assert hit.case is not ftz_reforms.get(hit.id), "each collection has records of its own"


def test_filters_give_cases_and_ids_never_bare_numbers() -> None:
    cases = ftz_reforms.filter_cases(province="Hebei")
    assert [case.id for case in cases] == list(ftz_reforms.filter_ids(province="Hebei")) == ["b5-12", "b5-14"]
    assert all(isinstance(case, ftz_reforms.Case) for case in cases)


def test_an_unknown_filter_name_is_refused_naming_the_filters() -> None:
    with pytest.raises(ftz_reforms.FilterError, match="no filter 'provice'; filters: province, area"):
        ftz_reforms.filter_ids(provice="Hebei")  # type: ignore[call-arg]
    with pytest.raises(ftz_reforms.FilterError, match="no metric filter 'minimum'"):
        ftz_reforms.metrics(minimum=3)  # type: ignore[call-arg]


def test_the_records_load_once_whatever_the_threads() -> None:
    fresh = collection_module._bundled_collection()
    seen: list[int] = []
    barrier = threading.Barrier(8)

    def read() -> None:
        barrier.wait()
        seen.append(id(fresh.data))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8 and len(set(seen)) == 1


def test_a_lazy_value_is_made_once_whatever_the_threads() -> None:
    """What the bundled data, its index, the bundled collection and a collection's parts are read through."""
    made: list[object] = []

    def make() -> object:
        time.sleep(0.05)  # long enough for every thread to find the value not made yet
        made.append(object())
        return made[-1]

    lazy = Lazy(make)
    barrier = threading.Barrier(8)
    seen: list[object] = []

    def read() -> None:
        barrier.wait()
        seen.append(lazy.get())

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1 and seen == made * 8
    assert lazy.get() is made[0] and Lazy.of(made[0]).get() is made[0]


def test_the_bundled_load_makes_exactly_the_records_validation_makes(data: Dataset) -> None:
    validated = Dataset.model_validate_json((DATA_DIRECTORY / DATA_FILE).read_bytes())
    assert data == validated
    for ours, theirs in zip(data.cases, validated.cases):
        assert ours.model_dump() == theirs.model_dump()
        assert type(ours.metrics) is tuple and type(ours.metrics[0].unit) is type(theirs.metrics[0].unit)


def test_versions_and_source_metadata(data: Dataset) -> None:
    assert data.data_version == ftz_reforms.data_version == ftz_reforms.dataset().data_version
    assert data.schema_version == ftz_reforms.schema_version
    assert data.source.batch == 5
    assert data.source.page_start <= data.cases[0].source.page_start
    assert data.source.page_end == data.cases[-1].source.page_end


def test_import_is_lazy_and_the_bundled_load_builds_no_validator() -> None:
    code = (
        "import sys, ftz_reforms\n"
        "heavy = [m for m in ('jieba', 'pydantic', 'ftz_reforms.casebook.parser', 'ftz_reforms.model.schema',"
        " 'ftz_reforms.collection') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "hits = ftz_reforms.search('退货')\n"
        "assert 'pydantic' not in sys.modules, 'a search loads no records'\n"
        "case = ftz_reforms.get(17)\n"
        "from ftz_reforms.model.records import Dataset\n"
        "assert type(Dataset.__pydantic_validator__).__name__ == 'MockValSer', 'a validator was built'\n"
        "assert 'jieba' not in sys.modules and 'ftz_reforms.bundling' not in sys.modules\n"
        "assert callable(ftz_reforms.parse_casebook)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        _ = ftz_reforms.no_such_thing  # type: ignore[attr-defined]


# --- citations ----------------------------------------------------------------------------------------


def test_a_case_cites_its_own_batchs_document_through_its_dataset(data: Dataset) -> None:
    text = ftz_reforms.cite(17)
    assert data.source.title_en is not None and data.source.title_en in text
    assert "case 17 [b5-17]" in text and text == ftz_reforms.get(17).citation(data.source)


def test_an_edited_copy_still_cites() -> None:
    edited = ftz_reforms.get(17).model_copy(update={"title_en": "An Edited Title"})
    assert "An Edited Title" in ftz_reforms.cite(edited)


def test_a_case_of_no_document_refuses_naming_the_remedy(source_text: str, data: Dataset) -> None:
    parsed = parse_casebook(source_text, batch=5, first_page=5)[16]
    with pytest.raises(ArgumentError, match=r"b5-17 does not carry its source document.*ftz_reforms\.cite\(case\)"):
        parsed.citation()
    other = data.source.model_copy(update={"title_en": "Another Casebook", "title_zh": "另一本案例集"})
    assert "Another Casebook (另一本案例集), case 17 [b5-17]" in parsed.citation(other)
    stranger = parsed.model_copy(update={"batch": 9, "id": "b9-17"})
    with pytest.raises(ArgumentError, match="b9-17 is of batch 9, and this dataset holds no document of that batch"):
        ftz_reforms.cite(stranger)
    with pytest.raises(ArgumentError, match="not of the batch 5 document"):
        stranger.citation(data.source)


def test_a_copy_of_the_data_under_another_title_cites_that_title(data: Dataset) -> None:
    other_source = data.source.model_copy(update={"title_en": "A Copy Under Another Title"})
    copy = Collection.of(Dataset.model_validate({**data.model_dump(), "sources": [other_source.model_dump()]}))
    assert "A Copy Under Another Title" in copy.cite(1)
    assert data.source.title_en in ftz_reforms.cite(1), "the bundled case keeps its own document"


# --- a loaded file: validated once, its catalogue and index cached ----------------------------------------


def test_a_file_is_validated_once_then_read_from_the_cache(small_copy: Path, own_cache: Path, monkeypatch) -> None:
    first = load(small_copy)
    entry = cache_entry(own_cache, small_copy)
    assert (entry / "catalogue.json").is_file() and not (entry / "index.json").exists()

    def refuse(*_: object) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr("ftz_reforms.validate.read_dataset", refuse)
    again = load(small_copy)
    assert again.cases() == first.cases(), "records made from the cache's word equal the validated ones"
    assert again.search("退货")[0].id == "b5-01" and (entry / "index.json").is_file()


def test_queries_that_need_no_index_never_build_one(bundled_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("an index was built")

    monkeypatch.setattr(collection_module, "_built_index_file", refuse)
    loaded = load(bundled_copy)
    assert loaded.filter_ids(province="Hebei") == ("b5-12", "b5-14")
    assert len(loaded.listing()) == 23 and loaded.get(3).id == "b5-03"
    assert loaded.metrics(case=1) and loaded.to_records("areas") and loaded.zone("CN-HI")
    with pytest.raises(AssertionError, match="an index was built"):
        loaded.search("退货")


def test_a_changed_file_is_validated_again(bundled_copy: Path) -> None:
    load(bundled_copy)
    raw = json.loads(bundled_copy.read_bytes())
    raw["cases"][0]["number"] = "one"
    bundled_copy.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DatasetFileError, match=r"\$\.cases\[0\]\.number"):
        load(bundled_copy)


def _authentic(cache: Path, entry: Path, name: str, payload: bytes) -> None:
    """Write ``payload`` as the cache itself would (under its key): what only a stale layout or a bug of ours
    could leave there."""
    from ftz_reforms.store.cache import cache_folder

    sha256 = entry.name
    folder = cache_folder(
        "datasets", ftz_reforms.__version__, sha256, context=f"dataset {sha256} ftz-reforms {ftz_reforms.__version__}"
    )
    assert folder is not None and folder.directory == entry
    folder.write(name, payload)
    assert folder.read(name) == payload


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda index: b"{not json", id="damaged"),
        pytest.param(lambda index: b"[" * 100_000 + b"]" * 100_000, id="nested-100000-deep"),
        pytest.param(lambda index: orjson.dumps({**index, "text": {}}), id="wrong-shape"),
        pytest.param(lambda index: orjson.dumps({**index, "format": INDEX_FORMAT - 1}), id="older-format"),
        pytest.param(lambda index: orjson.dumps({**index, "dataset_sha256": "0" * 64}), id="foreign"),
        pytest.param(lambda index: orjson.dumps({**index, "data_version": "0.0.1"}), id="other-data"),
    ],
)
def test_a_stale_foreign_or_damaged_cached_index_is_rebuilt_never_trusted(
    small_copy: Path, small_warm_cache: Path, damage
) -> None:
    from ftz_reforms.store.cache import MAGIC

    entry = cache_entry(small_warm_cache, small_copy)
    good = (entry / "index.json").read_bytes()
    assert good.startswith(MAGIC)
    index = orjson.loads(good[len(MAGIC) + 32 :])
    # A lie a trusted index would repeat: every hit becomes a case the file does not hold.
    index["catalogue"]["cases"][0]["id"] = "b5-23"
    _authentic(small_warm_cache, entry, "index.json", damage(index))
    assert load(small_copy).search("退货")[0].id == "b5-01"
    assert (entry / "index.json").read_bytes() == good, "the rebuilt index replaced the stale one"


def test_a_cache_that_cannot_be_written_only_costs_time(small_copy: Path, tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "a-file-not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("FTZ_REFORMS_CACHE_DIR", str(blocker))
    assert load(small_copy).search("退货")[0].id == "b5-01"
    monkeypatch.setenv("FTZ_REFORMS_CACHE_DIR", "")
    assert load(small_copy).filter_ids(province="Hebei") == ("b5-12", "b5-14")


def test_a_file_not_in_the_records_own_form_is_validated_into_the_same_records(bundled_copy: Path) -> None:
    # Schema 2.0 files have no paragraph starts: validation fills them in, which construction would not.
    raw = json.loads(bundled_copy.read_bytes())
    for case in raw["cases"]:
        del case["summary_paragraph_starts_en"]
    bundled_copy.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    first = load(bundled_copy).cases()
    assert load(bundled_copy).cases() == first == ftz_reforms.cases()


def test_a_cold_search_of_a_cached_file_loads_no_records(bundled_copy: Path, warm_cache: Path) -> None:
    assert (cache_entry(warm_cache, bundled_copy) / "index.json").is_file(), "the file's index is cached"
    code = (
        "import sys\n"
        "from ftz_reforms.collection import load\n"
        f"hits = load({str(bundled_copy)!r}).search('退货')\n"
        "assert hits[0].id == 'b5-01'\n"
        "assert 'pydantic' not in sys.modules and 'jieba' not in sys.modules, 'records or jieba were loaded'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_unreadable_file_is_a_file_access_error(tmp_path: Path) -> None:
    with pytest.raises(FileAccessError, match=r"cannot read .*missing\.json: No such file") as raised:
        load(tmp_path / "missing.json")
    assert isinstance(raised.value, OSError)
    with pytest.raises(FileAccessError, match="is a directory"):
        load(tmp_path)


# --- the bundled index ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        {"format": INDEX_FORMAT - 1, "data_version": ftz_reforms.data_version, "catalogue": {}, "text": {}},
        {"format": INDEX_FORMAT, "data_version": "0.0.1", "catalogue": {}, "text": {}},
        {"format": INDEX_FORMAT, "data_version": ftz_reforms.data_version},
        ["not", "an", "index"],
    ],
)
def test_an_index_of_another_format_or_data_version_is_refused(raw: object) -> None:
    with pytest.raises(StaleIndexError, match="rebuild it"):
        checked_index(raw, "search_index.json", ftz_reforms.data_version)


def test_a_stale_bundled_index_is_a_one_line_error_on_the_command_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = orjson.loads((DATA_DIRECTORY / INDEX_FILE).read_bytes())
    (tmp_path / INDEX_FILE).write_bytes(orjson.dumps({**raw, "data_version": "0.0.1"}))
    monkeypatch.setattr(engine, "DATA_DIRECTORY", tmp_path)
    # The bundled index and collection read again, from there.
    monkeypatch.setattr(engine, "_bundled", Lazy(engine._read_bundled_index))
    monkeypatch.setattr(collection_module, "_bundled", Lazy(collection_module._bundled_collection))
    from ftz_reforms.cli.app import main

    assert main(["search", "退货"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "for data 0.0.1" in err and "rebuild it" in err


def test_list_and_search_on_the_command_line_load_no_records(bundled_copy: Path, warm_cache: Path) -> None:
    # Regression: rendering an effect in English once imported the records' module (and pydantic) with the
    # command line's renderer, so every `list` paid for it. One fresh process runs the commands one after the
    # other, checking after each: none may load the records, so none finds them loaded by another.
    assert (cache_entry(warm_cache, bundled_copy) / "index.json").is_file(), "the file's index is cached"
    code = "import sys\nfrom ftz_reforms.cli.app import main\n"
    for command in (["list"], ["--data", str(bundled_copy), "list"], ["search", "退货"]):
        code += f"assert main({command!r}) == 0\nassert 'pydantic' not in sys.modules, {command!r}\n"
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_an_imported_casebook_is_the_dataset_class_its_file_loads_into(tmp_path: Path) -> None:
    """The front door gives the class every other door gives: queried as the bundled data is, and its file
    (``to_json``) loads back to the same records."""
    text = (Path(__file__).parent / "casebooks" / "batch90" / "casebook.txt").read_text(encoding="utf-8")
    imported = ftz_reforms.import_casebook(text, batch=9)
    assert type(imported) is type(ftz_reforms.dataset()) is Collection
    assert [case.id for case in imported.cases()] == ["b9-01", "b9-02"] and imported.get(2).id == "b9-02"
    assert imported.search("结算")[0].id == "b9-02"
    assert imported.to_records("cases")[0]["case_id"] == "b9-01"
    (tmp_path / "b9.json").write_bytes(imported.to_json())
    assert load(tmp_path / "b9.json").data == imported.data
