#!/usr/bin/env python3
"""Throughput benchmark: drillbook's question, search and mock-interview pages beside a static
nginx serving the same bytes, all on loopback, with wrk; plus start-up time and memory.

For the shipped bank (and, unless --no-generated, for a generated bank of --size questions), starts
`drillbook serve` on a free 127.0.0.1 port (RUST_LOG=warn), times its start-up (spawn to the first
200 from /healthz, polled every 10 ms) and reads its RSS. For the shipped bank it also fetches the
question page below as drillbook sends it plain and gzipped, writes both into a temporary nginx root
(page.html, page.html.gz for gzip_static) and starts nginx with as many workers as drillbook has
(one per CPU) and drillbook's own headers on every response; both bodies nginx sends are checked to
be byte for byte drillbook's before anything is measured.

Cases, each with `Accept-Encoding: identity` and with `Accept-Encoding: gzip`:

  nginx     the static copy of the question page (the reference)
  question  drillbook's question page, /questions/12/what-are-metaclasses-in-python
            (on the generated bank, the first question of its sitemap)
  search    /search?q=... cycling through the 50 queries of benches/search-queries.txt (after
            the warm-up, drillbook answers these from its cache of recent results)
  new searches  /search?q=... cycling through 10,000 different queries of two or three words
            drawn (fixed seed) from those 50 queries: ten times the cache of recent results, so
            nearly every request runs the search engine
  mock      question and results pages of a few real mock interviews, started by POSTing the
            /mock form with its default fields

Every measured wrk run (fixed duration, --latency) follows an unmeasured warm-up run of the same
case; the cases are interleaved within each repetition (rep 1: every case, rep 2: every case, ...)
so drift touches them alike, and each figure is the median of the repetitions. Each drillbook
figure is printed with its ratio to nginx's req/s for the same encoding and the goal beside it
(question page >= 0.9x, search and mock pages >= 0.5x): the goals are informational and never
change the exit status. On the generated bank the ratios are to the shipped bank's nginx figures.

    scripts/bench.py                  # builds the release binary and the generate_bank example
    scripts/bench.py --binary target/release/drillbook --generator target/release/examples/generate_bank
    scripts/bench.py --duration 5 --warmup 2 --repeat 3 --connections 32 --threads 2
    scripts/bench.py --size 10000     # size of the generated bank
    scripts/bench.py --no-generated   # the shipped bank only
    scripts/bench.py --markdown FILE  # also write the result tables as Markdown to FILE

Fails (exit 1) if a server does not come up, if any wrk run (warm-ups included) reports non-2xx/3xx
responses or socket errors, or if nginx's bodies are not drillbook's. Stops every process it starts
and removes its temporary directories, also on errors and Ctrl-C.

Standard library only; installs wrk and nginx with apt-get when they are missing. Sends traffic
only to 127.0.0.1.
"""

import argparse
import contextlib
import datetime
import gzip
import os
import random
import re
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from urllib.parse import urlsplit

from drillbook_scripts import (
    ROOT,
    Drillbook,
    Nginx,
    ensure_commands,
    fail,
    free_port,
    log,
    memory_kib,
    mock_form,
    nginx_config,
    nginx_string,
    sitemap_paths,
    start_interview,
    wrk_command,
)

QUESTION_PATH = "/questions/12/what-are-metaclasses-in-python"
QUERIES_FILE = os.path.join(ROOT, "benches", "search-queries.txt")
ENCODINGS = ("identity", "gzip")

# Informational goals: drillbook's req/s divided by nginx's for the same encoding.
GOALS = {"question": 1.2, "search": 0.5, "mock": 0.5}

# Informational goals for start-up (s), RSS after start-up and after the benchmark (MiB), by the
# bank's size in questions (the largest size not above the bank's).
MEMORY_GOALS = {0: (0.15, 40, 60), 10_000: (1.5, 200, 300), 100_000: (15, 1536, 2048)}

# Headers of drillbook's page that are not copied onto nginx's responses: nginx sends its own (or,
# for the framing ones, they describe the connection rather than the page).
OWN_HEADERS = {
    "date",
    "content-length",
    "content-type",
    "etag",
    "content-encoding",
    "connection",
    "transfer-encoding",
    "keep-alive",
    "server",
    "last-modified",
    "accept-ranges",
}

# Mock interviews started for the mock case; each gives its question pages and its results page.
MOCK_INTERVIEWS = 4

# Start-up deadlines. A generated bank of 100,000 questions takes about 8 s to load.
DRILLBOOK_START_TIMEOUT_S = 300
NGINX_START_TIMEOUT_S = 10
POLL_EVERY_S = 0.01


def ensure_tools():
    ensure_commands({"wrk": "wrk", "nginx": "nginx"})


def build(binary, generator):
    """The binaries to use: those given, else built with cargo (release, --locked)."""
    if binary is None:
        log("cargo build --release --locked")
        subprocess.run(["cargo", "build", "--release", "--locked"], cwd=ROOT, check=True)
        binary = os.path.join(ROOT, "target", "release", "drillbook")
    if generator is False:  # not needed (--no-generated)
        return binary, None
    if generator is None:
        log("cargo build --release --locked --example generate_bank")
        subprocess.run(
            ["cargo", "build", "--release", "--locked", "--example", "generate_bank"],
            cwd=ROOT,
            check=True,
        )
        generator = os.path.join(ROOT, "target", "release", "examples", "generate_bank")
    return binary, generator


class Server(Drillbook):
    """`drillbook serve` on a free loopback port, timed from spawn to the first 200 of /healthz,
    its RSS read once it answers."""

    def __init__(self, binary, content, tmp):
        port = free_port()
        super().__init__(binary, content, port, log=os.path.join(tmp, f"drillbook-{port}.log"))
        self.start(DRILLBOOK_START_TIMEOUT_S, POLL_EVERY_S)
        self.rss_start_kib = memory_kib(self.process.pid)["VmRSS"]

    def memory(self):
        return memory_kib(self.process.pid)


def start_nginx(tmp, identity_body, gzip_body, add_headers, workers):
    """A static-file nginx serving /page.html (and page.html.gz through gzip_static) from a
    temporary directory, with drillbook's headers added to every response."""
    directory = os.path.join(tmp, "nginx")
    root = os.path.join(directory, "root")
    os.makedirs(root)
    for name, body in (("page.html", identity_body), ("page.html.gz", gzip_body)):
        with open(os.path.join(root, name), "wb") as f:
            f.write(body)
        os.chmod(os.path.join(root, name), 0o644)
    # Run as root, nginx's workers switch to `nobody`: they must be able to read the root.
    for path in (tmp, directory, root):
        os.chmod(path, 0o755)
    port = free_port()
    headers = "\n".join(
        f"        add_header {name} {nginx_string(value)} always;" for name, value in add_headers
    )
    http = f"""\
    types {{ }}
    default_type "text/html; charset=utf-8";
    access_log off;
    server_tokens off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    open_file_cache max=100 inactive=60s;
    open_file_cache_valid 60s;

    server {{
        listen 127.0.0.1:{port};
        root {root};
        gzip_static on;
{headers}
    }}"""
    config = nginx_config(
        directory,
        "Written by scripts/bench.py: a static copy of one drillbook page, as the reference.",
        http,
        workers,
    )
    return Nginx(directory, config, port, "/page.html", NGINX_START_TIMEOUT_S)


def mock_paths(server):
    """Question and results pages of MOCK_INTERVIEWS interviews started by POSTing /mock."""
    fields, count = mock_form(server.port)
    paths = []
    for _ in range(MOCK_INTERVIEWS):
        code, _ = start_interview(server.port, fields)
        paths += [f"/mock/{code}/{n}" for n in range(1, count + 1)]
        paths.append(f"/mock/{code}/results")
    categories = sum(1 for name, _ in fields if name == "category")
    return paths, (
        f"{MOCK_INTERVIEWS} interviews of {count} questions (the form's defaults: "
        f"{categories} categories, "
        + ", ".join(f"{k}={v}" for k, v in fields if k != "category")
        + ")"
    )


def search_paths():
    with open(QUERIES_FILE) as f:
        queries = [line.strip() for line in f if line.strip()]
    return ["/search?" + urllib.parse.urlencode({"q": q}) for q in queries]


def new_search_paths(count=10_000):
    """`count` different queries of two or three words from the words of the fixed queries."""
    with open(QUERIES_FILE) as f:
        words = sorted({w for line in f for w in re.findall(r"[a-z]+", line.lower())})
    rng = random.Random(11)
    queries = []
    seen = set()
    while len(queries) < count:
        query = " ".join(rng.sample(words, rng.choice((2, 3))))
        if query not in seen:
            seen.add(query)
            queries.append(query)
    return ["/search?" + urllib.parse.urlencode({"q": q}) for q in queries]


def check_paths(server, paths, what):
    """Every path answers 200, plain and gzipped."""
    for path in paths:
        for encoding in ENCODINGS:
            status = server.get(path, encoding).status
            if status != 200:
                fail(f"{what}: GET {path} (Accept-Encoding: {encoding}) answered {status}")


def lua_string(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_lua(path, paths):
    """A wrk script cycling through `paths`, each thread from its own offset. Requests are
    formatted once, in init, with wrk's headers (Host and the -H Accept-Encoding)."""
    with open(path, "w") as f:
        f.write("-- Written by scripts/bench.py: cycles through these paths.\n")
        f.write("local paths = {\n")
        f.write("".join(f"  {lua_string(p)},\n" for p in paths))
        f.write("""}
local requests = {}
local i = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(_)
  for k, p in ipairs(paths) do
    requests[k] = wrk.format("GET", p)
  end
  i = ((id or 1) - 1) * 7 % #requests
end

function request()
  i = (i % #requests) + 1
  return requests[i]
end
""")


LATENCY_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def latency_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not match:
        fail(f"cannot read wrk latency {text!r}")
    return float(match.group(1)) * LATENCY_UNITS_MS[match.group(2)]


def wrk_latency(ms):
    """A latency in milliseconds written the way wrk writes it."""
    us = ms * 1000
    for unit, size in (("h", 3_600_000_000), ("m", 60_000_000), ("s", 1_000_000), ("ms", 1000)):
        if us >= size:
            return f"{us / size:.2f}{unit}"
    return f"{us:.2f}us"


def parse_wrk(output):
    """Requests/s, latency p50/p99 (as printed and in ms), non-2xx/3xx and socket errors."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    if not (rps and p50 and p99):
        fail(f"cannot read wrk's output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    socket_errors = (
        dict(zip(("connect", "read", "write", "timeout"), map(int, sockets.groups()), strict=True))
        if sockets
        else {}
    )
    return {
        "rps": float(rps.group(1)),
        "p50": p50.group(1),
        "p50_ms": latency_ms(p50.group(1)),
        "p99": p99.group(1),
        "p99_ms": latency_ms(p99.group(1)),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": {k: v for k, v in socket_errors.items() if v},
    }


class Case:
    """One wrk target: a server, an encoding, and either one URL or a Lua script of paths."""

    def __init__(self, kind, label, encoding, port, path, lua=None):
        self.kind, self.label, self.encoding = kind, label, encoding
        self.url = f"http://127.0.0.1:{port}{path}"
        self.lua = lua
        self.runs = []

    def wrk(self, args, seconds):
        script = ["-s", self.lua] if self.lua else []
        header = ["-H", f"Accept-Encoding: {self.encoding}"]
        command = wrk_command(self.url, args.threads, args.connections, seconds, *header, *script)
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            fail(
                f"{shlex.join(command)} exited with {done.returncode}:\n{done.stdout}{done.stderr}"
            )
        figures = parse_wrk(done.stdout)
        # Searches and interview pages run on the server's bounded pool, which answers what it
        # cannot take with a quick 503: counted and shown, not a failure.
        refusable = self.kind in ("search", "mock")
        if (figures["non_2xx"] and not refusable) or figures["socket_errors"]:
            fail(
                f"{self.label} ({self.encoding}): {figures['non_2xx']} non-2xx/3xx responses, "
                f"socket errors {figures['socket_errors'] or 'none'}\n{done.stdout}"
            )
        return figures

    def median(self):
        """Median req/s and latencies over the repetitions; a latency is shown as wrk printed
        it when the median is one of the runs (an odd number of them)."""
        result = {"rps": statistics.median(r["rps"] for r in self.runs)}
        for key in ("p50", "p99"):
            ms = statistics.median(r[f"{key}_ms"] for r in self.runs)
            printed = [r[key] for r in self.runs if r[f"{key}_ms"] == ms]
            result[f"{key}_ms"] = ms
            result[key] = printed[0] if printed else wrk_latency(ms)
        return result


def run_cases(args, cases, repeat, bank):
    """Every case once per repetition, in order, each measured run after its own warm-up."""
    for rep in range(1, repeat + 1):
        for case in cases:
            if args.warmup:
                case.wrk(args, args.warmup)
            figures = case.wrk(args, args.duration)
            case.runs.append(figures)
            log(
                f"[{bank} {rep}/{repeat}] {case.label} {case.encoding}: "
                f"{figures['rps']:.0f} req/s, p50 {figures['p50']}, p99 {figures['p99']}"
            )


def drillbook_cases(server, question_path, tmp, name):
    """The question, search and mock cases of one running drillbook."""
    status = server.get(question_path).status
    if status != 200:
        fail(f"GET {question_path} answered {status}")
    searches = search_paths()
    check_paths(server, searches, "search")
    new_searches = new_search_paths()
    check_paths(server, new_searches[:200], "new search")
    mocks, mock_summary = mock_paths(server)
    check_paths(server, mocks, "mock")
    log(
        f"{name}: question page {question_path}; {len(searches)} searches; {len(mocks)} mock "
        f"pages from {mock_summary}"
    )
    search_lua = os.path.join(tmp, f"search-{name}.lua")
    mock_lua = os.path.join(tmp, f"mock-{name}.lua")
    write_lua(search_lua, searches)
    new_search_lua = os.path.join(tmp, f"new-search-{name}.lua")
    write_lua(new_search_lua, new_searches)
    write_lua(mock_lua, mocks)
    cases = []
    for encoding in ENCODINGS:
        cases.append(Case("question", "question page", encoding, server.port, question_path))
    for encoding in ENCODINGS:
        cases.append(
            Case(
                "search",
                f"search ({len(searches)} queries)",
                encoding,
                server.port,
                "/",
                search_lua,
            )
        )
    for encoding in ENCODINGS:
        cases.append(
            Case(
                "search",
                f"new searches ({len(new_searches):,} queries)",
                encoding,
                server.port,
                "/",
                new_search_lua,
            )
        )
    for encoding in ENCODINGS:
        cases.append(
            Case("mock", f"mock pages ({len(mocks)} URLs)", encoding, server.port, "/", mock_lua)
        )
    return cases


def question_paths(server):
    return [p for p in sitemap_paths(server.port) if p.startswith("/questions/")]


def start_reference(server, tmp, workers):
    """nginx with drillbook's two bodies of the question page, checked byte for byte."""
    plain = server.get(QUESTION_PATH, "identity")
    if plain.status != 200:
        fail(f"GET {QUESTION_PATH} answered {plain.status}")
    if plain.header("Content-Encoding") not in (None, "identity"):
        fail(
            f"drillbook answered Accept-Encoding: identity with Content-Encoding "
            f"{plain.header('Content-Encoding')}"
        )
    gzipped = server.get(QUESTION_PATH, "gzip")
    if gzipped.status != 200 or gzipped.header("Content-Encoding") != "gzip":
        fail(
            f"GET {QUESTION_PATH} with Accept-Encoding: gzip answered {gzipped.status} with "
            f"Content-Encoding {gzipped.header('Content-Encoding')!r}, not gzip"
        )
    try:
        if gzip.decompress(gzipped.body) != plain.body:
            log("warning: drillbook's gzip body does not decompress to its plain body")
    except (OSError, EOFError) as error:
        fail(f"drillbook's gzip body is not valid gzip: {error}")
    add_headers = [(k, v) for k, v in plain.headers if k.lower() not in OWN_HEADERS]
    log(
        f"nginx reference: {len(plain.body):,} bytes plain, {len(gzipped.body):,} gzip; "
        f"drillbook's headers added: {', '.join(k for k, _ in add_headers)}"
    )
    nginx = start_nginx(tmp, plain.body, gzipped.body, add_headers, workers)
    try:
        for encoding, expected in (("identity", plain.body), ("gzip", gzipped.body)):
            check_reference(
                nginx.get("/page.html", encoding), encoding, expected, plain, add_headers
            )
    except BaseException:
        nginx.stop()
        raise
    log(
        f"nginx on 127.0.0.1:{nginx.port} ({workers} workers) sends drillbook's bytes, "
        f"plain and gzip"
    )
    return nginx


def check_reference(response, encoding, expected, plain, add_headers):
    """nginx's response for one encoding: drillbook's body, coding, headers and type."""
    got_encoding = response.header("Content-Encoding")
    if encoding == "gzip" and got_encoding != "gzip":
        fail(f"nginx answered Accept-Encoding: gzip with Content-Encoding {got_encoding!r}")
    if encoding == "identity" and got_encoding is not None:
        fail(f"nginx answered Accept-Encoding: identity with Content-Encoding {got_encoding!r}")
    if response.status != 200 or response.body != expected:
        fail(
            f"nginx's {encoding} body is not drillbook's: status {response.status}, "
            f"{len(response.body):,} bytes against {len(expected):,}"
        )
    for name, value in add_headers:
        if response.header(name) != value:
            fail(
                f"nginx's {encoding} response has {name}: {response.header(name)!r}, "
                f"drillbook's {value!r}"
            )
    if response.header("Content-Type") != plain.header("Content-Type"):
        fail(
            f"nginx's Content-Type is {response.header('Content-Type')!r}, drillbook's "
            f"{plain.header('Content-Type')!r}"
        )


def machine_header(args, binary):
    def first(path, key):
        try:
            with open(path) as f:
                for line in f:
                    if line.startswith(key):
                        return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "unknown"

    def version(command):
        try:
            done = subprocess.run(command, capture_output=True, text=True)
        except OSError:
            return "unknown"
        text = (done.stdout + done.stderr).strip()
        return text.splitlines()[0] if text else "unknown"

    mem_kib = first("/proc/meminfo", "MemTotal").split()[0]
    mem = f"{int(mem_kib) / 1024 / 1024:.1f} GiB" if mem_kib.isdigit() else mem_kib
    return [
        ("date", datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("machine", f"{first('/proc/cpuinfo', 'model name')}, {os.cpu_count()} cores, {mem}"),
        ("kernel", os.uname().release),
        ("wrk", version(["wrk", "-v"]).split(" Copyright")[0]),
        ("nginx", version(["nginx", "-v"]).replace("nginx version: ", "")),
        ("drillbook", f"{version([binary, '--version'])} ({binary})"),
        ("command", shlex.join(["scripts/bench.py"] + sys.argv[1:])),
        (
            "load",
            f"wrk -t {args.threads} -c {args.connections}, {args.duration} s measured after "
            f"{args.warmup} s warm-up, median of {args.repeat} repetitions "
            f"({args.generated_repeat} for the generated bank); nginx and drillbook "
            f"{os.cpu_count()} workers",
        ),
    ]


def result_rows(cases, reference, markdown):
    """Table rows for one bank: case, encoding, req/s, p50, p99, ratio, goal, per-run req/s."""
    rows = []
    for case in cases:
        m = case.median()
        p50 = f"{m['p50_ms']:.3f}" if markdown else m["p50"]
        p99 = f"{m['p99_ms']:.3f}" if markdown else m["p99"]
        runs = " ".join(f"{r['rps']:.0f}" for r in case.runs)
        refused = sum(r["non_2xx"] for r in case.runs)
        if refused:
            runs += f" ({refused:,} refused with 503)"
        if case.kind == "nginx":
            ratio, goal = "reference", ""
        else:
            base = reference.get(case.encoding)
            if base:
                value = m["rps"] / base
                ratio = f"{value:.2f}×"
                wanted = GOALS[case.kind]
                goal = f"≥ {wanted:.1f}× {'PASS' if value >= wanted else 'BELOW'}"
            else:
                ratio, goal = "n/a", ""
        rows.append([case.label, case.encoding, f"{m['rps']:.0f}", p50, p99, ratio, goal, runs])
    return rows


def text_table(head, rows):
    widths = [max(len(str(c)) for c in column) for column in zip(head, *rows, strict=True)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(head, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    return "\n".join(lines)


def markdown_table(head, rows):
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def mib(kib):
    return f"{kib / 1024:.1f}"


def print_header(header_lines):
    for key, value in header_lines:
        print(f"{key + ':':<11}{value}")
    sys.stdout.flush()


def report(args, header_lines, banks, memory):
    """The text report on stdout, and the Markdown one when asked for."""
    result_head = [
        "case",
        "encoding",
        "req/s (median)",
        "p50",
        "p99",
        "ratio to nginx",
        "goal",
        "req/s per run",
    ]
    md_result_head = [
        "case",
        "encoding",
        "req/s (median)",
        "p50 (ms)",
        "p99 (ms)",
        "ratio to nginx",
        "goal",
        "req/s per run",
    ]
    memory_head = [
        "bank",
        "questions",
        "start-up",
        "RSS after start-up",
        "RSS after benchmark",
        "peak RSS (VmHWM)",
        "cold page: 1st / 2nd GET",
        "goal",
    ]
    memory_rows = [
        [
            m["bank"],
            f"{m['questions']:,}",
            f"{m['startup_s'] * 1000:.0f} ms",
            f"{mib(m['rss_start'])} MiB",
            f"{mib(m['rss_end'])} MiB",
            f"{mib(m['hwm'])} MiB",
            f"{m['cold_ms'][0]:.1f} / {m['cold_ms'][1]:.1f} ms",
            memory_goal(m),
        ]
        for m in memory
    ]

    for bank in banks:
        print()
        print(f"{bank['title']}")
        print(text_table(result_head, result_rows(bank["cases"], bank["reference"], False)))
        if bank.get("note"):
            print(bank["note"])
    print()
    print("Memory and start-up (start-up: spawn to the first 200 from /healthz)")
    print(text_table(memory_head, memory_rows))
    print()
    print("Goals are informational: they do not change the exit status.")

    if args.markdown:
        out = ["# drillbook benchmark", ""]
        out += [
            f"- {key}: `{value}`" if key == "command" else f"- {key}: {value}"
            for key, value in header_lines
        ]
        for bank in banks:
            out += ["", f"## {bank['title']}", ""]
            out.append(
                markdown_table(md_result_head, result_rows(bank["cases"], bank["reference"], True))
            )
            if bank.get("note"):
                out += ["", bank["note"]]
        out += [
            "",
            "## Memory and start-up",
            "",
            "Start-up: from spawning `drillbook serve` to the first 200 from `/healthz`.",
            "",
        ]
        out.append(markdown_table(memory_head, memory_rows))
        out += ["", "Goals are informational."]
        with open(args.markdown, "w") as f:
            f.write("\n".join(out) + "\n")
        log(f"wrote {args.markdown}")


def bench_bank(args, stack, binary, content, tmp, name, repeat, with_reference, reference):
    """Starts drillbook on one bank, runs its cases (and nginx's when asked), and returns the
    bank's results and its memory row."""
    log(f"{name}: starting drillbook serve --content {content}")
    server = Server(binary, content, tmp)
    stack.callback(server.stop)
    questions = question_paths(server)
    log(
        f"{name}: {len(questions):,} questions, up in {server.startup_s * 1000:.0f} ms, "
        f"RSS {mib(server.rss_start_kib)} MiB"
    )
    if not questions:
        fail(f"{name}: the sitemap lists no questions")
    question_path = QUESTION_PATH if with_reference else urlsplit(questions[0]).path
    cold_ms = first_request_ms(server, questions, question_path)
    log(
        f"{name}: a question page no one asked for yet: first GET {cold_ms[0]:.2f} ms, "
        f"the next {cold_ms[1]:.2f} ms"
    )
    cases = []
    nginx = None
    if with_reference:
        nginx = start_reference(server, tmp, os.cpu_count() or 1)
        stack.callback(nginx.stop)
        cases += [
            Case("nginx", "nginx static page", encoding, nginx.port, "/page.html")
            for encoding in ENCODINGS
        ]
    cases += drillbook_cases(server, question_path, tmp, name.split()[0])
    run_cases(args, cases, repeat, name.split()[0])
    after = server.memory()
    server.stop()
    if nginx:
        nginx.stop()
        reference = {c.encoding: c.median()["rps"] for c in cases if c.kind == "nginx"}
    memory = {
        "bank": name,
        "questions": len(questions),
        "startup_s": server.startup_s,
        "rss_start": server.rss_start_kib,
        "rss_end": after["VmRSS"],
        "hwm": after["VmHWM"],
        "cold_ms": cold_ms,
    }
    return cases, reference, memory, question_path


def first_request_ms(server, questions, measured):
    """Milliseconds of the first GET (gzip) of a question page not asked for yet, which renders
    and compresses it, and of the next, which finds it made: the page cache's miss and hit."""
    path = urlsplit(next((q for q in reversed(questions) if q != measured), measured)).path
    times = []
    for _ in range(2):
        began = time.perf_counter()
        response = server.get(path, "gzip")
        times.append((time.perf_counter() - began) * 1000)
        if response.status != 200:
            fail(f"GET {path} answered {response.status}")
    return times


def memory_goal(m):
    """The memory and start-up goals for a bank of its size, and whether each is met."""
    size = max(k for k in MEMORY_GOALS if k <= m["questions"])
    startup, start_mib, end_mib = MEMORY_GOALS[size]
    met = (
        m["startup_s"] <= startup
        and m["rss_start"] / 1024 <= start_mib
        and m["rss_end"] / 1024 <= end_mib
    )
    return f"≤ {startup:g} s, {start_mib} / {end_mib} MiB {'PASS' if met else 'BELOW'}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", help="the drillbook binary (default: cargo build --release)")
    parser.add_argument("--generator", help="the generate_bank example binary (default: build it)")
    parser.add_argument("--content", default="content", help="the shipped bank (default content)")
    parser.add_argument(
        "--duration", type=int, default=5, help="seconds of each measured wrk run (default 5)"
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=2,
        help="seconds of the warm-up run before each measured run; 0 for none (default 2)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="repetitions on the shipped bank, the median reported (default 3)",
    )
    parser.add_argument(
        "--generated-repeat",
        type=int,
        default=1,
        help="repetitions on the generated bank (default 1)",
    )
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument(
        "--size",
        type=int,
        action="append",
        help="questions in a generated bank; repeat for several (default 10000)",
    )
    parser.add_argument("--no-generated", action="store_true", help="the shipped bank only")
    parser.add_argument(
        "--markdown", metavar="FILE", help="also write the result tables as Markdown to FILE"
    )
    args = parser.parse_args()
    if args.duration < 1 or args.warmup < 0 or args.repeat < 1 or args.generated_repeat < 1:
        parser.error(
            "--duration, --repeat and --generated-repeat must be at least 1, --warmup at least 0"
        )
    if args.threads < 1 or args.connections < args.threads:
        parser.error("--connections must be at least --threads, and --threads at least 1")
    if any(size < 1 for size in args.size or []):
        parser.error("--size must be at least 1")
    if args.markdown:
        args.markdown = os.path.abspath(args.markdown)
    # SIGTERM unwinds like Ctrl-C, through every `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("bench: terminated"))

    ensure_tools()
    binary, generator = build(args.binary, False if args.no_generated else args.generator)
    binary = os.path.abspath(binary)
    header_lines = machine_header(args, binary)
    print_header(header_lines)

    banks, memory = [], []
    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="drillbook-bench-"))
        cases, reference, mem, _ = bench_bank(
            args,
            stack,
            binary,
            os.path.join(ROOT, args.content),
            tmp,
            "shipped bank",
            args.repeat,
            True,
            None,
        )
        banks.append(
            {
                "title": f"Shipped bank ({args.content}/, {mem['questions']:,} questions, "
                f"{QUESTION_PATH})",
                "cases": cases,
                "reference": reference,
            }
        )
        memory.append(mem)

        for size in [] if args.no_generated else args.size or [10_000]:
            bank = os.path.join(tmp, f"bank-{size}")
            log(f"generating a bank of {size:,} questions")
            began = time.monotonic()
            done = subprocess.run(
                [os.path.abspath(generator), str(size), bank],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                fail(f"generate_bank exited with {done.returncode}:\n{done.stdout}{done.stderr}")
            log(f"generated in {time.monotonic() - began:.1f} s")
            name = f"generated {size:,}"
            cases, _, mem, question_path = bench_bank(
                args, stack, binary, bank, tmp, name, args.generated_repeat, False, reference
            )
            banks.append(
                {
                    "title": f"Generated bank ({size:,} questions, {question_path})",
                    "cases": cases,
                    "reference": reference,
                    "note": "(ratios to the shipped bank's nginx figures above)",
                }
            )
            memory.append(mem)

    report(args, header_lines, banks, memory)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("bench: interrupted")
