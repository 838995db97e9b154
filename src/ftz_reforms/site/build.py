"""Write the site: every page rendered from ``pages.site_of``, the assets, the charts and the search data.

The folder is written whole or not at all (``_files.write_folder``): an earlier site there, recognised by its
manifest, is replaced whole; anything else there is refused. Every link is relative, so the folder works on
any static host, under any path, and from ``python -m http.server``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftz_reforms._files import write_folder
from ftz_reforms.errors import MissingExtraError
from ftz_reforms.model.vocab import Category, category_label
from ftz_reforms.site.pages import Site, site_of
from ftz_reforms.text.chars import IDEOGRAPHS

if TYPE_CHECKING:
    from ftz_reforms.collection import Collection

__all__ = ["MANIFEST", "SiteReport", "build_site"]

MANIFEST = "ftz-reforms-site.json"
"""The file that lists what the site holds: how a later build knows the folder is a site it may replace."""
_CHINESE_RUN = re.compile(
    f"[{IDEOGRAPHS}](?:[{IDEOGRAPHS}\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f“”‘’]*[{IDEOGRAPHS}])?"
)
"""A run of Chinese: ideographs, and the Chinese punctuation between two of them."""
_WEB_ADDRESS = re.compile(r"https?://[^\s]+\Z", re.IGNORECASE)
_ASSETS = ("site.css", "site.js", "search.js", "search-page.js")


@dataclass(frozen=True)
class SiteReport:
    """What a build wrote: how many files, how many bytes, the largest page."""

    files: int
    bytes: int
    largest_page: tuple[str, int]


def build_site(collection: Collection, directory: str | Path, *, bundled: bool = False) -> SiteReport:
    """Write ``collection``'s site into ``directory``; a :class:`MissingExtraError` without Jinja2 (the ``site``
    extra), a :class:`FileAccessError` for a target that is not new, empty or an earlier site."""
    try:
        import jinja2  # noqa: F401  (asked on every build: the environment is made once a process)
    except ImportError:
        raise MissingExtraError("jinja2", "site") from None
    environment = _environment()
    site = site_of(collection, bundled=bundled)
    written: dict[str, bytes] = {}

    def fill(folder: Path) -> None:
        charts = _charts(collection)
        files = _pages(environment, site, [(name, caption) for name, (_, caption) in charts.items()])
        files.update({f"effects/{name}": drawing for name, (drawing, _) in charts.items()})
        files.update(_assets())
        files["search/index.json"] = json.dumps(
            collection.search_index_file(), ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
        files[MANIFEST] = _manifest(site, files)
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        written.update(files)

    write_folder(directory, fill, earlier=_earlier_site, what="an ftz-reforms site")
    pages = {name: len(content) for name, content in written.items() if name.endswith(".html")}
    largest = max(pages.items(), key=lambda item: item[1])
    return SiteReport(files=len(written), bytes=sum(map(len, written.values())), largest_page=largest)


@functools.lru_cache(maxsize=1)
def _environment() -> Any:
    """The templates' environment, made once a process: Jinja2 compiles each template on first use and keeps it."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("ftz_reforms.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["mixed"] = _mixed
    environment.filters["category"] = lambda value: category_label(Category(value))
    # A source becomes a link only when it is a web address: a dataset file is the user's input, and any other
    # scheme (javascript:, data:, file:) would run or open something when a reader follows it.
    environment.tests["web_address"] = lambda value: isinstance(value, str) and _WEB_ADDRESS.match(value) is not None
    return environment


def _mixed(text: str | None) -> Any:
    """Free text that may mix languages (a note, a source's facts), escaped, each run of Chinese characters
    marked as Chinese, so a screen reader and a browser's fonts read it as Chinese."""
    from markupsafe import Markup, escape

    escaped = str(escape(text or ""))
    return Markup(_CHINESE_RUN.sub(lambda run: f'<span lang="zh-Hans">{run.group(0)}</span>', escaped))


def _pages(environment: Any, site: Site, charts: list[tuple[str, str]]) -> dict[str, bytes]:
    """Every page by its path in the folder; ``charts`` the (file, caption) of each chart the effects page shows."""

    def page(template: str, path: str, **context: Any) -> tuple[str, bytes]:
        depth = path.count("/")
        html = environment.get_template(template).render(site=site, root="../" * depth, path=path, **context)
        return path, html.encode("utf-8")

    pages = [
        page("index.html", "index.html"),
        page("search.html", "search/index.html"),
        page("effects.html", "effects/index.html", charts=charts),
        page("batches.html", "batches/index.html"),
        page("about.html", "about/index.html"),
        page("zones.html", "zones/index.html"),
    ]
    pages += [page("case.html", f"cases/{case.summary.id}/index.html", page=case) for case in site.case_pages]
    pages += [page("zone.html", f"zones/{zone.slug}/index.html", page=zone) for zone in site.zones]
    pages += [page("area.html", f"areas/{area.slug}/index.html", page=area) for area in site.areas]
    return dict(pages)


def _assets() -> dict[str, bytes]:
    static = resources.files("ftz_reforms.site") / "static"
    return {f"assets/{name}": (static / name).read_bytes() for name in _ASSETS}


def _charts(collection: Collection) -> dict[str, tuple[bytes, str]]:
    """Each chart's drawing and caption by its file name; none for a dataset without effects (every chart but
    one draws effects, and an import's effects are uncurated)."""
    from ftz_reforms.charts import CHARTS

    data = collection.data
    if not any(case.effects for case in data.cases):
        return {}
    return {chart.name: (chart.draw(data), chart.caption_of(data)) for chart in CHARTS}


def _manifest(site: Site, files: dict[str, bytes]) -> bytes:
    manifest = {
        "generator": f"ftz-reforms {site.package_version}",
        "data_version": site.data_version,
        "schema_version": site.schema_version,
        "files": {name: hashlib.sha256(content).hexdigest() for name, content in sorted(files.items())},
    }
    return json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def _earlier_site(folder: Path) -> bool:
    """Whether ``folder`` holds an earlier site and nothing else: every entry at its top is one its manifest lists."""
    try:
        listed = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    tops = {name.split("/", 1)[0] for name in listed} | {MANIFEST}
    return all(entry.name in tops for entry in folder.iterdir())
