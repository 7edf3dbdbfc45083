#!/usr/bin/env python3
"""Search benchmark: index build time and memory, and search latency p50/p99 for the 50 fixed
queries of benches/search-queries.txt, on the shipped bank and on a generated bank of 100,000
questions; server-side (the search call) and end to end (HTTP on loopback, driven by wrk). Then
the worst cases the query limits allow (random long words, rare words, every word misspelt,
common words) beside normal queries, server-side (examples/bench_search_worst.rs).

    scripts/bench-search.py [--size 100000] [--duration 10]
    scripts/bench-search.py --generated /tmp/bank100k   # a bank generate_bank made before

Installs wrk (Debian) if missing. Sends traffic only to 127.0.0.1.
"""

import argparse
import os
import re
import subprocess
import tempfile
import urllib.parse

from drillbook_scripts import ROOT, Drillbook, ensure_commands, memory_kib

BINARY = os.path.join(ROOT, "target", "release", "drillbook")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, cwd=ROOT, **kw).stdout


def server_side(bank, rounds):
    line = run(["target/release/examples/bench_search", bank, str(rounds)]).strip()
    return dict(pair.split("=") for pair in line.split())


def worst_cases(bank, queries_per_case):
    """One dict of figures per case of examples/bench_search_worst.rs."""
    out = run(["target/release/examples/bench_search_worst", bank, str(queries_per_case)])
    return [dict(pair.split("=") for pair in line.split()) for line in out.splitlines() if line]


def end_to_end(binary, bank, queries, duration):
    server = Drillbook(binary, bank)
    server.start(timeout_s=300)
    try:
        startup_ms = server.startup_s * 1000
        rss_start = memory_kib(server.process.pid)["VmRSS"]
        paths = ["/search?" + urllib.parse.urlencode({"q": q}) for q in queries]
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write("local paths = {\n")
            lua.write("".join(f"  {p!r},\n".replace("'", '"') for p in paths))
            lua.write(
                "}\nlocal i = 0\nrequest = function()\n  i = (i % #paths) + 1\n"
                '  return wrk.format("GET", paths[i])\nend\n'
            )
        base = f"http://127.0.0.1:{server.port}"
        subprocess.run(
            ["wrk", "-t2", "-c8", "-d2s", "-s", lua.name, base], capture_output=True, check=True
        )
        out = subprocess.run(
            ["wrk", "-t2", "-c8", f"-d{duration}s", "--latency", "-s", lua.name, base],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        os.unlink(lua.name)
        rss_end = memory_kib(server.process.pid)["VmRSS"]
    finally:
        server.stop()
    return {
        "startup_ms": f"{startup_ms:.0f}",
        "rss_start_mib": f"{rss_start / 1024:.1f}",
        "rss_end_mib": f"{rss_end / 1024:.1f}",
        "req_s": re.search(r"Requests/sec:\s+([\d.]+)", out).group(1),
        "http_p50": re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1),
        "http_p99": re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1),
        "non_2xx": (re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [None, "0"])[1],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--generated", help="a generated bank to use instead of making one")
    args = parser.parse_args()

    ensure_commands({"wrk": "wrk"})
    run(
        [
            "cargo",
            "build",
            "--release",
            "--locked",
            "--bin",
            "drillbook",
            "--example",
            "bench_search",
            "--example",
            "bench_search_worst",
            "--example",
            "generate_bank",
        ]
    )
    queries = [
        q
        for q in open(os.path.join(ROOT, "benches/search-queries.txt")).read().splitlines()
        if q.strip()
    ]
    with tempfile.TemporaryDirectory() as tmp:
        generated = args.generated or os.path.join(tmp, f"bank-{args.size}")
        if not args.generated:
            run(["target/release/examples/generate_bank", str(args.size), generated])
        rows = []
        worst = []
        for name, bank, rounds, per_case in [
            ("shipped", "content", 200, 400),
            (f"generated {args.size:,}", generated, 5, 40),
        ]:
            figures = server_side(bank, rounds)
            figures.update(end_to_end(BINARY, bank, queries, args.duration))
            rows.append((name, figures))
            worst += [(name, case) for case in worst_cases(bank, per_case)]

    print(
        "| bank | questions | start-up | index build | index memory | search p50 | search p99 "
        "| HTTP req/s | HTTP p50 | HTTP p99 | non-2xx | RSS start → end |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, f in rows:
        print(
            f"| {name} | {f['questions']} | {f['startup_ms']} ms | {float(f['index_build_ms']):.0f} ms "
            f"| {float(f['index_mib']):.2f} MiB | {f['p50_us']} µs | {f['p99_us']} µs | {f['req_s']} "
            f"| {f['http_p50']} | {f['http_p99']} | {f['non_2xx']} | {f['rss_start_mib']} → {f['rss_end_mib']} MiB |"
        )
    print()
    print("| bank | case | queries | words a query | p50 | p99 | max |")
    print("|---|---|---|---|---|---|---|")
    for name, c in worst:
        print(
            f"| {name} | {c['case'].replace('_', ' ')} | {c['queries']} | {c['words_per_query']} "
            f"| {c['p50_us']} µs | {c['p99_us']} µs | {c['max_us']} µs |"
        )


if __name__ == "__main__":
    main()
