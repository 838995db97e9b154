"""The static site's size and speed: how long it takes to build, how big it is, how fast its search answers.

    pip install -e ".[site,test]"
    python benchmarks/site.py            # needs Chromium (Debian: apt install chromium) for the browser part

Builds the bundled site into a temporary folder (``--runs`` times, in this process), reports the folder's
size, its largest pages and what a case page costs a reader (the page, its stylesheet and script), then
serves it on loopback and, in headless Chromium, runs every relevance query of the tests through the
search page: the time the page itself measures around the search (``performance.now()``), the first
search's time to load and parse the index, and the search that answers slowest.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser import Browser, chromium  # noqa: E402
from tests.relevance_table import RELEVANCE  # noqa: E402

import ftz_reforms  # noqa: E402
from ftz_reforms.site.build import build_site  # noqa: E402


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="builds to time (default 5)")
    args = parser.parse_args()
    collection = ftz_reforms.dataset()
    collection.cases()
    with tempfile.TemporaryDirectory() as scratch:
        seconds = []
        for run in range(args.runs):
            started = time.perf_counter()
            report = build_site(collection, Path(scratch) / "site", bundled=True)
            seconds.append(time.perf_counter() - started)
            if run == 0:
                first = report
        site = Path(scratch) / "site"
        print(f"build: median {statistics.median(seconds) * 1000:.0f} ms over {args.runs} runs (in process)")
        print(f"site: {first.files} files, {first.bytes / 1e6:.2f} MB")
        pages = sorted(((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")), reverse=True)
        print("largest pages: " + ", ".join(f"{name} {size / 1024:.0f} KB" for size, name in pages[:3]))
        cases = [size for size, name in pages if name.startswith("cases/")]
        assets = sum((site / "assets" / name).stat().st_size for name in ("site.css", "site.js"))
        print(f"case pages: median {statistics.median(cases) / 1024:.0f} KB, largest {max(cases) / 1024:.0f} KB "
              f"(+ {assets / 1024:.0f} KB of stylesheet and script, shared)")  # fmt: skip
        search = sum((site / name).stat().st_size for name in ("search/index.json", "assets/search.js"))
        print(f"search data and engine: {search / 1e6:.2f} MB, fetched once by the search page")
        _browser(site)


def _browser(site: Path) -> None:
    executable = chromium()
    if executable is None:
        print("no Chromium: the browser part is left out (apt install chromium)")
        return
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}/"
    page = Browser(executable)
    try:
        timings = []
        for number, (query, _) in enumerate(RELEVANCE):
            page.open(f"{origin}search/?q={quote(query)}")
            page.wait_until("document.getElementById('status').dataset.state === 'done'")
            timings.append((float(page.evaluate("document.getElementById('results').dataset.ms")), query))
            if number == 0:
                load = page.evaluate(
                    "performance.getEntriesByType('resource').filter(e => e.name.endsWith('index.json'))"
                    ".map(e => e.responseEnd - e.startTime)[0]"
                )
        values = [ms for ms, _ in timings]
        slowest = max(timings)
        print(f"search in Chromium, {len(values)} queries, each on a fresh page (segmenter set up each time): "
              f"median {statistics.median(values):.1f} ms, slowest {slowest[0]:.1f} ms ({slowest[1]})")  # fmt: skip
        print(f"index.json fetched from loopback in {load:.0f} ms on the first search page")
    finally:
        page.close()
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
