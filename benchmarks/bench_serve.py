"""Endpoint under load: ``kemitraan serve`` beside ``oxigraph serve``, many clients at once.

    python benchmarks/bench_serve.py [--clients 50] [--duration 60] [--cases 30000]
                                     [--sets bundled synthetic] [--servers kemitraan oxigraph]

For each data set (the bundled data; ``--cases`` synthetic cases from ``generate.py``, 30,000 cases
≈ 1.1M triples): start ``oxigraph serve`` on a free loopback port and fill it with ``kemitraan
push`` (Graph Store Protocol), start ``kemitraan serve`` on another, then for each server: every
library query once (its time alone, its rows), then ``--clients`` threads, each with its own
HTTP connection, send library queries (round robin over the mix, each client starting elsewhere)
for ``--duration`` seconds. Every query is the library's text with its example parameters bound
(``querylib.inject_values``) and the project's prefixes declared, POSTed form-encoded to the
server's SPARQL URL for JSON results; Oxigraph gets ``default-graph-uri`` = the pushed union (what
``--endpoint`` does), so both answer from the same triples as a set.

Printed: requests completed, errors (any status but 200, a cut-off body, or no answer within
``--client-timeout``), of which time-outs (the server's 503 for ``kemitraan serve``; for ``oxigraph
serve`` past its ``--timeout-s``: a "200 OK" whose body stops with "has been cancelled"),
throughput (answered queries/s over the wall time), p50 and p99 latency of the answered ones,
then the same per query. No assertions; ``--json FILE`` keeps the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402
from generate import cached  # noqa: E402

from kemitraan_graph.querylib import discover, inject_values  # noqa: E402
from kemitraan_graph.store.remote import UNION_GRAPH, with_prefixes  # noqa: E402

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def exe(name: str) -> str:
    path = VENV_BIN / name
    found = str(path) if path.exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} is not installed (pip install -e '.[dev]')")
    return found


def wait_for(url: str, proc: subprocess.Popen, seconds: float) -> float:
    """Seconds until ``url`` answers 200 (the server is up and loaded)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        if proc.poll() is not None:
            sys.exit(f"the server exited with {proc.returncode} before answering {url}")
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return time.perf_counter() - t0
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    sys.exit(f"no answer from {url} within {seconds} s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def query_mix() -> dict[str, str]:
    """Every library query with its example parameters bound; the ones without examples are left out."""
    out = {}
    for name, q in discover().items():
        try:
            bindings = q.bind({})
        except Exception as exc:  # a parameter without an example value
            print(f"  (left out {name}: {exc})")
            continue
        out[name] = with_prefixes(inject_values(q.text, bindings))
    return out


class Target:
    """One server: where to POST, and the form fields every query carries."""

    def __init__(self, name: str, url: str, extra: dict[str, str], timeout_marker: tuple[int, str]):
        self.name, self.url, self.extra = name, url, extra
        self.timeout_status, self.timeout_text = timeout_marker

    def kind(self, status: int, body: bytes) -> str:
        """``ok``, ``timeout`` (the server's own time limit) or what else went wrong."""
        if status == 200:
            tail = body[-300:].rstrip()
            if b"has been cancelled" in tail:  # Oxigraph streams 200, then stops at its --timeout-s
                return "timeout"
            return "ok" if tail.endswith(b"}") else "truncated"
        if status == self.timeout_status and self.timeout_text in body[:2000].decode("utf-8", "replace").lower():
            return "timeout"
        return str(status)

    def post(self, client: httpx.Client, text: str) -> httpx.Response:
        return client.post(self.url, data={"query": text, **self.extra},
                           headers={"Accept": "application/sparql-results+json"})


def single_runs(target: Target, mix: dict[str, str], client_timeout: float) -> dict[str, dict]:
    """Each query once, alone: status, seconds, rows."""
    out = {}
    with httpx.Client(timeout=client_timeout) as client:
        for name, text in mix.items():
            t0 = time.perf_counter()
            try:
                resp = target.post(client, text)
                status, body = resp.status_code, resp.content
            except httpx.HTTPError as exc:
                status, body = 0, str(exc).encode()
            dt = time.perf_counter() - t0
            kind, rows = (target.kind(status, body) if status else "no answer"), None
            if kind == "ok":
                doc = json.loads(body)
                rows = len(doc["results"]["bindings"]) if "results" in doc else 1
            out[name] = {"status": status, "kind": kind, "seconds": dt, "rows": rows,
                         "message": "" if kind == "ok" else body[-200:].decode("utf-8", "replace").strip()}
    return out


def load_phase(target: Target, mix: dict[str, str], clients: int, duration: float,
               client_timeout: float) -> dict:
    """``clients`` threads for ``duration`` seconds; each record: (query, status kind, seconds)."""
    names = list(mix)
    records: list[tuple[str, str, float]] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline: list[float] = []

    def client_loop(k: int) -> None:
        mine = []
        with httpx.Client(timeout=client_timeout) as client:
            start.wait()
            i = k
            while time.perf_counter() < deadline[0]:
                name = names[i % len(names)]
                i += 1
                t0 = time.perf_counter()
                try:
                    resp = target.post(client, mix[name])
                    status, body = resp.status_code, resp.content
                    kind = target.kind(status, body)
                except httpx.TimeoutException:
                    kind = "client timeout"
                except httpx.HTTPError as exc:
                    kind = type(exc).__name__
                mine.append((name, kind, time.perf_counter() - t0))
        with lock:
            records.extend(mine)

    threads = [threading.Thread(target=client_loop, args=(k,), daemon=True) for k in range(clients)]
    for t in threads:
        t.start()
    t_start = time.perf_counter()
    deadline.append(t_start + duration)
    start.wait()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t_start
    return summarise(records, wall)


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))]


def summarise(records: list[tuple[str, str, float]], wall: float) -> dict:
    ok = [dt for _, kind, dt in records if kind == "ok"]
    kinds: dict[str, int] = {}
    for _, kind, _ in records:
        if kind != "ok":
            kinds[kind] = kinds.get(kind, 0) + 1
    per_query: dict[str, dict] = {}
    for name in sorted({r[0] for r in records}):
        mine = [dt for n, kind, dt in records if n == name and kind == "ok"]
        per_query[name] = {"requests": sum(1 for r in records if r[0] == name),
                           "errors": sum(1 for r in records if r[0] == name and r[1] != "ok"),
                           "timeouts": sum(1 for r in records if r[0] == name and r[1] == "timeout"),
                           "p50": percentile(mine, 50), "max": max(mine) if mine else None}
    return {"requests": len(records), "ok": len(ok), "errors": sum(kinds.values()),
            "timeouts": kinds.get("timeout", 0), "error_kinds": kinds, "wall": wall,
            "qps": len(ok) / wall if wall else 0.0, "p50": percentile(ok, 50), "p99": percentile(ok, 99),
            "mean": statistics.fmean(ok) if ok else None, "per_query": per_query}


def ms(x: float | None) -> str:
    return "-" if x is None else f"{x * 1e3:,.0f}"


def run_set(label: str, data_args: list[str], args, mix: dict[str, str], work: Path) -> dict:
    print(f"\n== {label}", flush=True)
    result: dict = {"set": label, "servers": {}}
    procs: list[subprocess.Popen] = []
    try:
        targets: dict[str, Target] = {}
        if "oxigraph" in args.servers:
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            cmd = [exe("oxigraph"), "serve", "--location", str(work / f"oxigraph-{label}"), "--bind",
                   f"127.0.0.1:{port}", "--timeout-s", str(max(1, round(args.timeout)))]  # whole seconds
            procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          stdin=subprocess.DEVNULL))
            wait_for(f"{base}/query?query=ASK%7B%7D", procs[-1], 60)
            t0 = time.perf_counter()
            push = subprocess.run([exe("kemitraan"), *data_args, "--endpoint", f"{base}/query",
                                   "--graph-store", f"{base}/store", "push"], capture_output=True, text=True)
            if push.returncode:
                sys.exit(f"kemitraan push failed: {push.stderr.strip()}")
            result["push_seconds"] = time.perf_counter() - t0
            result["push"] = push.stdout.strip()
            print(f"  {push.stdout.strip()} in {result['push_seconds']:.1f} s (load + push)", flush=True)
            # past its --timeout-s Oxigraph has sent "200 OK" already: the body ends "... has been cancelled"
            targets["oxigraph"] = Target("oxigraph serve", f"{base}/query", {"default-graph-uri": UNION_GRAPH},
                                         (200, "has been cancelled"))
        if "kemitraan" in args.servers:
            port = free_port()
            cmd = [exe("kemitraan"), *data_args, "serve", "--port", str(port), "--timeout", f"{args.timeout:g}"]
            procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          stdin=subprocess.DEVNULL))
            up = wait_for(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", procs[-1], args.load_timeout)
            result["serve_start_seconds"] = up
            print(f"  kemitraan serve answered after {up:.1f} s (load)", flush=True)
            targets["kemitraan"] = Target("kemitraan serve", f"http://127.0.0.1:{port}/sparql", {},
                                          (503, "time limit"))
        for key in args.servers:
            target = targets[key]
            single = single_runs(target, mix, args.client_timeout)
            failed = {n: s for n, s in single.items() if s["kind"] != "ok"}
            print(f"  {target.name}: each query alone: {sum(s['seconds'] for s in single.values()):.1f} s in all; "
                  f"slowest {max(single, key=lambda n: single[n]['seconds'])} "
                  f"{max(s['seconds'] for s in single.values()):.2f} s; failed alone: "
                  + (", ".join(f"{n} ({s['kind']}: {s['message'][-80:]})" for n, s in failed.items()) or "none"),
                  flush=True)
            load = load_phase(target, mix, args.clients, args.duration, args.client_timeout)
            load["single"] = single
            result["servers"][key] = load
            print(f"  {target.name}: {load['requests']} requests, {load['errors']} errors "
                  f"({load['timeouts']} time-outs; {load['error_kinds'] or 'none'}), {load['qps']:.1f} queries/s, "
                  f"p50 {ms(load['p50'])} ms, p99 {ms(load['p99'])} ms", flush=True)
        if {"kemitraan", "oxigraph"} <= set(result["servers"]):
            a, b = (result["servers"][k]["single"] for k in ("kemitraan", "oxigraph"))
            differ = [n for n in mix if a[n]["rows"] != b[n]["rows"]]
            result["rows_differ"] = {n: (a[n]["rows"], b[n]["rows"]) for n in differ}
            print("  rows alone, kemitraan vs oxigraph: "
                  + (", ".join(f"{n} {x} vs {y}" for n, (x, y) in result["rows_differ"].items()) or "all equal"))
        print(f"  {'query':28s} " + " ".join(f"{k + ' alone ms':>16s} {k + ' p50 ms':>14s} {'err':>4s}"
                                              for k in args.servers))
        for name in mix:
            cells = []
            for key in args.servers:
                load = result["servers"][key]
                pq = load["per_query"].get(name, {})
                cells.append(f"{ms(load['single'][name]['seconds']):>16s} {ms(pq.get('p50')):>14s} "
                             f"{pq.get('errors', 0):4d}")
            print(f"  {name:28s} " + " ".join(cells))
    finally:
        for proc in reversed(procs):
            stop(proc)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load per server and data set")
    ap.add_argument("--cases", type=int, default=30000, help="synthetic cases (30,000 ≈ 1.1M triples)")
    ap.add_argument("--sets", nargs="+", choices=["bundled", "synthetic"], default=["bundled", "synthetic"])
    ap.add_argument("--servers", nargs="+", choices=["kemitraan", "oxigraph"], default=["kemitraan", "oxigraph"])
    ap.add_argument("--timeout", type=float, default=10.0,
                    help="the servers' time limit per query (kemitraan serve --timeout, oxigraph --timeout-s)")
    ap.add_argument("--client-timeout", type=float, default=300.0, help="seconds a client waits for an answer")
    ap.add_argument("--load-timeout", type=float, default=1800.0, help="seconds kemitraan serve may take to load")
    ap.add_argument("--json", type=Path, help="write every number here")
    args = ap.parse_args()
    mix = query_mix()
    print(f"{len(mix)} library queries in the mix; {args.clients} clients x {args.duration:g} s per server; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the start", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        for label in args.sets:
            if label == "bundled":
                data_args: list[str] = []
            else:
                path = cached(args.cases)
                data_args = ["--no-bundled", "--data", str(path)]
                label = f"{args.cases} synthetic cases"
            results.append(run_set(label, data_args, args, mix, Path(tmp)))
            print(f"  load average now {os.getloadavg()[0]:.1f}", flush=True)
    print("\nset | server | requests | errors (time-outs) | queries/s | p50 ms | p99 ms")
    for r in results:
        for key, load in r["servers"].items():
            print(f"{r['set']} | {key} serve | {load['requests']} | {load['errors']} ({load['timeouts']}) | "
                  f"{load['qps']:.1f} | {ms(load['p50'])} | {ms(load['p99'])}")
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, "results": results},
                                        indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
