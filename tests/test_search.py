"""Search: relevance floor, ranking rules, tokenization, snippets, filters, bad input, speed by design."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ftz_reforms
from ftz_reforms.cli.app import main
from ftz_reforms.cli.commands import marks as _marks
from ftz_reforms.errors import FilterError, QueryError
from ftz_reforms.model.records import Dataset
from ftz_reforms.retrieval.engine import MAX_QUERY_LENGTH, bundled_index
from ftz_reforms.retrieval.terms import english_words, stem
from tests.relevance_table import RELEVANCE

search = ftz_reforms.search


def filter_cases(**filters: str) -> list[int]:
    """The numbers of the bundled cases the filters pass (one batch: a number names a case)."""
    return [case.number for case in ftz_reforms.filter_cases(**filters)]  # type: ignore[arg-type]


def numbers(query: str, **options: object) -> list[int]:
    return [hit.number for hit in search(query, **options)]  # type: ignore[arg-type]


def test_the_relevance_table_is_big_and_mixed() -> None:
    assert len(RELEVANCE) >= 30
    chinese = [q for q, _ in RELEVANCE if re.search(r"[\u4e00-\u9fff]", q)]
    english = [q for q, _ in RELEVANCE if re.fullmatch(r"[A-Za-z \-]+", q)]
    assert len(chinese) >= 15 and len(english) >= 10


@pytest.mark.parametrize(("query", "expected"), RELEVANCE, ids=[q for q, _ in RELEVANCE])
def test_relevance_floor(query: str, expected: tuple[int, ...]) -> None:
    found = numbers(query, limit=5)
    assert any(number in found[:3] for number in expected), found
    assert expected[0] in found[:5], found


def test_every_title_finds_its_own_case_first(data: Dataset) -> None:
    for case in data.cases:
        assert numbers(case.title_zh)[0] == case.number, case.title_zh
        assert case.title_en is not None
        assert numbers(case.title_en)[0] == case.number, case.title_en


@pytest.mark.parametrize(
    ("term", "titled", "mentioned"),
    [("综合保税区", 3, 1), ("集装箱", 4, 3), ("一站式", 1, 15), ("便利化", 19, 3), ("政务服务", 14, 9)],
)
def test_a_title_match_outranks_passing_mentions(term: str, titled: int, mentioned: int) -> None:
    assert term in ftz_reforms.get(titled).title_zh and term not in ftz_reforms.get(mentioned).title_zh
    assert term in " ".join(_texts(ftz_reforms.get(mentioned)))
    found = numbers(term, limit=23)
    assert found[0] == titled and found.index(mentioned) > 0


def test_ranking_is_by_score_then_case_number() -> None:
    for query, _ in RELEVANCE:
        hits = search(query, limit=23)
        keys = [(-hit.score, hit.number) for hit in hits]
        assert keys == sorted(keys), query
    assert numbers("退货") == numbers("退货"), "stable"


def test_hits_carry_terms_and_a_marked_snippet_from_the_case() -> None:
    for query, _ in RELEVANCE:
        for hit in search(query, limit=3):
            assert hit.matched_terms, (query, hit.number)
            assert hit.highlights, (query, hit.number)
            marked = hit.marked("[", "]")
            assert marked.count("[") == len(hit.highlights)
            for start, end in hit.highlights:
                assert 0 <= start < end <= len(hit.snippet)
            ends = [end for _, end in hit.highlights]
            starts = [start for start, _ in hit.highlights]
            assert all(end <= start for end, start in zip(ends, starts[1:])), ("overlap", query, hit.highlights)
            sentence = hit.snippet.strip("…")
            case = hit.case
            assert sentence in case.title_zh + " ".join(_texts(case)), (query, hit.number)


def test_overlapping_matches_are_marked_as_one_span() -> None:
    # 跨关区 gives the pairs 跨关 and 关区; marking one of them alone would depend on their order.
    hit = next(hit for hit in search("跨关区") if "跨关区" in hit.snippet)
    assert "«跨关区»" in hit.marked()


def test_snippets_do_not_depend_on_the_hash_seed() -> None:
    code = (
        "import ftz_reforms\n"
        "for q in ('跨关区', '台湾同胞职业资格认可', 'smart form registration', '国际邮件 长江航运'):\n"
        "    print([(h.number, h.snippet, h.highlights) for h in ftz_reforms.search(q)])\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


def test_an_english_term_is_sought_at_the_start_of_words() -> None:
    # "form" (from "form" or "forming") must not pick a sentence for its "platform" or "information".
    for hit in search("smart form registration", limit=23):
        for start, end in hit.highlights:
            assert start == 0 or not hit.snippet[start - 1].isalnum(), (hit.number, hit.snippet[start - 1 : end])
    sentences = bundled_index().sentences(19, "en")
    holding = list(sentences.holding("form"))
    assert holding
    for entry in holding:
        lowered = sentences.entries[entry][3]
        assert re.search(r"(?<![a-z0-9])form", lowered), lowered


def _texts(case: ftz_reforms.Case) -> list[str]:
    texts = [case.title_zh, case.title_en or "", case.summary_zh, case.summary_en or ""]
    for section in (*case.practices, *case.outcomes):
        texts += [section.heading_zh or "", section.heading_en or "", section.text_zh, section.text_en or ""]
    return texts


def test_snippet_language_follows_the_query_or_lang() -> None:
    assert re.search(r"[\u4e00-\u9fff]", search("退货")[0].snippet)
    assert search("returned goods")[0].snippet.strip("…").isascii()
    english = search("sea-rail", lang="zh")[0]
    assert english.number == 4 and re.search(r"[\u4e00-\u9fff]", english.snippet)


def test_domain_terms_stay_whole() -> None:
    segmenter = bundled_index().segmenter
    for term in ("综合保税区", "电子口岸", "无感续证", "海铁联运", "商业保理"):
        assert term in list(segmenter.words(f"推进{term}改革")), term


def test_the_casebook_dictionary_segments_the_casebook_like_the_full_dictionary(data: Dataset, repo: Path) -> None:
    from ftz_reforms.bundling.glossary import load_glossary
    from ftz_reforms.retrieval.jieba_setup import full_tokenizer
    from ftz_reforms.text.chars import CJK_RUN

    full = full_tokenizer(load_glossary(repo).chinese_terms)
    small = bundled_index().segmenter
    runs = {run for case in data.cases for text in _texts(case) for run in CJK_RUN.findall(text)}
    assert len(runs) > 1000
    for run in sorted(runs):
        assert small.tokens(run) == list(full.cut_for_search(run, HMM=False)), run


def test_english_is_case_insensitive_stemmed_and_width_normalized() -> None:
    assert numbers("Credit SUPERVISION") == numbers("credit supervision")
    assert numbers("ＧＯＩ")[0] == 20
    assert stem("supervision") == stem("supervised") == stem("supervise")
    assert stem("policies") == stem("policy") and stem("returns") == stem("returned") == "return"
    assert list(english_words("sea-rail and the ports")) == ["sea-rail", "sea", "rail", "port"]


def test_mixed_and_multi_word_queries() -> None:
    assert numbers("GOI 创新")[0] == 20
    assert numbers("e-commerce 退货")[0] == 1
    assert numbers("台湾同胞职业资格认可")[0] == 17


def test_blank_queries_and_bad_options_are_errors() -> None:
    for query in ("", "   ", "\n\t"):
        with pytest.raises(QueryError, match="the query is empty"):
            search(query)
    with pytest.raises(QueryError, match="limit"):
        search("退货", limit=0)
    with pytest.raises(QueryError, match="lang"):
        search("退货", lang="fr")


def test_a_megabyte_query_is_read_up_to_its_cap() -> None:
    query = "退货" + "的" * 1_000_000
    assert numbers(query)[0] == 1
    assert numbers("x" * MAX_QUERY_LENGTH + " 退货") == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_no_string_makes_search_raise_except_a_blank_one(query: str) -> None:
    if not query.strip():
        with pytest.raises(QueryError):
            search(query)
        return
    for hit in search(query):
        assert hit.score > 0 and 1 <= hit.number <= 23


@pytest.mark.parametrize("province", ["山东", "Shandong", "CN-SD", "cn-sd", "shandong"])
def test_province_by_chinese_english_or_iso(province: str, data: Dataset) -> None:
    expected = [case.number for case in data.cases if any(zone.iso_code == "CN-SD" for zone in case.providers)]
    assert filter_cases(province=province) == expected
    assert set(numbers("船舶", province=province, limit=23)) <= set(expected)


def test_other_filters_alone_and_combined(data: Dataset) -> None:
    assert filter_cases(area="Qingdao Area") == filter_cases(area="青岛片区") == [8, 10]
    assert filter_cases(category="tax") == [c.number for c in data.cases if "tax" in c.categories]
    usd = [c.number for c in data.cases if any(m.unit.value == "USD" for m in c.metrics)]
    assert filter_cases(unit="USD") == usd
    assert filter_cases(text="Land Supermarket") == [18]
    assert filter_cases(province="Tianjin", category="shipping_logistics") == [7]
    assert numbers("海事", province="Hebei") == [12]
    assert filter_cases(province="Jiangsu") == [], "a real zone with no case is not an error"


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"province": "Atlantis"}, "unknown province 'Atlantis'; accepted values: 上海, 广东"),
        ({"province": "Shandongg"}, "unknown province 'Shandongg'; closest: Shandong"),
        ({"area": "青岛片"}, "unknown area '青岛片'; closest: 青岛片区"),
        ({"category": "astrology"}, "customs_trade"),
        ({"unit": "furlong"}, "CNY"),
        ({"text": "  "}, "text filter is empty"),
    ],
)
def test_unknown_filter_values_name_the_accepted_ones(options: dict[str, str], named: str) -> None:
    with pytest.raises(FilterError, match=named):
        filter_cases(**options)
    with pytest.raises(FilterError, match=named):
        search("退货", **options)  # type: ignore[arg-type]


def test_a_search_imports_neither_pydantic_nor_jieba(tmp_path: Path) -> None:
    code = (
        "import sys, ftz_reforms\n"
        "hits = ftz_reforms.search('综合保税区 退货')\n"
        "loaded = [m for m in ('jieba', 'pydantic', 'pkg_resources') if m in sys.modules]\n"
        "assert hits and not loaded, loaded\n"
        "print(hits[0].number)\n"
    )
    env = {**os.environ, "TMPDIR": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert list(tmp_path.rglob("*")) == [], "no cache or temporary file written"


def test_a_command_line_search_imports_only_what_it_uses() -> None:
    code = (
        "import sys\n"
        "from ftz_reforms.cli.app import main\n"
        "assert main(['search', '综合保税区']) == 0\n"
        "loaded = [m for m in ('orjson', 'pydantic', 'jieba') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "综合保税区" in result.stdout


def test_cli_search_table_json_csv_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "退货", "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(" 1.  1 [b5-01] 跨境电商出口退货") and "«退货»" in out
    assert main(["search", "credit", "supervision", "--format", "json", "--limit", "2"]) == 0
    import orjson

    records = orjson.loads(capsys.readouterr().out)
    assert [r["number"] for r in records] == numbers("credit supervision", limit=2)
    assert main(["search", "海事", "--format", "csv", "--province", "Hebei"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("rank,case_id,case_title_zh,case_title_en,number,score") and len(lines) == 2
    assert main(["search", "zzzzqqqq"]) == 1
    assert "no case matches" in capsys.readouterr().err
    assert main(["search", "  "]) == 2
    assert "the query is empty" in capsys.readouterr().err
    assert main(["search", "退货", "--province", "Atlantis"]) == 2
    assert "unknown province" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["search", "退货", "--limit", "0"])
    assert usage.value.code == 2


def test_cli_list_filters_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--province", "CN-SD", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    assert [int(row["number"]) for row in rows] == filter_cases(province="CN-SD")
    assert all("CN-SD" in row["provinces"].split("; ") for row in rows)
    assert main(["list", "--province", "Jiangsu"]) == 1


def test_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert _marks()[0].startswith("\x1b[")
    monkeypatch.setenv("NO_COLOR", "")
    assert _marks() == ("«", "»")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    monkeypatch.delenv("NO_COLOR")
    assert _marks() == ("«", "»")


def test_search_help_shows_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["search", "--help"])
    assert "examples:" in capsys.readouterr().out


def test_a_closed_pipe_is_quiet_for_search() -> None:
    result = subprocess.run(
        f"{sys.executable} -m ftz_reforms search 海关 --limit 23 | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.startswith(" 1.") and result.stderr == ""


def _baseline_ranking() -> tuple[list[int], object]:
    """A plain BM25 (rank-bm25) over the same English fields: what a reader could do by hand."""
    from rank_bm25 import BM25Okapi

    numbers, corpus = [], []
    for case in ftz_reforms.cases():
        texts = [case.title_en, case.summary_en] + [
            text for section in (*case.practices, *case.outcomes) for text in (section.heading_en, section.text_en)
        ]
        corpus.append(re.findall(r"[a-z0-9]+", " ".join(text or "" for text in texts).lower()))
        numbers.append(case.number)
    return numbers, BM25Okapi(corpus)


def _reciprocal_rank(ranked: list[int], expected: tuple[int, ...]) -> float:
    return next((1 / rank for rank, number in enumerate(ranked, start=1) if number in expected), 0.0)


def test_english_ranking_holds_at_or_above_a_plain_bm25() -> None:
    numbers, bm25 = _baseline_ranking()
    english = [(query, expected) for query, expected in RELEVANCE if not re.search(r"[\u4e00-\u9fff]", query)]
    assert len(english) >= 20
    ours_top3 = ours_rr = base_top3 = base_rr = 0.0
    for query, expected in english:
        ours = [hit.number for hit in search(query, limit=23)]
        scores = bm25.get_scores(re.findall(r"[a-z0-9]+", query.lower()))  # type: ignore[attr-defined]
        base = [numbers[i] for i in sorted(range(len(numbers)), key=lambda i: (-scores[i], numbers[i]))]
        ours_top3 += any(number in expected for number in ours[:3])
        base_top3 += any(number in expected for number in base[:3])
        ours_rr += _reciprocal_rank(ours, expected)
        base_rr += _reciprocal_rank(base, expected)
    assert ours_top3 >= base_top3, (ours_top3, base_top3)
    assert ours_rr >= base_rr, (ours_rr / len(english), base_rr / len(english))


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("credit supervision", ("credit", "supervision")),
        ("firm", ("firm", "enterprises")),
        ("license", ("licence",)),
    ],
)
def test_matched_terms_are_words_never_stems(query: str, shown: tuple[str, ...]) -> None:
    terms = search(query)[0].matched_terms
    assert set(shown) <= set(terms)
    assert not {"supervis", "enterpris", "licenc"} & set(terms)


@pytest.mark.parametrize("spelling", ["CNY", "cny", " Cny ", "万元", "元"])
def test_a_unit_reads_the_same_in_every_query(spelling: str) -> None:
    assert {found.metric.unit.value for found in ftz_reforms.metrics(unit=spelling)} == {"CNY"}
    with_cny = {found.case.id for found in ftz_reforms.metrics(unit="CNY")}
    assert set(ftz_reforms.filter_ids(unit=spelling)) == with_cny


@pytest.mark.parametrize(("name", "value"), [("unit", "furlong"), ("category", "astrology")])
def test_an_unknown_value_has_one_wording_everywhere(name: str, value: str) -> None:
    messages = []
    for call in (ftz_reforms.filter_cases, ftz_reforms.metrics):
        if call is ftz_reforms.metrics and name == "category":
            continue
        with pytest.raises(FilterError) as raised:
            call(**{name: value})
        messages.append(str(raised.value))
    assert all(message.startswith(f"unknown {name} {value!r}; accepted values: ") for message in messages)
    assert len(set(messages)) == 1
