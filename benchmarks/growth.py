"""How the cost of a user's own dataset grows with the series (DESIGN.md §6, the series grows), in one run.

    python benchmarks/growth.py [--sizes 23 230 1000 2900] [--runs 7]

For each size it writes a dataset file of that many cases (the bundled batch repeated as batches 1, 2, …,
the last one cut short; every file valid and in the records' own form) and times fresh processes, as
medians, with the peak memory (max RSS) of the largest run:

- ``first load``: ``load(path).cases()`` with an empty cache: the file is validated, its catalogue cached;
- ``load``: the same with the cache in place: the catalogue read from the cache, the records validated by the
  models (a user's file is never taken on the cache's word);
- ``first search``: ``ftz-reforms --data FILE search 退货`` building the search index (once, then cached;
  one run: it is the cost a file's first search pays);
- ``cold search``: the same command with the index cached, and beside it the bundled data's own cold search
  (``ftz-reforms search 退货``) in the same rounds, as a ratio;
- ``warm search``: one query in a process that already searched (in-process, median of the relevance queries);
- ``list``: ``ftz-reforms --data FILE list``; ``export``: ``--data FILE export --table metrics --format csv``.

Targets: a loaded file's cold search within 1.5x the bundled one's on the same 23 cases; 230 cases load in
under 0.5 s and answer a cold CLI search in under 0.3 s; ``list`` of 2,900 cases in under 3 s and 300 MB.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from processes import timed  # noqa: E402  (beside this script)

CLI = str(Path(sys.executable).with_name("ftz-reforms"))


def grown(size: int, path: Path) -> Path:
    """A valid dataset file of ``size`` cases: the bundled batch repeated as batches 1, 2, …"""
    from ftz_reforms._paths import DATA_DIRECTORY

    bundled = json.loads((DATA_DIRECTORY / "dataset.json").read_bytes())
    (source,) = bundled["sources"]
    data = {**bundled, "sources": [], "cases": []}
    data.pop("batches", None)  # the series' table says which batches a dataset holds: this one holds invented ones
    batch = 0
    while len(data["cases"]) < size:
        batch += 1
        data["sources"].append({**source, "batch": batch})
        for case in bundled["cases"][: size - len(data["cases"])]:
            grown_case = copy.deepcopy(case)
            old, new = case["id"], f"b{batch}-{case['number']:02d}"
            grown_case.update(id=new, batch=batch)
            for metric in grown_case["metrics"]:
                metric["id"] = metric["id"].replace(old, new)
                if metric["restates"]:
                    metric["restates"] = metric["restates"].replace(old, new)
            for effect in grown_case.get("effects", []):
                for field in ("id", "before", "after", "change", "restates"):
                    if effect.get(field):
                        effect[field] = effect[field].replace(old, new)
            for withdrawn in grown_case.get("withdrawn", []):
                withdrawn["id"] = withdrawn["id"].replace(old, new)
            data["cases"].append(grown_case)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def _run(command: list[str], cache: Path) -> tuple[float, int]:
    """Wall time in seconds and peak RSS in KiB of one fresh process, with ``cache`` as its cache."""
    env = {**os.environ, "FTZ_REFORMS_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return timed(command, env)


def _load(path: Path) -> list[str]:
    return [sys.executable, "-c", f"from ftz_reforms import load; load({str(path)!r}).cases()"]


def _measure(commands: dict[str, tuple[list[str], Path | None]], runs: int, scratch: Path) -> dict[str, list[float]]:
    """Runs in rounds, the order rotating; a command whose cache is None gets an empty one each run."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    memory: dict[str, int] = dict.fromkeys(commands, 0)
    names = list(commands)
    for round_number in range(runs + 1):  # round 0 warms up
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            command, cache = commands[name]
            elapsed, rss = _run(command, cache or Path(tempfile.mkdtemp(dir=scratch)))
            if round_number:
                times[name].append(elapsed)
                memory[name] = max(memory[name], rss)
    return {name: [*values, memory[name] / 1024] for name, values in times.items()}


def _warm_search(path: Path, cache: Path) -> float:
    code = (
        "import statistics, sys, time\n"
        "from relevance_table import RELEVANCE\n"
        "from ftz_reforms import load\n"
        f"data = load({str(path)!r}); data.search('退货')\n"
        "medians = []\n"
        "for query, _ in RELEVANCE:\n"
        "    samples = []\n"
        "    for _ in range(20):\n"
        "        start = time.perf_counter(); data.search(query); samples.append(time.perf_counter() - start)\n"
        "    medians.append(statistics.median(samples))\n"
        "print(statistics.median(medians))\n"
    )
    env = {**os.environ, "FTZ_REFORMS_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT / "tests")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return float(result.stdout)


def _cells(results: dict[str, list[float]]) -> Callable[[str], str]:
    def cell(name: str) -> str:
        *times, peak = results[name]
        return f"{statistics.median(times) * 1000:.0f} ms, {peak:.0f} MB"

    return cell


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[23, 230, 1000, 2900])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per measure (default 7)")
    parser.add_argument("--grow", nargs=2, metavar=("SIZE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.grow:
        grown(int(args.grow[0]), Path(args.grow[1]))
        return 0
    print(f"CPython {sys.version.split()[0]}, {os.cpu_count()} CPUs; medians of {args.runs} fresh processes\n")
    print(
        "| cases | file | first load | load | first search | cold search | bundled cold search | ratio | "
        "warm search | list | export (metrics csv) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory(prefix="ftz-growth-") as work:
        scratch = Path(work)
        for size in args.sizes:
            path = scratch / f"cases-{size}.json"
            # In a process of its own: a child's peak memory counts the parent's pages at fork time.
            subprocess.run([sys.executable, __file__, "--grow", str(size), str(path)], check=True)
            cache = scratch / f"cache-{size}"
            first_search, first_search_rss = _run([CLI, "--data", str(path), "search", "退货"], cache)
            results = _measure(
                {
                    "first load": (_load(path), None),
                    "load": (_load(path), cache),
                    "cold search": ([CLI, "--data", str(path), "search", "退货"], cache),
                    "bundled": ([CLI, "search", "退货"], cache),
                    "list": ([CLI, "--data", str(path), "list"], cache),
                    "export": (
                        [CLI, "--data", str(path), "export", "--table", "metrics", "-o", str(scratch / "m.csv")],
                        cache,
                    ),
                },
                args.runs,
                scratch,
            )
            ratio = statistics.median(a / b for a, b in zip(results["cold search"][:-1], results["bundled"][:-1]))
            cell = _cells(results)

            print(
                f"| {size:,} | {path.stat().st_size / 2**20:.1f} MB | {cell('first load')} | {cell('load')} | "
                f"{first_search * 1000:.0f} ms, {first_search_rss / 1024:.0f} MB | {cell('cold search')} | "
                f"{cell('bundled')} | {ratio:.2f}x | {_warm_search(path, cache) * 1000:.2f} ms | {cell('list')} | "
                f"{cell('export')} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
