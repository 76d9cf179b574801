"""The benchmark's output: one table per concurrency on the terminal, the same as JSON."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.measure import stable


def write_json(report: dict[str, Any], folder: Path, stamp: datetime) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bench-{stamp:%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    return path


def _num(value: float | None, width: int, digits: int = 1) -> str:
    return f"{value:>{width},.{digits}f}" if value is not None else f"{'-':>{width}}"


def print_table(report: dict[str, Any]) -> None:
    rows = report["results"]
    sizes = sorted({r["size"] for r in rows}, reverse=True)
    timings = report["timings_s"]
    print("\n== Results")
    for size in sizes:
        info = report["sizes"][str(size)]
        made = (
            f"generated this run in {info['generation_s']:.0f} s"
            if info["generated_now"]
            else f"generated on {info['generated_on']}"
        )
        per_coach = ", ".join(str(n) for n in sorted(info["clients_per_coach"].values()))
        print(
            f"{size:,} clients (per coach: {per_coach}; head coach sees all): "
            f"{info['sessions']:,} sessions, {info['assignments']:,} stage assignments "
            f"({info['regressions']:,} regressions), {info['signoffs']:,} sign-offs, "
            f"{info['assessments']:,} assessments; {made}"
        )
    print(
        f"setup {timings['setup']:.0f} s, measuring {timings['measuring']:.0f} s, "
        f"total {timings['total']:.0f} s"
    )
    growth = len(sizes) > 1
    slow_seen = boxed_seen = False
    for concurrency in sorted({r["concurrency"] for r in rows}):
        print(
            f"\nConcurrency {concurrency}: times in ms; x bare = median / the bare view's median"
            + (f"; {sizes[0]}/{sizes[-1]} = ratio of the medians" if growth else "")
        )
        head = f"{'page':<38} {'who':<10}"
        sub = f"{'':<38} {'':<10}"
        for size in sizes:
            head += f" | {f'{size:,} clients':^40}"
            sub += f" | {'n':>5} {'median':>8} {'p95':>8} {'x bare':>7} {'queries':>7}"
        if growth:
            head += f" | {'growth':>7}"
            sub += f" | {f'{sizes[0]}/{sizes[-1]}':>7}"
        print(head)
        print(sub)
        print("-" * len(sub))
        mine = [r for r in rows if r["concurrency"] == concurrency]
        order: list[tuple[str, str]] = []
        for r in mine:
            key = (stable(r["page"]), r["who"])
            if key not in order:
                order.append(key)
        for key in order:
            found = {r["size"]: r for r in mine if (stable(r["page"]), r["who"]) == key}
            label = next(r["page"] for r in mine if (stable(r["page"]), r["who"]) == key)
            line = f"{label[:38]:<38} {key[1]:<10}"
            for size in sizes:
                r = found.get(size)
                if r is None:
                    line += f" | {'':>40}"
                    continue
                slow_seen |= r["slow"]
                boxed_seen |= r["timeboxed"]
                n = f"{r['n']}{'*' if r['slow'] else '+' if r['timeboxed'] else ''}"
                line += (
                    f" | {n:>5} {_num(r['median_ms'], 8)} {_num(r['p95_ms'], 8)}"
                    f" {_num(r['ratio_bare'], 7)} {r['queries']:>7}"
                )
            if growth:
                big = found.get(sizes[0])
                line += f" | {_num(big['growth'] if big else None, 7)}"
            print(line)
    settings = report["settings"]
    if slow_seen:
        print(
            f"\n* median over {settings['slow_ms']:.0f} ms at concurrency 1: time-boxed to "
            f"fewer than {settings['requests']} requests (at least {settings['slow_requests']})."
        )
    if boxed_seen:
        print(
            f"+ median under {settings['slow_ms']:.0f} ms, but measured with fewer than "
            f"{settings['requests']} requests: {settings['requests']} for every page would not "
            f"fit the {settings['budget_s']:.0f} s budget, so the costliest pages were each "
            f"time-boxed to the same time at concurrency 1 (at least "
            f"{settings['slow_requests']} requests)."
        )
    for note in report["notes"]:
        print(f"Note: {note}")
