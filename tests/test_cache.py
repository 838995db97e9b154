"""A cache that cannot lie: an edited, copied, moved or forged cache file is made again, never believed; a
misshapen, deep, hostile or unwritable cache only costs time; jieba's dictionary goes through the same cache.

Every test here failed on 0.9.0, whose cache was believed because it named the file's SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ftz_reforms
from ftz_reforms.collection import load
from ftz_reforms.errors import DatasetFileError
from ftz_reforms.store.cache import KEY_FILE, MAGIC, cache_folder
from tests.helpers import cache_entry, in_process

TAG = 32


def _payload(path: Path) -> dict:  # type: ignore[type-arg]
    raw = path.read_bytes()
    assert raw.startswith(MAGIC)
    return json.loads(raw[len(MAGIC) + TAG :])


def _forge(path: Path, content: dict) -> None:  # type: ignore[type-arg]
    """Edit a cached file as a person or another program would: the payload changed, the header kept."""
    head = path.read_bytes()[: len(MAGIC) + TAG]
    path.write_bytes(head + json.dumps(content, ensure_ascii=False).encode("utf-8"))


def _cli(*arguments: str, cache: Path) -> subprocess.CompletedProcess[str]:
    """The command line over ``cache``, run in this process: these tests are about what the cache is believed
    for, not about the process (a FIFO in the cache, which a wrong read would block on, is read by a process)."""
    assert os.environ["FTZ_REFORMS_CACHE_DIR"] == str(cache)
    result = in_process(*arguments)
    return subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode(), result.stderr.decode())


def _process(*arguments: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FTZ_REFORMS_CACHE_DIR": str(cache), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "ftz_reforms", *arguments], capture_output=True, text=True, env=env, timeout=120
    )


def test_an_edited_catalogue_never_reaches_list(bundled_copy: Path, own_cache: Path) -> None:
    load(bundled_copy)
    catalogue = cache_entry(own_cache, bundled_copy) / "catalogue.json"
    stamp = _payload(catalogue)
    stamp["catalogue"]["cases"][0]["title_en"] = "An invented title"
    stamp["catalogue"]["cases"].append({**stamp["catalogue"]["cases"][1], "id": "b5-99", "number": 99})
    _forge(catalogue, stamp)
    listed = load(bundled_copy).listing()
    assert len(listed) == 23 and listed[0]["title_en"] == ftz_reforms.get(1).title_en
    assert "b5-99" not in {entry["id"] for entry in listed}
    result = _cli("--data", str(bundled_copy), "list", "--format", "json", cache=own_cache)
    assert result.returncode == 0, result.stderr
    assert "An invented title" not in result.stdout and len(json.loads(result.stdout)) == 23


def test_another_datasets_catalogue_copied_into_the_entry_is_not_believed(
    bundled_copy: Path, own_cache: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.json"
    raw = json.loads(bundled_copy.read_bytes())
    raw["cases"] = raw["cases"][:2]
    other.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    load(bundled_copy)
    load(other)
    entries = own_cache / "datasets" / ftz_reforms.__version__
    mine, theirs = entries / load(bundled_copy).sha256, entries / load(other).sha256
    # The whole other entry, its valid tag included, moved under this file's digest.
    shutil.copyfile(theirs / "catalogue.json", mine / "catalogue.json")
    assert len(load(bundled_copy).listing()) == 23


def test_an_edited_index_never_answers_a_text_filter(small_copy: Path, small_warm_cache: Path) -> None:
    truth = load(small_copy).filter_ids(text="退货")
    index = cache_entry(small_warm_cache, small_copy) / "index.json"
    content = _payload(index)
    # Every case given the last case's text (b5-14's): a believed index would say every case holds what case 23 holds.
    content["text"]["sentences"] = [content["text"]["sentences"][-1]] * len(content["text"]["sentences"])
    _forge(index, content)
    assert load(small_copy).filter_ids(text="退货") == truth
    result = _cli("--data", str(small_copy), "list", "--text", "退货", "--format", "json", cache=small_warm_cache)
    assert [row["case_id"] for row in json.loads(result.stdout)] == list(truth)
    assert "b5-14" not in truth


def test_the_catalogue_and_index_cannot_stand_in_for_each_other(bundled_copy: Path, warm_cache: Path) -> None:
    entry = cache_entry(warm_cache, bundled_copy)
    shutil.copyfile(entry / "index.json", entry / "catalogue.json")
    assert len(load(bundled_copy).listing()) == 23


def test_a_forged_canonical_stamp_does_not_skip_validation(bundled_copy: Path, own_cache: Path) -> None:
    # 0.9.0 let an invalid file skip validation on a stamp that said "canonical": every later command failed.
    load(bundled_copy)
    entry = cache_entry(own_cache, bundled_copy)
    stamp = _payload(entry / "catalogue.json")
    raw = json.loads(bundled_copy.read_bytes())
    raw["schema_version"] = "9.9.9"
    raw["cases"][1]["id"] = raw["cases"][0]["id"]
    invalid = json.dumps(raw, ensure_ascii=False).encode("utf-8")
    bundled_copy.write_bytes(invalid)
    digest = hashlib.sha256(invalid).hexdigest()
    (entry.parent / digest).mkdir()
    stamp.update(sha256=digest, canonical=True)
    (entry.parent / digest / "catalogue.json").write_bytes(
        (entry / "catalogue.json").read_bytes()[: len(MAGIC) + TAG] + json.dumps(stamp).encode("utf-8")
    )
    with pytest.raises(DatasetFileError, match=r"\$\.schema_version: schema_version 9\.9\.9 is not one"):
        load(bundled_copy)
    result = _cli("--data", str(bundled_copy), "list", cache=own_cache)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("ftz-reforms: ") and result.stderr.count("\n") == 1


def test_a_cache_copied_from_another_user_is_not_believed(bundled_copy: Path, own_cache: Path, tmp_path: Path) -> None:
    load(bundled_copy)
    entry = cache_entry(own_cache, bundled_copy)
    stamp = _payload(entry / "catalogue.json")
    stamp["catalogue"]["cases"][0]["title_en"] = "Their title"
    # Another cache, with a key of its own, made this authentic entry; it is then copied in, key excepted.
    theirs = tmp_path / "theirs"
    os.environ["FTZ_REFORMS_CACHE_DIR"] = str(theirs)
    try:
        foreign = cache_folder("x", context=f"dataset {entry.name} ftz-reforms {ftz_reforms.__version__}")
        assert foreign is not None and (theirs / KEY_FILE).read_bytes() != (own_cache / KEY_FILE).read_bytes()
        foreign.directory = entry.parent.parent.parent / "copied"
        foreign.write("catalogue.json", json.dumps(stamp).encode("utf-8"))
    finally:
        os.environ["FTZ_REFORMS_CACHE_DIR"] = str(own_cache)
    shutil.copyfile(foreign.directory / "catalogue.json", entry / "catalogue.json")
    assert load(bundled_copy).listing()[0]["title_en"] == ftz_reforms.get(1).title_en


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="nested-100000-deep"),
        pytest.param(b'{"format": 1, "sha256": "x"}', id="wrong-shape"),
        pytest.param(b"\xff\xfe not json", id="not-json"),
        pytest.param(b"", id="empty"),
    ],
)
def test_a_misshapen_or_deep_cache_file_is_rebuilt(small_copy: Path, small_warm_cache: Path, payload: bytes) -> None:
    entry = cache_entry(small_warm_cache, small_copy)
    for name in ("catalogue.json", "index.json"):
        (entry / name).write_bytes(MAGIC + b"\0" * TAG + payload)
    result = _cli("--data", str(small_copy), "search", "退货", "--format", "json", cache=small_warm_cache)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert json.loads(result.stdout)[0]["case_id"] == "b5-01"
    assert _payload(entry / "catalogue.json")["sha256"] == entry.name, "made again, authentic"


def test_a_fifo_or_a_link_in_the_cache_is_replaced_never_read_or_written_through(
    small_copy: Path, small_warm_cache: Path, tmp_path: Path
) -> None:
    entry = cache_entry(small_warm_cache, small_copy)
    (entry / "catalogue.json").unlink()
    os.mkfifo(entry / "catalogue.json")
    precious = tmp_path / "precious.txt"
    precious.write_text("the user's own file\n")
    (entry / "index.json").unlink()
    (entry / "index.json").symlink_to(precious)
    result = _process("--data", str(small_copy), "search", "退货", "--format", "json", cache=small_warm_cache)
    assert result.returncode == 0, result.stderr
    assert precious.read_text() == "the user's own file\n"
    assert (entry / "catalogue.json").is_file() and not (entry / "index.json").is_symlink()


def test_a_key_others_can_change_disables_the_cache(bundled_copy: Path, own_cache: Path) -> None:
    load(bundled_copy)
    key = own_cache / KEY_FILE
    key.chmod(0o666)
    shutil.rmtree(own_cache / "datasets")
    assert len(load(bundled_copy).listing()) == 23
    assert not (own_cache / "datasets").exists(), "nothing cached under a key another user could replace"


def test_a_damaged_key_is_made_again(bundled_copy: Path, own_cache: Path) -> None:
    load(bundled_copy)
    (own_cache / KEY_FILE).write_bytes(b"short")
    assert len(load(bundled_copy).listing()) == 23
    assert len((own_cache / KEY_FILE).read_bytes()) == 32
    assert (own_cache / KEY_FILE).stat().st_mode & 0o077 == 0


_KEYWORDS = (
    "import resource, signal, sys\n"
    "if len(sys.argv) > 1:\n"
    "    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
    "    resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))\n"
    "from ftz_reforms.retrieval.keywords import KeywordExtractor\n"
    "import ftz_reforms\n"
    "extractor = KeywordExtractor(['综合保税区'], frozenset())\n"
    "print(extractor.keywords(ftz_reforms.get(3))[:3])\n"
    "print(len(extractor._idf), extractor._median_idf, sum(extractor._idf.values()))\n"  # the whole IDF table
)


def _keywords(tmp_path: Path, cache: Path, *limit: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "tmp").mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"), "FTZ_REFORMS_CACHE_DIR": str(cache)}
    if limit:  # Python would write a compiled module cut short at the limit, and the next process would read it
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", _KEYWORDS, *limit], capture_output=True, text=True, env=env, check=False
    )


def test_jiebas_dictionary_is_cached_in_our_cache_only(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _keywords(tmp_path, cache)
    assert first.returncode == 0 and first.stderr == "", first.stderr
    assert list((tmp_path / "tmp").iterdir()) == [], "nothing in the system's temporary directory"
    cached = ["idf.marshal", "jieba", KEY_FILE, "prefix-dictionary.marshal"]
    assert sorted(path.name for path in cache.rglob("*")) == cached
    again = _keywords(tmp_path, cache)  # jieba's dictionary and IDF table from the cache: the same keywords
    assert again.stdout == first.stdout and again.stderr == ""
    assert sorted(path.name for path in cache.rglob("*")) == cached


def test_an_entry_made_from_jiebas_files_is_read_only_by_the_release_and_file_that_made_it(
    tmp_path: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ftz_reforms.retrieval import jieba_setup

    source = tmp_path / "idf.txt"
    source.write_text("词 1.0\n", encoding="utf-8")
    release = jieba_setup.__version__
    monkeypatch.setattr(jieba_setup, "__version__", "0.0.1")  # another release wrote it, maybe in another shape
    assert jieba_setup.cached_from_jieba_file(source, "entry.marshal", lambda: ("old shape",)) == ("old shape",)
    monkeypatch.setattr(jieba_setup, "__version__", release)
    assert jieba_setup.cached_from_jieba_file(source, "entry.marshal", lambda: ({"词": 1.0}, 1.0)) == ({"词": 1.0}, 1.0)
    assert jieba_setup.cached_from_jieba_file(source, "entry.marshal", lambda: ("made again",)) == ({"词": 1.0}, 1.0)
    source.write_text("词 2.0\n", encoding="utf-8")  # the file changed (its size stays: its time tells)
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 1_000_000_000))
    assert jieba_setup.cached_from_jieba_file(source, "entry.marshal", lambda: ({"词": 2.0}, 2.0)) == ({"词": 2.0}, 2.0)
    assert [path.name for path in (own_cache / "jieba").iterdir()] == ["entry.marshal"]


@pytest.mark.parametrize("how", ["a-file-not-a-folder", "full"])
@pytest.mark.slow
def test_a_full_or_unwritable_cache_only_costs_time(tmp_path: Path, how: str) -> None:
    baseline = _keywords(tmp_path, tmp_path / "fresh")
    if how == "full":  # a file-size limit stands in for a full disk (as root, permissions stop nothing)
        result = _keywords(tmp_path, tmp_path / "cache", "100000")
        leftovers = [path.name for path in (tmp_path / "cache").rglob("*") if path.name != KEY_FILE]
        assert leftovers == ["jieba"], "no temporary file left behind"
    else:
        (tmp_path / "cache").write_text("")
        result = _keywords(tmp_path, tmp_path / "cache")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert result.stdout == baseline.stdout
    assert list((tmp_path / "tmp").iterdir()) == []
