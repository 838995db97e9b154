"""The static site (``ftz-reforms site -o DIR``): its pages hold the records to the character, its links stay in
its folder, its search ranks as the library's does, and a real browser reads it without an error.

The search is held to the library's in two ways: Node runs ``search.js`` on many queries against the same
index and every hit must be the library's (id, score, snippet, marks, matched terms), and Chromium runs the
search page from a loopback server. Each says plainly when its program is missing (CI installs Chromium).
"""

from __future__ import annotations

import base64
import functools
import html
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest

import ftz_reforms
from ftz_reforms.collection import Collection
from ftz_reforms.errors import FileAccessError, MissingExtraError
from ftz_reforms.model.records import Case
from ftz_reforms.site.build import MANIFEST, build_site
from ftz_reforms.text.chars import CJK_RUN
from tests.browser import Browser, chromium
from tests.helpers import in_process
from tests.relevance_table import RELEVANCE

REPO = Path(__file__).resolve().parents[1]
SEARCH_JS = REPO / "src" / "ftz_reforms" / "site" / "static" / "search.js"
NODE = shutil.which("node")
CHROMIUM = chromium()
# The three searches the site must answer as the command line does, case b5-01 first.
LINKED_SEARCHES = ("出口退货", "退貨", "returned goods")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "site"
    build_site(ftz_reforms.dataset(), folder, bundled=True)
    return folder


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Collection, Path]:
    """A dataset imported from a casebook (no English), loaded from its file, and its site."""
    text = (REPO / "tests" / "casebooks" / "batch90" / "casebook.txt").read_text(encoding="utf-8")
    folder = tmp_path_factory.mktemp("imported")
    path = folder / "b90.json"
    path.write_bytes(ftz_reforms.import_casebook(text, batch=90).to_json())
    collection = ftz_reforms.load(path)
    build_site(collection, folder / "site")
    return collection, folder / "site"


class _Page(HTMLParser):
    """What the tests read of a page: its elements' ids, the URLs it links and loads, its text by language."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, tuple[str, dict[str, str]]] = {}
        self.links: list[str] = []
        self.loads: list[tuple[str, str]] = []
        self.unmarked_chinese: list[tuple[str, str]] = []
        self._stack: list[tuple[str, str | None]] = []
        self._void = {"meta", "link", "img", "input", "br", "hr", "source"}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            assert attributes["id"] not in self.ids, f"two elements with id {attributes['id']}"
            self.ids[attributes["id"]] = (tag, attributes)
        if tag == "a" and "href" in attributes:
            self.links.append(attributes["href"])
        for name in ("src", "href"):
            if name in attributes and tag in ("script", "img", "link", "iframe", "source", "video", "audio"):
                self.loads.append((tag, attributes[name]))
        if tag not in self._void:
            self._stack.append((tag, attributes.get("lang")))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not CJK_RUN.search(data):
            return
        tags = [tag for tag, _ in self._stack]
        # An option's or a title's text cannot hold markup, so cannot say its language part by part.
        if "option" in tags or "title" in tags or "script" in tags:
            return
        language = next((lang for _, lang in reversed(self._stack) if lang), None)
        if language != "zh-Hans":
            self.unmarked_chinese.append((language or "none", data.strip()[:40]))


def _read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[Path, _Page]:
    """Every page of ``site``, read once for the tests that read them all (by resolved path)."""
    return {path.resolve(): _read(path) for path in sorted(site.rglob("*.html"))}


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


class _Reading(HTMLParser):
    """The text a reader reads in some markup: what a figure's popover says (shown on a tap) left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._popover_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._popover_depth or any(name == "popover" for name, _ in attrs):
            self._popover_depth += tag != "br"

    def handle_endtag(self, tag: str) -> None:
        if self._popover_depth:
            self._popover_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._popover_depth:
            self.parts.append(data)


def _reading(markup: str) -> str:
    reader = _Reading()
    reader.feed(markup)
    reader.close()
    return "".join(reader.parts)


# --- the pages hold the records ---------------------------------------------------------------------------


def test_every_case_page_holds_its_chinese_and_english_text_paragraph_by_paragraph(site: Path) -> None:
    for case in ftz_reforms.cases():
        page = (site / "cases" / case.id / "index.html").read_text(encoding="utf-8")
        chinese = [_reading(p) for p in re.findall(r'<p lang="zh-Hans">(.*?)</p>', page, flags=re.S)]
        english = [_text(p) for p in re.findall(r'<p lang="en">(.*?)</p>', page, flags=re.S)]
        expected_zh = [paragraph for part in case.parts() for paragraph in part.paragraphs_zh]
        expected_en = [paragraph for part in case.parts() for paragraph in part.paragraphs_en]
        # A figure's popover sits inside its paragraph; what the reader reads as the paragraph is the rest.
        assert chinese == expected_zh, case.id
        assert english == expected_en, case.id
        assert case.title_zh in _reading(page) and (case.title_en or "") in _reading(page)


def test_every_figure_is_marked_where_it_stands_and_its_id_is_an_anchor(site: Path, pages: dict[Path, _Page]) -> None:
    marked = 0
    for case in ftz_reforms.cases():
        path = site / "cases" / case.id / "index.html"
        page, markup = pages[path.resolve()], path.read_text(encoding="utf-8")
        for metric in case.metrics:
            tag, attributes = page.ids[metric.id]
            assert tag == "button" and "fig" in attributes["class"], metric.id
            span = re.search(rf'<button [^>]*id="{metric.id}"[^>]*>(.*?)</button>', markup)
            assert span and html.unescape(span.group(1)) == metric.span
            assert f'href="#{metric.id}"' in markup
            marked += 1
        for effect in case.effects:
            assert effect.id in page.ids and page.ids[effect.id][0] == "tr"
    assert marked == sum(len(case.metrics) for case in ftz_reforms.cases()) == 254


def test_a_case_page_shows_its_effects_zones_areas_source_and_citations(site: Path) -> None:
    case = ftz_reforms.get("b5-08")
    page = (site / "cases" / "b5-08" / "index.html").read_text(encoding="utf-8")
    for effect in case.effects:
        if effect.relative_change is not None:
            assert f"{effect.relative_change:+.1f}%".replace(".0%", "%") in page
    for zone in case.providers:
        assert f'href="../../zones/{zone.iso_code.lower()}/"' in page
    assert f"lines {case.source.line_start}–{case.source.line_end}" in page
    assert f"pages {case.source.page_start}–{case.source.page_end}" in page
    assert ftz_reforms.cite(case) in _reading(page)
    bibtex = _text(re.search(r'<pre id="cite-bibtex"[^>]*>(.*?)</pre>', page, flags=re.S).group(1))
    assert bibtex.startswith("@incollection{ftz-reforms-b5-08,") and "pages = {" in bibtex
    csl = json.loads(_text(re.search(r'<pre id="cite-csl"[^>]*>(.*?)</pre>', page, flags=re.S).group(1)))
    assert csl[0]["id"] == "ftz-reforms-b5-08" and csl[0]["issued"] == {"date-parts": [[2024, 1]]}
    assert f"first published in data {case.first_seen}" in page


def test_every_chinese_text_says_it_is_chinese(site: Path, pages: dict[Path, _Page]) -> None:
    assert len(pages) == len(list(site.rglob("*.html")))
    for path, page in pages.items():
        assert page.unmarked_chinese == [], path.relative_to(site.resolve())


def test_nothing_is_loaded_from_outside_the_folder_and_every_link_inside_it_leads_somewhere(
    site: Path, pages: dict[Path, _Page]
) -> None:
    external_links = 0
    for path, page in sorted(pages.items()):
        for tag, url in page.loads:
            assert not urlsplit(url).scheme or url.startswith("data:"), (path, tag, url)
            if not url.startswith("data:"):
                assert (path.parent / url).resolve().is_file(), (path, url)
        for url in page.links:
            if urlsplit(url).scheme in ("http", "https"):
                external_links += 1  # a source's address: followed by the reader, never fetched by the page
                continue
            target, _, anchor = url.partition("#")
            resolved = (path.parent / target).resolve() if target else path
            if resolved.is_dir():
                resolved = resolved / "index.html"
            assert resolved.is_file() and site in resolved.parents, (path, url)
            if anchor:
                assert anchor in pages[resolved].ids, (path, url)
    for css in site.rglob("*.css"):
        assert "url(" not in css.read_text(encoding="utf-8") and "@import" not in css.read_text(encoding="utf-8")
    for script in site.rglob("*.js"):
        assert not re.search(r"https?://", script.read_text(encoding="utf-8")), script
    assert external_links > 0  # the reference tables' sources are there to follow


def test_the_site_is_small(site: Path) -> None:
    sizes = {path.relative_to(site).as_posix(): path.stat().st_size for path in site.rglob("*") if path.is_file()}
    assert sum(sizes.values()) < 5_000_000
    pages = {name: size for name, size in sizes.items() if name.endswith(".html")}
    assert max(pages.values()) < 200_000, max(pages.items(), key=lambda item: item[1])
    manifest = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["files"]) == set(sizes) - {MANIFEST}


def test_zone_area_effects_series_and_about_pages(site: Path) -> None:
    for zone in ftz_reforms.zones():
        assert zone.name_zh in _reading(
            (site / "zones" / zone.iso_code.lower() / "index.html").read_text(encoding="utf-8")
        )
    assert len(list((site / "areas").iterdir())) == len(ftz_reforms.areas())
    nansha = (site / "areas" / "nansha-area" / "index.html").read_text(encoding="utf-8")
    assert "广州南沙新区片区" in nansha and 'href="../../cases/b5-01/"' in nansha
    effects = (site / "effects" / "index.html").read_text(encoding="utf-8")
    assert effects.count('<tr id="effects-b5-') == sum(len(case.effects) for case in ftz_reforms.cases())
    assert all((site / "effects" / name).is_file() for name in re.findall(r'<img src="([^"]+\.svg)"', effects))
    batches = (site / "batches" / "index.html").read_text(encoding="utf-8")
    assert batches.count("<tr><td>") == len(ftz_reforms.batches())
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    document = ftz_reforms.dataset().data.sources[0]
    assert document.sha256 in about and document.facts_basis in _reading(about)
    assert "254 of the 254 figures" in about


def test_an_imported_dataset_shows_its_chinese_and_says_it_has_no_english(
    imported: tuple[Collection, Path],
) -> None:
    collection, site = imported
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "no English translation" in index
    for case in collection.cases():
        page = (site / "cases" / case.id / "index.html").read_text(encoding="utf-8")
        assert "No English for this case" in page and '<p lang="en">' not in page
        assert case.summary_zh in _reading(page)
    assert "from a dataset file, not the bundled data" in index


def test_a_source_that_is_no_web_address_is_shown_never_linked(tmp_path: Path) -> None:
    """A dataset file is the user's input: a source written as javascript:, data: or file: stays text."""
    data = json.loads(ftz_reforms.dataset().to_json())
    hostile = ["javascript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd"]
    data["free_trade_zones"][0]["sources"] = [*hostile, "https://example.org/plan"]
    data["cases"] = data["cases"][:3]  # a file of the user's builds its own search index: three cases are enough
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    build_site(ftz_reforms.load(path), tmp_path / "site")
    page_path = tmp_path / "site" / "zones" / data["free_trade_zones"][0]["iso_code"].lower() / "index.html"
    page = _read(page_path)
    assert "https://example.org/plan" in page.links
    assert not [link for link in page.links if link.split(":", 1)[0].lower() in ("javascript", "data", "file")]
    shown = _reading(page_path.read_text(encoding="utf-8"))
    assert all(source in shown for source in hostile)
    assert "<script>alert(1)" not in page_path.read_text(encoding="utf-8")  # escaped, never markup


# --- writing the folder -----------------------------------------------------------------------------------


def test_an_earlier_site_is_replaced_whole_and_a_foreign_folder_is_refused(
    tmp_path: Path, small_copy: Path, small_warm_cache: Path
) -> None:
    collection = ftz_reforms.load(small_copy)  # how the folder is written, not what it holds: three cases
    target = tmp_path / "site"
    build_site(collection, target)
    (target / "stale.html").write_text("left by hand")
    with pytest.raises(FileAccessError, match="holds files that are not an ftz-reforms site"):
        build_site(collection, target)
    assert (target / "stale.html").read_text() == "left by hand"
    (target / "stale.html").unlink()
    (target / "index.html").write_text("an earlier build")
    build_site(collection, target)
    assert "an earlier build" not in (target / "index.html").read_text(encoding="utf-8")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    with pytest.raises(FileAccessError, match="give a new or empty folder"):
        build_site(collection, mine)
    assert [path.name for path in mine.iterdir()] == ["notes.txt"]
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(FileAccessError, match="not a folder"):
        build_site(collection, a_file)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        ["file", "mine", "site", small_copy.name, "cache"]
    )


def test_a_build_that_fails_leaves_the_earlier_site_and_no_scratch(
    tmp_path: Path, small_copy: Path, small_warm_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    collection = ftz_reforms.load(small_copy)  # how the folder is written, not what it holds: three cases
    target = tmp_path / "site"
    build_site(collection, target)
    before = {path: path.read_bytes() for path in target.rglob("*") if path.is_file()}

    def broken() -> dict[str, bytes]:
        raise KeyboardInterrupt  # the reader pressed Ctrl-C halfway

    monkeypatch.setattr("ftz_reforms.site.build._assets", broken)
    with pytest.raises(KeyboardInterrupt):
        build_site(collection, target)
    assert {path: path.read_bytes() for path in target.rglob("*") if path.is_file()} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(["site", small_copy.name, "cache"])


def test_without_jinja2_the_site_says_which_extra_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jinja2", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'ftz-reforms\[site\]'"):
        build_site(ftz_reforms.dataset(), tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_the_command_writes_the_site_and_refuses_in_one_line(tmp_path: Path, imported: tuple[Collection, Path]) -> None:
    result = in_process("site", "-o", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert re.match(rb"wrote a site of \d+ files \(\d\.\d MB; largest page \S+, \d+ KB\) to ", result.stderr)
    assert (tmp_path / "site" / "cases" / "b5-23" / "index.html").is_file()
    collection, _ = imported
    result = in_process("--data", str(collection.path), "site", "-o", str(tmp_path / "b90"))
    assert result.returncode == 0 and "no English translation" in (tmp_path / "b90" / "index.html").read_text("utf-8")
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "x").write_text("x")
    result = in_process("site", "-o", str(tmp_path / "taken"))
    error = result.stderr.decode()
    assert result.returncode == 2 and error.count("\n") == 1 and "not an ftz-reforms site" in error
    result = in_process("--data", str(collection.path), "site", "-o", str(collection.path))
    assert result.returncode == 2 and b"Traceback" not in result.stderr
    assert collection.path.read_bytes().startswith(b"{")


# --- the search, in Node ----------------------------------------------------------------------------------

_NODE_RUNNER = """
const fs = require("fs");
const search = require(process.argv[2]);
const engine = new search.Engine(JSON.parse(fs.readFileSync(process.argv[3], "utf8")));
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(queries.map((q) => engine.search(q, 50).map((hit) =>
  [hit.id, hit.score, hit.snippet, hit.highlights, hit.matched_terms]))));
"""


def _library_hits(collection: Collection, queries: list[str]) -> list[list[list[object]]]:
    return [
        [
            [hit.id, hit.score, hit.snippet, [list(span) for span in hit.highlights], list(hit.matched_terms)]
            for hit in collection.search(query, limit=50)
        ]
        for query in queries
    ]


def _node_hits(index: Path, queries: list[str], tmp_path: Path) -> list[list[list[object]]]:
    runner = tmp_path / "runner.js"
    runner.write_text(_NODE_RUNNER, encoding="utf-8")
    done = subprocess.run(
        [str(NODE), str(runner), str(SEARCH_JS), str(index)],
        input=json.dumps(queries), capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    hits: list[list[list[object]]] = json.loads(done.stdout)
    return hits


def _queries_from(cases: tuple[Case, ...]) -> list[str]:
    """Queries a reader might type, from the cases themselves: keywords, title pieces, figures, headings in
    English, and the traditional forms of Chinese ones."""
    queries = [query for query, _ in RELEVANCE] + list(LINKED_SEARCHES)
    for case in cases:
        queries += list(case.keywords[:4])
        queries += [case.title_zh[:4], case.title_zh[2:9], case.summary_zh[10:16]]
        queries += [metric.span for metric in case.metrics[:3]]
        if case.title_en:
            words = case.title_en.split()
            queries += [" ".join(words[:3]), " ".join(words[-2:])]
    queries += ["出口退貨", "綜合保稅區", "信用監管", "海關 customs", "e-commerce", "a", "的", "𠀀退货", "ＲＥＴＵＲＮ"]
    return list(dict.fromkeys(query for query in queries if query.strip()))


@pytest.mark.skipif(NODE is None, reason="no Node.js on this machine: the browser test below runs the same search")
def test_the_browser_search_ranks_scores_and_marks_as_the_library_on_every_query(site: Path, tmp_path: Path) -> None:
    queries = _queries_from(ftz_reforms.cases())
    assert len(queries) > 200
    assert _node_hits(site / "search" / "index.json", queries, tmp_path) == _library_hits(
        ftz_reforms.dataset(), queries
    )


@pytest.mark.skipif(NODE is None, reason="no Node.js on this machine: the browser test below runs the same search")
def test_an_imported_datasets_site_searches_its_own_index_as_the_library_does(
    imported: tuple[Collection, Path], tmp_path: Path
) -> None:
    collection, site = imported
    queries = _queries_from(collection.cases())
    expected = _library_hits(collection, queries)
    assert sum(map(len, expected)) > 0
    assert _node_hits(site / "search" / "index.json", queries, tmp_path) == expected


# --- in a real browser ------------------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The site on a loopback port, as ``python -m http.server`` serves it."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _only_own_requests(page: Browser, origin: str) -> None:
    outside = [url for url in page.requests() if not url.startswith((origin, "data:"))]
    assert outside == []


@pytest.mark.slow
@pytest.mark.parametrize("query", LINKED_SEARCHES)
def test_a_linked_search_lists_case_1_first_and_the_cases_in_the_command_lines_order(
    page: Browser, served: str, query: str
) -> None:
    page.open(f"{served}search/?q={quote(query)}")
    listed = page.wait_until(
        "document.getElementById('status').dataset.state === 'done' && "
        "[...document.querySelectorAll('#results a')].map(a => a.getAttribute('href'))"
    )
    expected = [f"../cases/{hit.id}/" for hit in ftz_reforms.search(query, limit=50)]
    assert listed[0] == "../cases/b5-01/" and listed == expected
    assert page.evaluate("document.getElementById('q').value") == query
    assert float(page.evaluate("document.getElementById('results').dataset.ms")) < 100
    assert page.problems() == []
    _only_own_requests(page, served)


@pytest.mark.slow
def test_the_search_box_searches_and_the_address_keeps_the_query(page: Browser, served: str) -> None:
    page.open(f"{served}search/")
    page.evaluate(
        "document.getElementById('q').value = 'marine ranch'; document.getElementById('search').requestSubmit()"
    )
    first = page.wait_until(
        "document.getElementById('status').dataset.state === 'done' && document.querySelector('#results li').dataset.id"
    )
    assert first == ftz_reforms.search("marine ranch")[0].id == "b5-23"
    assert page.evaluate("location.search") == "?q=marine%20ranch"
    assert page.problems() == []


@pytest.mark.slow
def test_a_case_page_loads_clean_and_a_figures_link_lands_on_the_figure(page: Browser, served: str) -> None:
    page.open(f"{served}cases/b5-04/")
    assert page.problems() == []
    _only_own_requests(page, served)
    metric = ftz_reforms.get("b5-04").metrics[2]
    page.evaluate(f"document.querySelector('#figures a[href=\"#{metric.id}\"]').click()")
    target = page.wait_until("document.querySelector(':target') && document.querySelector(':target').id")
    assert target == metric.id
    assert page.evaluate("document.querySelector(':target').textContent") == metric.span
    top = page.evaluate("document.querySelector(':target').getBoundingClientRect().top")
    assert 0 <= top < page.evaluate("innerHeight")
    page.evaluate("document.querySelector(':target').click()")
    popover = page.wait_until(f"document.getElementById('about-{metric.id}').matches(':popover-open') && "
                              f"document.getElementById('about-{metric.id}').innerText")  # fmt: skip
    assert metric.id in popover and (metric.description_en or "") in popover
    page.open(f"{served}cases/b5-04/index.html#{metric.id}")  # a new document: the anchor is read on load
    assert page.evaluate("document.querySelector(':target').id") == metric.id


@pytest.mark.slow
def test_the_language_switch_changes_the_labels_and_is_remembered(page: Browser, served: str) -> None:
    page.open(f"{served}index.html")
    page.evaluate("localStorage.clear()")
    page.open(f"{served}index.html")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.evaluate("document.querySelector('header nav a').innerText") == "Cases"
    page.evaluate("document.getElementById('lang-switch').click()")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert page.evaluate("document.querySelector('header nav a').innerText") == "案例"
    page.open(f"{served}cases/b5-01/")
    assert page.evaluate("document.documentElement.dataset.lang") == "zh"
    # The chosen language's paragraph comes first, also beside the other on a wide screen.
    first = page.evaluate("getComputedStyle(document.querySelector('.pair > p[lang=en]')).order")
    assert first == "0"
    page.evaluate("document.getElementById('lang-switch').click()")
    assert page.evaluate("getComputedStyle(document.querySelector('.pair > p[lang=en]')).order") == "-1"
    assert page.problems() == []


@pytest.mark.slow
def test_the_case_list_filters_and_keeps_the_filter_in_the_address(page: Browser, served: str) -> None:
    page.open(f"{served}index.html?province=CN-HN")
    shown = page.evaluate(
        "[...document.querySelectorAll('#cases tbody tr')].filter(r => !r.hidden).map(r => r.querySelector('a').textContent)"
    )
    assert shown == list(ftz_reforms.dataset().filter_ids(province="CN-HN"))
    page.evaluate("const s = document.querySelector('select[name=measure]'); s.value = 'processing_time'; "
                  "s.dispatchEvent(new Event('change', {bubbles: true}))")  # fmt: skip
    assert page.evaluate("location.search") == "?province=CN-HN&measure=processing_time"
    assert page.problems() == []


@pytest.mark.slow
def test_the_keyboard_reaches_the_skip_link_first(page: Browser, served: str) -> None:
    page.open(f"{served}cases/b5-01/")
    page.press("Tab", "Tab", 9)
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert page.evaluate("document.querySelectorAll('main, header, footer, nav').length") >= 4


@pytest.mark.slow
@pytest.mark.parametrize(("width", "height"), [(1400, 1000), (390, 844), (360, 740)])
def test_the_pages_fit_the_screen(page: Browser, served: str, width: int, height: int, tmp_path: Path) -> None:
    """Screenshots at both sizes (looked at by hand when the layout changes): nothing runs off the side."""
    page.screen(width, height, mobile=width < 600)
    try:
        for path in ("index.html", "cases/b5-04/", "search/?q=退货", "effects/index.html", "zones/cn-gd/"):
            page.open(served + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            shot = page.screenshot()
            assert shot.startswith(b"\x89PNG") and int.from_bytes(shot[16:20], "big") == width
            (tmp_path / (path.replace("/", "_").replace("?", "_") + ".png")).write_bytes(shot)
    finally:
        page.command("Emulation.clearDeviceMetricsOverride")
    assert page.problems() == []
    assert urljoin(served, "x").startswith("http://127.0.0.1:")


# The WCAG 2 contrast ratio of every element's own text against the background it is drawn on (the first
# ancestor with an opaque background), for the text that is shown.
_LOW_CONTRAST = """
(() => {
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const low = [];
  for (const element of document.querySelectorAll("body *")) {
    const own = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !element.getClientRects().length || getComputedStyle(element).visibility === "hidden") continue;
    const [a, b] = [luminance(rgb(getComputedStyle(element).color)), luminance(background(element))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) low.push(element.tagName + " " + ratio.toFixed(2) + " " + element.textContent.trim().slice(0, 30));
  }
  return low;
})()
"""


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_shown_text_has_a_contrast_of_at_least_4_5_to_1(page: Browser, served: str, lang: str) -> None:
    """WCAG 2's level AA for normal text, on every kind of page, in both languages of the interface."""
    page.open(f"{served}index.html")
    page.evaluate(f"localStorage.setItem('ftz-reforms-lang', '{lang}')")
    try:
        for path in ("index.html", "cases/b5-04/", "search/?q=退货", "effects/index.html", "zones/cn-gd/",
                     "areas/nansha-area/", "batches/index.html", "about/index.html"):  # fmt: skip
            page.open(served + path)
            if path.startswith("search/"):
                page.wait_until("document.getElementById('status').dataset.state === 'done'")
            assert page.evaluate(_LOW_CONTRAST) == [], path
    finally:
        page.evaluate("localStorage.removeItem('ftz-reforms-lang')")


@pytest.mark.slow
def test_a_case_prints_its_text_in_both_languages_without_the_sites_furniture(page: Browser, served: str) -> None:
    page.open(f"{served}cases/b5-04/")
    page.command("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        hidden = page.evaluate(
            "['header.top', 'footer', '.toc', '.pager', '.skip']"
            ".map(s => document.querySelector(s)).map(e => getComputedStyle(e).display)"
        )
        assert hidden == ["none"] * 5
        columns = page.evaluate(
            "getComputedStyle(document.querySelector('.pair')).gridTemplateColumns.split(' ').length"
        )
        assert columns == 2
        shown = page.evaluate(
            "[...document.querySelectorAll('.pair > p')].every(p => getComputedStyle(p).display !== 'none')"
        )
        assert shown
    finally:
        page.command("Emulation.setEmulatedMedia", {"media": ""})
    pdf = base64.b64decode(page.command("Page.printToPDF", {"printBackground": False})["data"])
    assert pdf.startswith(b"%PDF-")
