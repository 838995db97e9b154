"""One fresh process, timed from outside: its wall time and its own peak memory (shared by the benchmarks)."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Mapping


def timed(command: list[str], env: Mapping[str, str] | None = None) -> tuple[float, int]:
    """Wall time in seconds and peak RSS in KiB of ``command`` run once; a failed run stops the benchmark.

    ``os.wait4`` reports the usage of exactly this child. Run nothing large in the calling process before:
    a child's peak memory counts the pages it shares with its parent at the fork.
    """
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark command failed: {command}")
    return elapsed, usage.ru_maxrss
