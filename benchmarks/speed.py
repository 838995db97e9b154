"""Speed and memory of ftz-reforms against its floors and peers (DESIGN.md §6), in one run on one machine.

    pip install -e ".[bench]"          # adds rank-bm25 for the do-it-yourself search
    python benchmarks/speed.py [--import-runs 301] [--runs 21]

Measures, as medians of fresh processes run in rounds (one run of each contender per round, the order
rotating, so drift in the machine's speed hits every contender alike):

1. ``import ftz_reforms; ftz_reforms.cases()`` against a process that imports pydantic and defines one
   trivial model (the floor for anything holding pydantic models): the median of the round-by-round
   differences, with its 95% confidence interval. This pair runs on its own, with many rounds: it
   looks for a ~20 ms difference between processes whose own times vary by far more on a busy machine;
2. a cold ``ftz-reforms search 退货`` against the do-it-yourself path (load the bundled JSON,
   ``jieba.lcut_for_search`` every case, rank with rank-bm25) and the bare interpreter;
3. warm query latency of ``ftz_reforms.search`` over the relevance queries (in-process);
4. peak memory (max RSS) of the cold search process.

Python's bytecode cache is allowed for the child processes (``PYTHONDONTWRITEBYTECODE`` is removed from
their environment) and every command runs once before timing, so nobody pays for compiling sources.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

# DESIGN.md §6: at most 20 ms over a pydantic floor it puts at ~70 ms on its reference machine.
TARGET_OVER_FLOOR_MS = 20.0
DESIGN_FLOOR_MS = 70.0
FLOOR_INTERPRETER = [sys.executable, "-c", "pass"]
FLOOR_PYDANTIC = [sys.executable, "-c", "import pydantic\nclass M(pydantic.BaseModel):\n    x: int"]
OURS_CASES = [sys.executable, "-c", "import ftz_reforms; ftz_reforms.cases()"]
OURS_SEARCH = [str(Path(sys.executable).with_name("ftz-reforms")), "search", "退货"]
DIY_SEARCH = [
    sys.executable,
    "-c",
    """
import json, pathlib, warnings
warnings.simplefilter("ignore")
import jieba
from rank_bm25 import BM25Okapi
import ftz_reforms._paths as paths
data = json.loads((paths.DATA_DIRECTORY / "dataset.json").read_text(encoding="utf-8"))
def text(case):
    parts = [case["title_zh"], case["summary_zh"]]
    for section in case["practices"] + case["outcomes"]:
        parts += [section["heading_zh"] or "", section["text_zh"]]
    return "".join(parts)
corpus = [jieba.lcut_for_search(text(case)) for case in data["cases"]]
scores = BM25Okapi(corpus).get_scores(jieba.lcut_for_search("退货"))
best = sorted(range(len(scores)), key=lambda i: -scores[i])[:10]
print([data["cases"][i]["number"] for i in best])
""",
]


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["NO_COLOR"] = "1"
    return env


def _run(command: list[str]) -> tuple[float, float, int]:
    """Wall time and CPU time (user + system) in seconds, and the peak RSS in KiB of this child alone."""
    start = time.perf_counter()
    # wait4 reports the resource usage of exactly this child.
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_environment())
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark command failed: {command}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def _samples(
    commands: dict[str, list[str]], runs: int
) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, int]]:
    """Per command: wall and CPU time of every run, and the peak RSS.

    Runs go in rounds, one run of each command per round, so run i of every command shares the
    machine's conditions; the order within a round rotates, so no command always runs first.
    """
    for command in commands.values():
        _run(command)  # warm-up: bytecode caches, jieba's own cache, the page cache
    names = list(commands)
    times: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    memory: dict[str, list[int]] = {name: [] for name in names}
    for round_number in range(runs):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            elapsed, cpu_time, rss = _run(commands[name])
            times[name].append(elapsed)
            cpu[name].append(cpu_time)
            memory[name].append(rss)
    return times, cpu, {name: max(memory[name]) for name in names}


def _paired(times: dict[str, list[float]], ours: str, peer: str) -> tuple[float, float, float]:
    """Median of round-by-round differences (drift in the machine's speed cancels within a round), and
    its 95% confidence interval, distribution-free (order statistics of the sorted differences)."""
    differences = sorted(a - b for a, b in zip(times[ours], times[peer]))
    n = len(differences)
    k = max(0, math.floor((n - 1.96 * math.sqrt(n)) / 2))
    return statistics.median(differences), differences[k], differences[n - 1 - k]


def _warm_latency() -> tuple[float, float, int]:
    import ftz_reforms
    from relevance_table import RELEVANCE

    ftz_reforms.search("退货")
    per_query = []
    for query, _ in RELEVANCE:
        samples = []
        for _ in range(50):
            start = time.perf_counter()
            ftz_reforms.search(query)
            samples.append(time.perf_counter() - start)
        per_query.append(statistics.median(samples))
    return statistics.median(per_query), max(per_query), len(per_query)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21, help="fresh processes per search command (default 21)")
    parser.add_argument("--import-runs", type=int, default=301, help="fresh processes per import command (default 301)")
    args = parser.parse_args()
    try:
        import rank_bm25  # noqa: F401
    except ImportError:
        raise SystemExit('rank-bm25 is needed for the do-it-yourself path: pip install -e ".[bench]"') from None

    # The import pair runs on its own: a 20 ms difference between two ~100 ms processes needs many
    # rounds, and the second-long do-it-yourself search would only add noise between them.
    import_times, import_cpu, _ = _samples(
        {"pydantic floor": FLOOR_PYDANTIC, "import + cases()": OURS_CASES}, args.import_runs
    )
    times, _, memory = _samples(
        {
            "interpreter": FLOOR_INTERPRETER,
            "ftz-reforms search 退货": OURS_SEARCH,
            "do-it-yourself search": DIY_SEARCH,
        },
        args.runs,
    )
    warm_median, warm_worst, queries = _warm_latency()
    ms = {name: statistics.median(values) * 1000 for name, values in {**import_times, **times}.items()}
    floor_quartiles = statistics.quantiles([t * 1000 for t in import_times["pydantic floor"]], n=4)
    print(
        f"# {platform.python_implementation()} {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs; medians of {args.import_runs} fresh processes for the import pair, "
        f"{args.runs} for the others"
    )
    print("| measure | median | against its peer | target |")
    print("| --- | --- | --- | --- |")
    print(f"| interpreter start-up (`python -c pass`) | {ms['interpreter']:.1f} ms | | |")
    print(
        f"| pydantic floor (import, one model) | {ms['pydantic floor']:.1f} ms "
        f"(middle half {floor_quartiles[0]:.0f}-{floor_quartiles[2]:.0f} ms) | | |"
    )
    over, low, high = (1000 * value for value in _paired(import_times, "import + cases()", "pydantic floor"))
    print(
        f"| `import ftz_reforms; cases()` | {ms['import + cases()']:.1f} ms | "
        f"{over:+.1f} ms over the floor, paired (95% CI {low:+.1f} to {high:+.1f} ms) | "
        f"at most +{TARGET_OVER_FLOOR_MS:.0f} ms |"
    )
    share = over / ms["pydantic floor"] * 100
    print(
        f"| the same as a share of the floor | | {share:.0f}% of the floor's median | "
        f"at most {100 * TARGET_OVER_FLOOR_MS / DESIGN_FLOOR_MS:.0f}% (20 ms over the design's ~70 ms floor) |"
    )
    fastest = 1000 * (min(import_times["import + cases()"]) - min(import_times["pydantic floor"]))
    print(
        f"| the same between each one's fastest run (noise only ever adds time) | | {fastest:+.1f} ms "
        f"({min(import_times['pydantic floor']) * 1000:.0f} ms floor) | |"
    )
    cpu_over, cpu_low, cpu_high = (1000 * value for value in _paired(import_cpu, "import + cases()", "pydantic floor"))
    cpu_interval = f"95% CI {cpu_low:+.1f} to {cpu_high:+.1f}"
    print(f"| the same in CPU time (user + system) | | {cpu_over:+.1f} ms ({cpu_interval}) | |")
    ratio = ms["do-it-yourself search"] / ms["ftz-reforms search 退货"]
    print(
        f"| cold `ftz-reforms search 退货` | {ms['ftz-reforms search 退货']:.1f} ms | "
        f"{ratio:.1f}x faster than do-it-yourself; {ms['ftz-reforms search 退货'] - ms['interpreter']:+.1f} ms "
        f"over the interpreter | at least 6x |"
    )
    print(f"| do-it-yourself search (json + jieba + rank-bm25) | {ms['do-it-yourself search']:.1f} ms | | |")
    print(
        f"| warm query ({queries} relevance queries) | {warm_median * 1000:.3f} ms median, "
        f"{warm_worst * 1000:.3f} ms slowest | | under 1 ms |"
    )
    rss = memory["ftz-reforms search 退货"] / 1024
    print(f"| peak memory, cold search process | {rss:.1f} MB | | under 80 MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
