"""Time the timeline, map and profile pages (and a query chart) for the synthetic benchmark data.

    python benchmarks/bench_charts.py [N_CASES] [RUNS]   (default 30000 cases, 1 run)

Prints: load time, then per page the time to compute and write it (wall clock, and the CPU time of
this process, which says more on a shared machine), its size, and (when Chromium is at
/usr/bin/chromium) the time until the page says it has drawn. With RUNS > 1 each page is written
RUNS times: the first run (a fresh process: the first page also starts vl-convert's JavaScript
engine) and the best of the others. Numbers only, no assertions.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generate import write  # noqa: E402

from kemitraan_graph import KnowledgeGraph  # noqa: E402
from kemitraan_graph.render import write_chart, write_profile  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def main(n: int = 30000, runs: int = 1) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        t0 = time.perf_counter()
        data = write(n, out / "cases.ttl")
        print(f"generated {n} cases in {time.perf_counter() - t0:.2f} s")
        t0 = time.perf_counter()
        with KnowledgeGraph.load([data]) as kg:
            print(f"loaded in {time.perf_counter() - t0:.2f} s")
            pages = {}
            jobs = {
                "timeline": lambda p: write_chart(kg.reader, "timeline", p),
                "map": lambda p: write_chart(kg.reader, "map", p),
                "profile": lambda p: write_profile(kg.reader, p),
                "chart cases-by-sector": lambda p: write_chart(kg.reader, "query", p, query="cases-by-sector"),
            }
            times: dict[str, list[tuple[float, float]]] = {name: [] for name in jobs}
            for _run in range(max(1, runs)):
                for name, job in jobs.items():
                    path = out / (name.split()[0] + ".html")
                    t0, c0 = time.perf_counter(), time.process_time()
                    job(path)
                    times[name].append((time.perf_counter() - t0, time.process_time() - c0))
                    pages[name] = path
            for name, path in pages.items():
                (dt, cpu), rest = times[name][0], times[name][1:]
                line = f"{name:24s} written in {dt:6.2f} s (CPU {cpu:5.2f} s)"
                if rest:
                    best, best_cpu = min(w for w, _c in rest), min(c for _w, c in rest)
                    line += f", best of {len(rest)} more {best:5.2f} s (CPU {best_cpu:5.2f} s)"
                print(f"{line}  ({path.stat().st_size / 1e6:.2f} MB)")
            t0 = time.perf_counter()
            write_chart(kg.reader, "timeline", out / "timeline.png")
            print(f"{'timeline figure (png)':24s} written in {time.perf_counter() - t0:6.2f} s")
        if not Path(CHROMIUM).exists():
            print("no Chromium: page load times skipped")
            return
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for name, path in pages.items():
                ctx = browser.new_context(viewport={"width": 1500, "height": 950})
                page = ctx.new_page()
                t0 = time.perf_counter()
                page.goto(path.as_uri())
                page.evaluate("() => window.kemitraanView.ready.then(() => true)")
                print(f"{name:24s} interactive in Chromium in {time.perf_counter() - t0:6.2f} s")
                ctx.close()
            browser.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30000, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
