"""A tiny harness: register cases, time case and baseline alternately, print ratios."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Case:
    name: str
    setup: Callable[[], dict]
    run: Callable[[dict], object]
    baseline_name: str
    baseline: Callable[[dict], object]
    repeat: int = 7


CASES: list[Case] = []


def case(name: str, *, baseline_name: str, baseline: Callable[[dict], object],
         setup: Callable[[], dict] = dict, repeat: int = 7):
    def register(run):
        CASES.append(Case(name, setup, run, baseline_name, baseline, repeat))
        return run

    return register


def _time(fn, ctx) -> float:
    start = time.perf_counter()
    fn(ctx)
    return time.perf_counter() - start


def measure(c: Case) -> tuple[float, float]:
    ctx = c.setup()
    c.run(ctx)  # warm caches of both, then alternate so noise hits both alike
    c.baseline(ctx)
    runs, bases = [], []
    for _ in range(c.repeat):
        runs.append(_time(c.run, ctx))
        bases.append(_time(c.baseline, ctx))
    return statistics.median(runs), statistics.median(bases)
