"""How ``ftz-reforms import`` grows with its input (DESIGN.md §6: import is linear in its input), in one run.

    python benchmarks/import_scaling.py [--runs 3]

Generates casebooks in the layout (every physical line followed by a blank line) of three shapes, each at
growing sizes, and times a fresh ``ftz-reforms import`` process on each (the median of ``--runs``), with its
peak memory. Time per input byte that stays flat as the input grows is a linear import:

- ``lines``: one case whose practices run to N physical lines of 26 characters (a very long section);
- ``line``: one case whose practices are one physical line of N characters (no line breaks at all);
- ``cases``: N cases of the bundled casebook's shape (title, provider, introduction, three practices and two
  outcomes, with figures), up to a 10 MB casebook.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from processes import timed

CLI = str(Path(sys.executable).with_name("ftz-reforms"))
_WORDS = ["跨境", "服务", "监管", "平台", "企业", "港口", "审批", "通关", "数据", "协同", "机制", "标准"]
_FIGURES = ["节约成本5000万元", "效率提升30%", "压缩至3个工作日", "服务企业200余家"]
_HEAD = ["中国（江苏）自由贸易试验区提供", "为推进改革，江苏自贸试验区苏州片区开展试点，成效明显。"]


def _sentences(size: int, rng: random.Random) -> str:
    out: list[str] = []
    length = 0
    while length < size:
        sentence = "".join(rng.choice(_WORDS) for _ in range(10)) + rng.choice(_FIGURES) + "。"
        out.append(sentence)
        length += len(sentence)
    return "".join(out)


def _case(number: int, practices: list[str], rng: random.Random) -> list[str]:
    return [
        f" {number}.测试案例第{number}号新模式",
        *_HEAD,
        "一、主要做法",
        *practices,
        "二、实践效果",
        "（一）成效明显。" + _sentences(120, rng),
        "（二）企业满意。" + _sentences(120, rng),
    ]


def casebook(shape: str, size: int, seed: int = 1) -> str:
    """A casebook of ``shape`` (lines, line or cases) and ``size`` (lines, characters or cases)."""
    rng = random.Random(seed)
    if shape == "lines":
        text = _sentences(26 * size, rng)
        lines = _case(1, [text[i : i + 26] for i in range(0, len(text), 26)], rng)
    elif shape == "line":
        lines = _case(1, [_sentences(size, rng)], rng)
    else:
        lines = []
        for number in range(1, size + 1):
            sections = [f"（{marker}）做法{marker}。" + _sentences(300, rng) for marker in "一二三"]
            wrapped = [
                line for section in sections for line in (section[i : i + 26] for i in range(0, len(section), 26))
            ]
            lines += _case(number, wrapped, rng)
    return "".join(f"{line}\n\n" for line in lines)


def _run(path: Path, output: Path) -> tuple[float, int]:
    return timed([CLI, "import", str(path), "--batch", "1", "-o", str(output)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", nargs=3, metavar=("SHAPE", "SIZE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        Path(args.write[2]).write_text(casebook(args.write[0], int(args.write[1])), encoding="utf-8")
        return 0
    shapes = {"lines": (1_000, 10_000, 100_000), "line": (10_000, 100_000, 1_000_000), "cases": (20, 200, 2_600)}
    print(f"CPython {sys.version.split()[0]}; medians of {args.runs} fresh `ftz-reforms import` processes\n")
    print("| shape | size | casebook | time | per MB | peak memory |")
    print("| --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory(prefix="ftz-import-") as work:
        for shape, sizes in shapes.items():
            for size in sizes:
                path = Path(work) / f"{shape}-{size}.txt"
                # Written by a process of its own: a child's peak memory counts its parent's pages at fork.
                subprocess.run([sys.executable, __file__, "--write", shape, str(size), str(path)], check=True)
                megabytes = path.stat().st_size / 2**20
                runs = [_run(path, Path(work) / "out.json") for _ in range(args.runs)]
                elapsed = statistics.median(run[0] for run in runs)
                peak = max(run[1] for run in runs) / 1024
                print(
                    f"| {shape} | {size:,} | {megabytes:.2f} MB | {elapsed:.2f} s | {elapsed / megabytes:.2f} s | "
                    f"{peak:.0f} MB |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
