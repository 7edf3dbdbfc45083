#!/usr/bin/env python3
"""Flood test: costly searches cannot starve the pages served from memory.

Starts the release binary on a free 127.0.0.1 port with its default offload pool, then at once:

- a flood: 64 connections (wrk, scripts/flood.lua) sending distinct worst-case searches, each
  as many random 16-letter words as the limits accept, so the results cache never helps;
- a reader: one connection (wrk, scripts/soak.lua) fetching question pages one after another;
- a probe: one connection (this script) sending worst-case searches one at a time and timing
  each answer, to time the 503s on their own.

The reader is first timed alone, for reference. Prints the reader's p50/p99, the flood's
answers by status and latency, and the probe's 503 p50/p99.

Fails (exit 1) if the reader's p99 under the flood is over 10 ms, if any answer to the flood or
the probe is other than 200 or 503, if a 503 has no Retry-After, if the flood gets no 200 at all,
if the probe's 503 p99 is over 20 ms, on any socket error or timeout, or on an error in the
server's log.

    scripts/flood.py                  # 30 s of flood
    scripts/flood.py --short          # 10 s, for CI
    scripts/flood.py --binary path/to/drillbook   # skip the release build

Standard library only; installs wrk with apt-get when it is missing. Sends traffic only to
127.0.0.1.
"""

import argparse
import http.client
import os
import random
import subprocess
import sys
import tempfile
import threading
import time

from drillbook_scripts import (
    ROOT,
    Drillbook,
    ensure_commands,
    fail,
    log,
    sitemap_paths,
    wrk_command,
)

# The bounds the flood must stay within.
READER_P99_MS = 10.0
BUSY_P99_MS = 20.0

# Longest query the search accepts (src/search/query.rs), and the most words it searches.
MAX_QUERY_CHARS = 500
MAX_TERMS = 32
WORD_LETTERS = 16

# Distinct searches the flood cycles through: far more than the 1,024 results kept.
FLOOD_QUERIES = 20_000


def worst_case_paths(count, seed):
    """`count` distinct searches of random 16-letter words, as many as the limits accept."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words_per_query = min(MAX_TERMS, (MAX_QUERY_CHARS + 1) // (WORD_LETTERS + 1))
    paths = []
    for _ in range(count):
        words = ["".join(rng.choices(letters, k=WORD_LETTERS)) for _ in range(words_per_query)]
        paths.append("/search?q=" + "+".join(words))
    return paths


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[round((len(ordered) - 1) * fraction)] if ordered else None


def read_results(path):
    with open(path) as f:
        return {k: int(v) for k, v in (line.split() for line in f if line.strip())}


def wrk(server, script, env, threads, connections, seconds):
    """Runs wrk with `script` on the server; its figures from the script's results file."""
    url = f"http://127.0.0.1:{server.port}"
    command = wrk_command(url, threads, connections, seconds, "-s", script)
    log(" ".join(command[:-3] + [os.path.relpath(script, ROOT), command[-1]]))
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return read_results(env.get("FLOOD_RESULTS") or env["SOAK_RESULTS"])


class Probe(threading.Thread):
    """Worst-case searches one at a time on one keep-alive connection, each answer timed."""

    def __init__(self, port, paths):
        super().__init__(daemon=True)
        self.port = port
        self.paths = paths
        self.stop = threading.Event()
        self.answers = []  # (status, seconds, Retry-After)
        self.errors = []

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        for path in self.paths:
            if self.stop.is_set():
                break
            try:
                began = time.perf_counter()
                conn.request("GET", path, headers={"Accept-Encoding": "identity"})
                response = conn.getresponse()
                response.read()
                took = time.perf_counter() - began
            except (OSError, http.client.HTTPException) as err:
                self.errors.append(repr(err))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                continue
            self.answers.append((response.status, took, response.getheader("Retry-After")))
        conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds of flood (default 30)")
    parser.add_argument("--short", action="store_true", help="10 s of flood, for CI")
    parser.add_argument("--connections", type=int, default=64, help="flood connections (64)")
    parser.add_argument("--binary", help="the drillbook binary (default: build the release one)")
    parser.add_argument("--content", default="content")
    args = parser.parse_args()
    duration = 10 if args.short else args.duration
    alone = 3

    ensure_commands({"wrk": "wrk"})
    binary = args.binary
    if binary is None:
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
        binary = os.path.join(ROOT, "target", "release", "drillbook")

    with tempfile.TemporaryDirectory(prefix="flood-") as tmp:
        server_log = os.path.join(tmp, "server.log")
        server = Drillbook(binary, os.path.join(ROOT, args.content), log=server_log)
        server.start()
        try:
            questions = [p for p in sitemap_paths(server.port) if p.startswith("/questions/")]
            if not questions:
                fail("the sitemap lists no questions")
            flood_paths = worst_case_paths(FLOOD_QUERIES, seed=1)
            probe_paths = worst_case_paths(100_000, seed=2)
            sample = server.get(flood_paths[0])
            if sample.status != 200 or b"Spelling corrections were tried" not in sample.body:
                fail(f"a worst-case search alone: {sample.status}, no note of what was left out")
            files = {name: os.path.join(tmp, name) for name in ("flood", "reader", "f", "r")}
            with open(files["flood"], "w") as f:
                f.write("\n".join(flood_paths) + "\n")
            with open(files["reader"], "w") as f:
                f.write("".join(f"GET {p}\n" for p in questions))
            flood_env = dict(os.environ, FLOOD_PATHS=files["flood"], FLOOD_RESULTS=files["f"])
            reader_env = dict(
                os.environ,
                SOAK_REQUESTS=files["reader"],
                SOAK_RESULTS=files["r"],
                SOAK_COMPRESSED="0.5",
            )
            soak_lua = os.path.join(ROOT, "scripts", "soak.lua")
            flood_lua = os.path.join(ROOT, "scripts", "flood.lua")

            log(f"the reader alone for {alone} s")
            reader_alone = wrk(server, soak_lua, reader_env, 1, 1, alone)

            log(f"flood for {duration} s: {args.connections} connections, the reader, the probe")
            flood_results = {}
            flooding = threading.Thread(
                target=lambda: flood_results.update(
                    wrk(server, flood_lua, flood_env, 1, args.connections, duration)
                )
            )
            flooding.start()
            # The reader and the probe start once the flood is under way, and end before it.
            time.sleep(1)
            probe = Probe(server.port, probe_paths)
            probe.start()
            reader = wrk(server, soak_lua, reader_env, 1, 1, duration - 2)
            probe.stop.set()
            probe.join()
            flooding.join()
            if not flood_results:
                fail("the flood's wrk run gave no figures")
            after = server.get(flood_paths[1]).status
        finally:
            exit_status = server.terminate()
        with open(server_log, errors="replace") as f:
            errors = [line.rstrip() for line in f if " ERROR " in line or "panicked" in line]

    seconds = flood_results["duration_us"] / 1e6
    flood_errors = {
        k[len("errors_") :]: v for k, v in flood_results.items() if k.startswith("errors_")
    }
    reader_errors = {
        k[len("errors_") :]: v for k, v in reader.items() if k.startswith("errors_") and v
    }
    busy = [took for status, took, _ in probe.answers if status == 503]
    served = [took for status, took, _ in probe.answers if status == 200]
    probe_other = [status for status, _, _ in probe.answers if status not in (200, 503)]
    probe_no_retry = sum(1 for status, _, retry in probe.answers if status == 503 and not retry)

    def ms(us):
        return f"{us / 1000:.2f} ms"

    def ms_s(seconds):
        return "n/a" if seconds is None else f"{seconds * 1000:.2f} ms"

    print()
    print(
        f"reader alone:      {reader_alone['requests']} question pages, "
        f"p50 {ms(reader_alone['latency_p50_us'])}, p99 {ms(reader_alone['latency_p99_us'])}"
    )
    print(
        f"reader in flood:   {reader['requests']} question pages, "
        f"p50 {ms(reader['latency_p50_us'])}, p99 {ms(reader['latency_p99_us'])}, "
        f"max {ms(reader['latency_max_us'])} (bound {READER_P99_MS:.0f} ms)"
    )
    print(
        f"flood:             {flood_results['requests']} searches in {seconds:.1f} s "
        f"({flood_results['requests'] / seconds:.0f}/s): {flood_results['status_ok']} x 200, "
        f"{flood_results['status_busy']} x 503, {flood_results['status_other']} other; "
        f"p50 {ms(flood_results['latency_p50_us'])}, p99 {ms(flood_results['latency_p99_us'])}, "
        f"max {ms(flood_results['latency_max_us'])}"
    )
    print(
        f"probe:             {len(probe.answers)} searches: {len(served)} x 200 "
        f"(p50 {ms_s(percentile(served, 0.5))}, p99 {ms_s(percentile(served, 0.99))}), "
        f"{len(busy)} x 503 (p50 {ms_s(percentile(busy, 0.5))}, "
        f"p99 {ms_s(percentile(busy, 0.99))}; bound {BUSY_P99_MS:.0f} ms)"
    )
    print("flood socket errors: " + ", ".join(f"{k} {v}" for k, v in flood_errors.items()))
    print(f"after the flood:   a search {after}; SIGTERM exit status {exit_status}")

    failures = []
    reader_p99_ms = reader["latency_p99_us"] / 1000
    if reader_p99_ms > READER_P99_MS:
        failures.append(f"the reader's p99 was {reader_p99_ms:.2f} ms under the flood")
    if reader["errors_status"] or reader_errors:
        failures.append(f"the reader got {reader['errors_status']} non-2xx/3xx, {reader_errors}")
    if flood_results["status_other"] or probe_other:
        failures.append(
            f"answers other than 200 or 503: {flood_results['status_other']} to the flood, "
            f"{probe_other[:10]} to the probe"
        )
    if flood_results["status_busy_without_retry_after"] or probe_no_retry:
        failures.append("503s without Retry-After")
    if not flood_results["status_ok"]:
        failures.append("the flood got no 200 at all")
    if any(flood_errors.values()) or probe.errors:
        failures.append(f"socket errors: flood {flood_errors}, probe {probe.errors[:5]}")
    busy_p99 = percentile(busy, 0.99)
    if busy_p99 is not None and busy_p99 * 1000 > BUSY_P99_MS:
        failures.append(f"the probe's 503 p99 was {busy_p99 * 1000:.2f} ms")
    if after != 200:
        failures.append(f"a search after the flood answered {after}")
    if errors:
        failures.append("server logged errors:\n  " + "\n  ".join(errors[:10]))
    if exit_status != 0:
        failures.append(f"the server exited with {exit_status} on SIGTERM")
    for failure in failures:
        log(f"FAIL: {failure}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
