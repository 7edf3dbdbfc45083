#!/usr/bin/env python3
"""Two replicas behind the shipped nginx config: same interviews on both, caching by the site's
own Cache-Control, and no failed request when a replica is killed or stopped under load.

Starts two `drillbook serve` replicas on free 127.0.0.1 ports and Debian's nginx in front of them
with deploy/nginx/drillbook.conf itself, changed only where it must be to run here: the upstream
servers' addresses, the listen directive (127.0.0.1 and a free port) and the cache path (a
temporary directory). Each of those patterns must be found, or the script fails, so the shipped
file and this test cannot drift apart. The file is included in a temporary nginx.conf that is
Debian's http context (gzip on, as Debian ships it) plus an access log of `$status $upstream_addr
$upstream_status $upstream_cache_status $request_method $request_uri` for every request.

Checks, in order:

  interviews  POST /mock (the form's defaults) to replica A; every /mock/<code>/<n> and
              /mock/<code>/results fetched from A, from B and through nginx (Accept-Encoding:
              identity) gives the same bytes, and the same questions (ids and titles) on the
              question pages and in the results table; the ETag of every sitemap page and static
              file is the same on both replicas.
  caching     every URL of /sitemap.xml (fetched through nginx), every /static/ file the home
              page links, a search and the interview's pages: 200 with Cache-Control as the site
              promises (static files: max-age of a year or more and immutable; pages: public,
              max-age from 60 to 3600 and stale-while-revalidate), and a second GET of each is a
              HIT (X-Cache-Status); /healthz (no-store), a 404 page and POST /mock never are.
              Vary: Accept-Encoding is honoured both ways: an identity client gets identity while
              the gzip copy is cached and a gzip client gets gzip while the identity copy is,
              each from its own cache entry, with its own ETag, and If-None-Match answers 304
              only for the matching coding.
  kill        8 client threads (http.client, keep-alive) send GETs through nginx: mostly URLs
              the cache has not seen (searches and interview pages, every URL new) and some
              cached pages. After a third of the run replica A gets SIGKILL; it is started again
              on the same port a little later, and the load runs until the access log shows A
              answering again. Every response must be 200 with the coding asked for, with no
              socket error; the access log must show that both replicas served traffic before the
              kill and that nginx retried requests on B after they failed on A (an
              $upstream_addr of two addresses, the first A with a 502 or 504), so the check
              cannot pass without a retry having happened.
  sigterm     the same load while replica B gets SIGTERM: no failed request, and B exits 0.

Prints a summary with the number of requests, retries and requests served by each replica.
Exits 1 on the first check that fails, saying what was expected and what was found. Takes about
20 s. Stops every process it starts and removes its temporary directory, also on errors and
Ctrl-C.

    scripts/replicas.py                               # target/release/drillbook, content/
    scripts/replicas.py --binary path/to/drillbook --content path/to/content
    scripts/replicas.py --threads 16                  # client threads of the load phases
    scripts/replicas.py --config my-drillbook.conf    # an edited copy of the nginx config

--config runs the same checks on another copy of the site config, e.g. to see a check fail: with
`proxy_next_upstream off;` the SIGKILL phase fails with 502s, with `proxy_cache off;` the HIT
checks fail, with `proxy_ignore_headers Vary;` an identity client gets the cached gzip copy.

Standard library only; installs nginx with apt-get when it is missing (run as root, nginx's
workers switch to nobody, so the directories they use are made reachable for them). Sends
traffic only to 127.0.0.1.
"""

import argparse
import gzip
import html
import http.client
import itertools
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time

from drillbook_scripts import (
    ROOT,
    Drillbook,
    Nginx,
    ensure_commands,
    fail,
    free_port,
    log,
    mock_form,
    nginx_config,
    request,
    sitemap_paths,
    start_interview,
    tail,
)

SITE_CONFIG = os.path.join(ROOT, "deploy", "nginx", "drillbook.conf")
# What the replicas are started with as --base-url, the address a deployment would publish.
PUBLIC_BASE_URL = "https://drillbook.example.org"

# What the site promises for Cache-Control (see README and SECURITY.md).
ASSET_MIN_MAX_AGE = 365 * 24 * 3600
PAGE_MAX_AGE = (60, 3600)

# The kill phase: SIGKILL after this long, restart this long after the kill, then run until the
# restarted replica answers again (nginx tries it once its fail_timeout has passed) or give up.
KILL_AFTER_S = 3.0
RESTART_AFTER_S = 2.0
BACK_WITHIN_S = 15.0
# The SIGTERM phase: SIGTERM after this long, then this long more of load.
TERM_AFTER_S = 2.0
TERM_THEN_S = 2.5

# Interviews started before the load, whose pages are the uncached interview URLs of the load.
LOAD_INTERVIEWS = 40
# Words searched for under load; each URL also carries a counter, so every one is new to nginx.
WORDS = [
    "decorator",
    "generator",
    "gil",
    "metaclass",
    "async",
    "context",
    "comprehension",
    "dataclass",
    "fixture",
    "mock",
    "injection",
    "docker",
    "profiling",
    "memory",
    "typing",
    "closure",
    "iterator",
    "exceptions",
    "threading",
    "pandas",
    "descriptor",
    "slots",
    "garbage",
    "asyncio",
    "decorater",
]

START_TIMEOUT_S = 60
REQUEST_TIMEOUT_S = 15


def ensure_nginx():
    ensure_commands({"nginx": "nginx"})


def request_or_fail(port, path, method="GET", encoding="identity", body=None, headers=None):
    """One request (see request) that fails the run, saying which, when it gets no answer."""
    try:
        return request(
            port,
            path,
            method,
            {"Accept-Encoding": encoding, **(headers or {})},
            body,
            REQUEST_TIMEOUT_S,
        )
    except (OSError, http.client.HTTPException) as err:
        fail(f"{method} http://127.0.0.1:{port}{path}: {err!r}")


class Replica(Drillbook):
    """`drillbook serve` on a fixed loopback port, with the public address a deployment would
    give both replicas (the pages must not depend on which one rendered them); a log file per
    start."""

    def __init__(self, name, binary, content, port, tmp):
        super().__init__(binary, content, port, base_url=PUBLIC_BASE_URL, name=f"replica {name}")
        self.name = name
        self.tmp = tmp
        self.starts = 0

    def spawn(self):
        self.starts += 1
        self.log = os.path.join(self.tmp, f"replica-{self.name}-{self.starts}.log")
        super().spawn()

    def wait_ready(self):
        super().wait_ready(START_TIMEOUT_S)

    def start(self):
        self.spawn()
        self.wait_ready()

    def get(self, path, encoding="identity", headers=None):
        return request_or_fail(self.port, path, encoding=encoding, headers=headers)


def config_name():
    """The site config's path as given, relative to the repository when it is inside."""
    relative = os.path.relpath(SITE_CONFIG, ROOT)
    return SITE_CONFIG if relative.startswith("..") else relative


def substitute(text, pattern, replacement, what, count=None, flags=re.MULTILINE):
    """re.subn that fails unless the pattern is found (exactly `count` times when given)."""
    new, found = re.subn(pattern, replacement, text, flags=flags)
    if found == 0 or (count is not None and found != count):
        expected = f"{count}" if count is not None else "at least one"
        fail(
            f"{config_name()}: expected {expected} {what} "
            f"(/{pattern}/), found {found}; this script must be updated with the file"
        )
    return new


def site_config(text, replicas, listen_port, cache_dir):
    """deploy/nginx/drillbook.conf with the replicas' addresses, a loopback listen address and a
    temporary cache path; nothing else changed."""
    # The upstream block's server lines, in order, get the replicas' addresses (their parameters
    # are kept); a line beyond the replicas started here is dropped.
    block = re.search(r"^upstream drillbook \{\n(.*?)^\}", text, re.MULTILINE | re.DOTALL)
    if not block:
        fail(f"{config_name()}: no `upstream drillbook {{ ... }}` block")
    servers = iter(replicas)

    def server(match):
        replica = next(servers, None)
        if replica is None:
            return ""
        return f"{match.group(1)}server {replica.addr}{match.group(3)};\n"

    upstream = re.sub(
        r"^([ \t]+)server[ \t]+(\S+?)((?:[ \t]+[^;\n]*)?);\n",
        server,
        block.group(1),
        flags=re.MULTILINE,
    )
    if next(servers, None) is not None:
        fail(f"{config_name()}: the upstream block has fewer than {len(replicas)} server lines")
    text = text[: block.start(1)] + upstream + text[block.end(1) :]

    # The first listen directive becomes the loopback port; the others (IPv6) go.
    listens = []

    def listen(match):
        listens.append(match.group(0))
        return f"{match.group(1)}listen 127.0.0.1:{listen_port};\n" if len(listens) == 1 else ""

    text = substitute(text, r"^([ \t]+)listen[ \t]+[^;\n]+;\n", listen, "listen directive")
    text = substitute(
        text,
        r"^proxy_cache_path[ \t]+\S+",
        f"proxy_cache_path {cache_dir}",
        "proxy_cache_path at the top level",
        count=1,
    )
    # The requests must reach the http-level access log written below.
    if re.search(r"^[ \t]*access_log\b", text, re.MULTILINE):
        fail(
            f"{config_name()} has an access_log directive: this script "
            f"reads the http-level one, so one in the file would hide every request"
        )
    return text


def start_nginx(tmp, replicas):
    """Debian's nginx running the shipped site config in front of the replicas."""
    directory = os.path.join(tmp, "nginx")
    os.makedirs(directory)
    # As root, nginx's workers run as nobody: they must reach the directories below, which
    # the master creates (and gives to them) itself; the cache's parent must exist, like
    # /var/cache/nginx on a host.
    cache_parent = os.path.join(directory, "cache")
    os.makedirs(cache_parent)
    for path in (tmp, directory, cache_parent):
        os.chmod(path, 0o755)
    port = free_port()
    with open(SITE_CONFIG) as f:
        site = site_config(f.read(), replicas, port, os.path.join(cache_parent, "drillbook"))
    site_path = os.path.join(directory, "drillbook.conf")
    with open(site_path, "w") as f:
        f.write(site)
    access_log = os.path.join(directory, "access.log")
    mime_types = (
        "    include /etc/nginx/mime.types;\n" if os.path.exists("/etc/nginx/mime.types") else ""
    )
    http = f"""\
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
{mime_types}    default_type application/octet-stream;
    gzip on;

    log_format replicas '$status\\t$upstream_addr\\t$upstream_status\\t$upstream_cache_status\\t'
                        '$request_method\\t$request_uri';
    access_log {access_log} replicas;

    include {site_path};"""
    comment = (
        f"Written by scripts/replicas.py: Debian's main nginx.conf, reduced to what "
        f"matters here, with\n{config_name()} (addresses and cache path changed) included "
        "in its http context as\nsites-enabled/ would be."
    )
    config = nginx_config(directory, comment, http, worker_connections=768)
    return SiteNginx(directory, config, port, access_log)


class SiteNginx(Nginx):
    """nginx in front of the replicas, with its access log of LOG_FIELDS read back."""

    LOG_FIELDS = ("status", "upstream_addr", "upstream_status", "cache", "method", "uri")

    def __init__(self, directory, config, port, access_log):
        self.access_log = access_log
        super().__init__(directory, config, port, "/healthz")

    def get(self, path, encoding="identity", headers=None):
        return request_or_fail(self.port, path, encoding=encoding, headers=headers)

    def log_size(self):
        try:
            return os.path.getsize(self.access_log)
        except OSError:
            return 0

    def log_entries(self, start=0, end=None):
        """Access-log entries between two byte offsets, as dicts of LOG_FIELDS; upstream_addr
        and upstream_status as lists (one item per upstream tried)."""
        with open(self.access_log, "rb") as f:
            f.seek(max(start - 1, 0))
            data = f.read() if end is None else f.read(end - max(start - 1, 0))
        # An offset taken while nginx was writing may fall inside a line: a line cut by either
        # end of the range (or still being written) is left out.
        if start > 0:
            data = data[data.find(b"\n") + 1 :]
        data = data[: data.rfind(b"\n") + 1]
        entries = []
        for line in data.decode("utf-8", "replace").splitlines():
            fields = line.split("\t")
            if len(fields) != len(self.LOG_FIELDS):
                fail(f"unexpected access-log line {line!r}")
            entry = dict(zip(self.LOG_FIELDS, fields, strict=True))
            for key in ("upstream_addr", "upstream_status"):
                entry[key] = [] if entry[key] == "-" else re.split(r", | : ", entry[key])
            entries.append(entry)
        return entries


def text_of(fragment):
    return html.unescape(re.sub(r"<[^>]*>", "", fragment)).strip()


def question_on_page(body, path):
    """(id, title) of the question on an interview question page."""
    page = body.decode("utf-8", "replace")
    title = re.search(r"<h1>(.*?)</h1>", page, re.DOTALL)
    link = re.search(r'class="permalink"[^<]*<a href="/questions/(\d+)/', page)
    if not title or not link:
        fail(
            f"{path}: expected an <h1> title and a permalink to /questions/<id>/ on the page, "
            f"found {'no title' if not title else 'no permalink'}"
        )
    return int(link.group(1)), text_of(title.group(1))


def questions_in_results(body, path):
    """[(id, title)] of the rows of an interview's results table, in the order they were asked
    (the table groups them by category; each row carries the number it was asked at)."""
    page = body.decode("utf-8", "replace")
    table = re.search(r'<table class="results-table">(.*?)</table>', page, re.DOTALL)
    if not table:
        fail(f'{path}: expected a results table (<table class="results-table">), found none')
    rows = re.findall(
        r'<tr data-number="(\d+)".*?<a href="/questions/(\d+)/[^"]*">(.*?)</a>',
        table.group(1),
        re.DOTALL,
    )
    return [(int(i), text_of(title)) for _, i, title in sorted(rows, key=lambda r: int(r[0]))]


def check_interviews(a, b, nginx):
    """An interview started on A: the same pages, bytes and questions on A, on B and through
    nginx. Returns its paths."""
    form, count = mock_form(a.port)
    code, _ = start_interview(a.port, form)
    paths = [f"/mock/{code}/{n}" for n in range(1, count + 1)] + [f"/mock/{code}/results"]
    asked = []
    for path in paths:
        bodies = {}
        for where, fetch in ((a.name, a.get), (b.name, b.get), ("nginx", nginx.get)):
            response = fetch(path)
            if response.status != 200:
                fail(f"GET {path} on {where}: expected 200, found {response.status}")
            if response.header("Content-Encoding") not in (None, "identity"):
                fail(
                    f"GET {path} on {where} with Accept-Encoding: identity: expected no "
                    f"Content-Encoding, found {response.header('Content-Encoding')!r}"
                )
            bodies[where] = response.body
        for where in (b.name, "nginx"):
            if bodies[where] != bodies[a.name]:
                fail(
                    f"GET {path}: expected the same bytes on replica {a.name} and {where}, found "
                    f"{len(bodies[a.name])} and {len(bodies[where])} bytes that differ"
                )
        if path.endswith("/results"):
            rows = questions_in_results(bodies[a.name], path)
            if rows != asked:
                fail(f"{path}: expected the questions of the question pages {asked}, found {rows}")
        else:
            asked.append(question_on_page(bodies[a.name], path))
    if len(set(i for i, _ in asked)) != count:
        fail(f"interview {code}: expected {count} different questions, found {asked}")
    log(
        f"interview {code} started on replica {a.name}: the same {count} questions "
        f"({', '.join(str(i) for i, _ in asked)}) and the same bytes on {a.name}, {b.name} and "
        "through nginx"
    )
    return paths


def cache_control(response):
    """Cache-Control as {directive: value or True}."""
    directives = {}
    for part in (response.header("Cache-Control") or "").split(","):
        name, _, value = part.strip().partition("=")
        if name:
            directives[name.lower()] = value.strip('"') if value else True
    return directives


def max_age(directives):
    try:
        return int(directives.get("max-age"))
    except (TypeError, ValueError):
        return None


def cache_control_problem(path, response):
    """What is wrong with a response's Cache-Control, or None."""
    value = response.header("Cache-Control")
    if value is None:
        return f"{path}: expected a Cache-Control header, found none"
    directives = cache_control(response)
    age = max_age(directives)
    if path.startswith("/static/"):
        if age is None or age < ASSET_MIN_MAX_AGE or "immutable" not in directives:
            return f"{path}: expected max-age >= {ASSET_MIN_MAX_AGE} and immutable, found {value!r}"
    elif (
        "public" not in directives
        or age is None
        or not PAGE_MAX_AGE[0] <= age <= PAGE_MAX_AGE[1]
        or "stale-while-revalidate" not in directives
    ):
        return (
            f"{path}: expected public, max-age from {PAGE_MAX_AGE[0]} to {PAGE_MAX_AGE[1]} and "
            f"stale-while-revalidate, found {value!r}"
        )
    return None


def check_same_etags(a, b, paths):
    """Each path has the same strong ETag on both replicas, so revalidation works whichever
    replica answers."""
    for path in paths:
        tags = [replica.get(path).header("ETag") for replica in (a, b)]
        if tags[0] is None or tags[0] != tags[1]:
            fail(
                f"GET {path}: expected the same ETag on replicas {a.name} and {b.name}, found "
                f"{tags[0]!r} and {tags[1]!r}"
            )


def check_variants(nginx, path, first):
    """Vary: Accept-Encoding through the cache: `first` is the coding cached already (or asked
    for first); the other must be a MISS with its own coding, then both HITs with their own
    coding, body and ETag, and If-None-Match must match only its own coding."""
    other = "identity" if first == "gzip" else "gzip"
    seen = {}
    for round_, expected_cache in ((1, None), (2, "HIT")):
        for coding in (first, other):
            response = nginx.get(path, coding)
            status = response.header("X-Cache-Status")
            if response.status != 200:
                fail(f"GET {path} ({coding}) through nginx: expected 200, found {response.status}")
            want = "gzip" if coding == "gzip" else None
            if response.header("Content-Encoding") != want:
                fail(
                    f"GET {path} with Accept-Encoding: {coding} through nginx (X-Cache-Status "
                    f"{status}): expected Content-Encoding {want}, found "
                    f"{response.header('Content-Encoding')!r}: the cache served the wrong "
                    "variant"
                )
            if round_ == 1 and coding == other and status == "HIT":
                fail(
                    f"GET {path} with Accept-Encoding: {other} after only {first} was cached: "
                    f"expected a MISS (its own variant), found HIT"
                )
            if expected_cache and status != expected_cache:
                fail(
                    f"GET {path} ({coding}) a second time through nginx: expected X-Cache-Status "
                    f"HIT, found {status!r}"
                )
            if round_ == 2 and (response.body, response.header("ETag")) != seen[coding]:
                fail(
                    f"GET {path} ({coding}): expected the cached copy to be the bytes and ETag "
                    f"first served, found {response.header('ETag')!r} and "
                    f"{len(response.body)} bytes"
                )
            seen[coding] = (response.body, response.header("ETag"))
    identity, gzipped = seen["identity"], seen["gzip"]
    if gzip.decompress(gzipped[0]) != identity[0]:
        fail(f"{path}: expected the gzip variant to gunzip to the identity variant's bytes")
    if identity[1] is None or identity[1] == gzipped[1]:
        fail(
            f"{path}: expected a distinct ETag per coding, found {identity[1]!r} and {gzipped[1]!r}"
        )
    for coding, tag, want in (
        ("gzip", gzipped[1], 304),
        ("identity", identity[1], 304),
        ("identity", gzipped[1], 200),
    ):
        response = nginx.get(path, coding, headers={"If-None-Match": tag})
        if response.status != want:
            fail(
                f"GET {path} ({coding}) with If-None-Match: {tag} through nginx: expected "
                f"{want}, found {response.status}"
            )


def check_caching(a, b, nginx, interview_paths):
    pages = sitemap_paths(nginx.port)
    home = nginx.get("/")
    assets = sorted(
        set(re.findall(r'(?:href|src)="(/static/[^"]+)"', home.body.decode("utf-8", "replace")))
    )
    if not assets:
        fail("GET / through nginx: expected links to /static/ files, found none")
    search = "/search?q=context+manager"
    paths = pages + ["/sitemap.xml"] + assets + [search] + interview_paths
    check_same_etags(a, b, pages + ["/sitemap.xml"] + assets)

    problems = []
    for path in paths:
        response = nginx.get(path, "gzip")
        if response.status != 200:
            problems.append(f"{path}: expected 200, found {response.status}")
            continue
        problem = cache_control_problem(path, response)
        if problem:
            problems.append(problem)
    if problems:
        fail(
            f"{len(problems)} of {len(paths)} responses through nginx are wrong:\n  "
            + "\n  ".join(problems[:20])
        )
    misses = []
    for path in paths:
        status = nginx.get(path, "gzip").header("X-Cache-Status")
        if status != "HIT":
            misses.append(f"{path}: {status!r}")
    if misses:
        fail(
            f"a second GET through nginx: expected X-Cache-Status HIT for all {len(paths)} URLs, "
            f"found {len(misses)} not HIT:\n  " + "\n  ".join(misses[:20])
        )
    log(
        f"{len(pages)} sitemap pages, /sitemap.xml, {len(assets)} static files, a search and "
        f"{len(interview_paths)} interview pages: Cache-Control as promised, same ETags on both "
        "replicas, and each a HIT the second time"
    )

    # Vary: a question page whose gzip copy is cached (identity asked next), and a search not yet
    # asked for (identity first, then gzip).
    question = next((p for p in pages if p.startswith("/questions/")), None)
    if question is None:
        fail("/sitemap.xml: expected question pages, found none")
    check_variants(nginx, question, "gzip")
    check_variants(nginx, "/search?q=generator+expression", "identity")
    log(
        "Vary: Accept-Encoding honoured by the cache: gzip and identity each get their own "
        "cached copy and ETag, and If-None-Match matches only its own coding"
    )

    # What must never come from the cache.
    for path, want in (("/healthz", 200), ("/readyz", 200), ("/no-such-page", 404)):
        for _ in range(3):
            response = nginx.get(path, "gzip")
            status = response.header("X-Cache-Status")
            if response.status != want or status == "HIT":
                fail(
                    f"GET {path} through nginx: expected {want}, never from the cache, found "
                    f"{response.status} with X-Cache-Status {status!r}"
                )
            if "no-store" not in cache_control(response):
                fail(
                    f"GET {path} through nginx: expected Cache-Control no-store, found "
                    f"{response.header('Cache-Control')!r}"
                )
    form, _ = mock_form(a.port)
    codes = set()
    for _ in range(2):
        code, response = start_interview(nginx.port, form)
        if "no-store" not in cache_control(response) or response.header("X-Cache-Status"):
            fail(
                f"POST /mock through nginx: expected Cache-Control no-store and no cache status, "
                f"found {response.header('Cache-Control')!r} and "
                f"{response.header('X-Cache-Status')!r}"
            )
        codes.add(code)
    if len(codes) != 2:
        fail(f"POST /mock twice through nginx: expected two interviews, found {codes}")
    log("/healthz, /readyz, a 404 page and POST /mock are never served from the cache")
    return pages, assets


class Load:
    """Client threads sending GETs through nginx on keep-alive connections until stopped.
    Six requests in ten are searches nginx has not seen, two are interview pages it has not
    seen, two are cached pages; half ask for gzip, half for identity."""

    counter = itertools.count()  # shared by every load, so each URL is new for the whole run

    def __init__(self, port, threads, interview_paths, cached_paths):
        self.port = port
        self.interview_paths = interview_paths
        self.cached_paths = cached_paths
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.requests = 0
        self.failures = []
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(threads)]
        self.started = time.monotonic()
        for thread in self.threads:
            thread.start()

    def path(self, i):
        kind = i % 10
        if kind < 6:
            return f"/search?q={WORDS[i % len(WORDS)]}&n={i}"
        if kind < 8:
            j = i // 10 * 2 + kind - 6
            path = self.interview_paths[j % len(self.interview_paths)]
            return path if j < len(self.interview_paths) else f"{path}?n={i}"
        return self.cached_paths[i // 10 % len(self.cached_paths)]

    def run(self):
        conn = None
        while not self.stop_event.is_set():
            i = next(self.counter)
            path = self.path(i)
            coding = "gzip" if i % 2 else "identity"
            problem = None
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(
                        "127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_S
                    )
                conn.request("GET", path, headers={"Accept-Encoding": coding})
                response = conn.getresponse()
                response.read()
                encoding = response.getheader("Content-Encoding")
                if response.status != 200:
                    problem = f"{path}: {response.status}"
                elif encoding != (None if coding == "identity" else coding):
                    problem = f"{path} ({coding}): Content-Encoding {encoding}"
            except (OSError, http.client.HTTPException) as err:
                problem = f"{path}: {err!r}"
                conn.close()
                conn = None
            with self.lock:
                self.requests += 1
                if problem:
                    self.failures.append(f"{time.monotonic() - self.started:.2f} s {problem}")
        if conn is not None:
            conn.close()

    def stop(self):
        self.stop_event.set()
        for thread in self.threads:
            thread.join(REQUEST_TIMEOUT_S + 5)
        self.elapsed = time.monotonic() - self.started


def served_by(entry):
    """The address that answered an entry with 200, or None (cache hit, or not 200)."""
    if entry["upstream_addr"] and entry["upstream_status"][-1:] == ["200"]:
        return entry["upstream_addr"][-1]
    return None


def count_by_replica(entries, replicas):
    counts = {replica.name: 0 for replica in replicas}
    for entry in entries:
        for replica in replicas:
            if served_by(entry) == replica.addr:
                counts[replica.name] += 1
    return counts


def retried(entries, failed=None):
    """Entries nginx passed on to another replica, first tried on `failed` (any if None) with a
    502 or 504 (refused, reset, timed out)."""
    return [
        e
        for e in entries
        if len(e["upstream_addr"]) > 1
        and (failed is None or e["upstream_addr"][0] == failed.addr)
        and e["upstream_status"][0] in ("502", "504")
    ]


def check_no_failures(load, what):
    if load.failures:
        fail(
            f"{what}: expected every one of {load.requests} requests through nginx to answer 200 "
            f"with the coding asked for, found {len(load.failures)} failures:\n  "
            + "\n  ".join(load.failures[:20])
        )


def check_kill(a, b, nginx, threads, interview_paths, cached_paths):
    """SIGKILL replica A under load, restart it; returns the phase's figures."""
    begin = nginx.log_size()
    load = Load(nginx.port, threads, interview_paths, cached_paths)
    try:
        time.sleep(KILL_AFTER_S)
        killed_at = nginx.log_size()
        a.kill()
        log(f"SIGKILL replica {a.name} after {time.monotonic() - load.started:.1f} s of load")
        time.sleep(RESTART_AFTER_S)
        a.start()
        restarted_at = nginx.log_size()
        log(f"replica {a.name} started again on {a.addr} ({time.monotonic() - load.started:.1f} s)")
        deadline = time.monotonic() + BACK_WITHIN_S
        back = False
        while time.monotonic() < deadline and not back:
            time.sleep(0.25)
            back = count_by_replica(nginx.log_entries(restarted_at), [a])[a.name] > 0
    finally:
        load.stop()
    check_no_failures(load, f"SIGKILL of replica {a.name}")
    before = count_by_replica(nginx.log_entries(begin, killed_at), [a, b])
    if min(before.values()) == 0:
        fail(
            f"before the SIGKILL: expected both replicas to serve requests through nginx, found "
            f"{before}"
        )
    entries = nginx.log_entries(begin)
    retries = retried(entries, failed=a)
    if not retries:
        fail(
            f"SIGKILL of replica {a.name}: expected access-log entries of requests that failed on "
            f"{a.addr} (502 or 504) and were retried on {b.addr}, found none in {len(entries)} "
            "entries: the check proves nothing unless a retry happened"
        )
    after = count_by_replica(nginx.log_entries(restarted_at), [a, b])
    if not back or after[a.name] == 0:
        fail(
            f"after restarting replica {a.name}: expected nginx to send it requests again within "
            f"{BACK_WITHIN_S:.0f} s (its fail_timeout), found {after}"
        )
    log(
        f"SIGKILL: {load.requests} requests in {load.elapsed:.1f} s, 0 failed, "
        f"{len(retries)} retried from {a.name} to {b.name}; served before the kill "
        f"{before}, after the restart {after}"
    )
    return load.requests, len(retried(entries)), count_by_replica(entries, [a, b])


def check_sigterm(a, b, nginx, threads, interview_paths, cached_paths):
    """SIGTERM replica B under load; returns the phase's figures."""
    begin = nginx.log_size()
    load = Load(nginx.port, threads, interview_paths, cached_paths)
    try:
        time.sleep(TERM_AFTER_S)
        term_at = nginx.log_size()
        started = time.monotonic()
        status = b.terminate()
        log(f"SIGTERM replica {b.name}: exited {status} in {time.monotonic() - started:.2f} s")
        time.sleep(TERM_THEN_S)
    finally:
        load.stop()
    check_no_failures(load, f"SIGTERM of replica {b.name}")
    if status != 0:
        fail(
            f"SIGTERM of replica {b.name} under load: expected exit status 0, found {status}:\n"
            f"{tail(b.log)}"
        )
    before = count_by_replica(nginx.log_entries(begin, term_at), [a, b])
    if min(before.values()) == 0:
        fail(
            f"before the SIGTERM: expected both replicas to serve requests through nginx, found "
            f"{before}"
        )
    entries = nginx.log_entries(begin)
    retries = retried(entries)
    log(
        f"SIGTERM: {load.requests} requests in {load.elapsed:.1f} s, 0 failed, "
        f"{len(retries)} retried; served before the SIGTERM {before}"
    )
    return load.requests, len(retries), count_by_replica(entries, [a, b])


def main():
    global SITE_CONFIG  # --config
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--binary",
        default="target/release/drillbook",
        help="the drillbook binary (default target/release/drillbook)",
    )
    parser.add_argument("--content", default="content", help="the bank (default content)")
    parser.add_argument(
        "--config",
        default=SITE_CONFIG,
        help="the nginx site config (default deploy/nginx/drillbook.conf)",
    )
    parser.add_argument(
        "--threads", type=int, default=8, help="client threads of the load phases (default 8)"
    )
    args = parser.parse_args()
    if args.threads < 1:
        parser.error("--threads must be at least 1")
    binary = os.path.abspath(args.binary)
    content = os.path.abspath(args.content)
    SITE_CONFIG = os.path.abspath(args.config)
    if not os.path.isfile(SITE_CONFIG):
        fail(f"{SITE_CONFIG} is not a file")
    if not os.access(binary, os.X_OK):
        fail(f"{binary} is not an executable (build it: cargo build --release)")
    # SIGTERM unwinds like Ctrl-C, through every `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("replicas: terminated"))
    ensure_nginx()

    began = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="drillbook-replicas-")
    replicas = []
    nginx = None
    try:
        ports = set()
        while len(ports) < 2:
            ports.add(free_port())
        a, b = (
            Replica(name, binary, content, port, tmp)
            for name, port in zip("AB", ports, strict=True)
        )
        replicas = [a, b]
        for replica in replicas:
            replica.spawn()
        for replica in replicas:
            replica.wait_ready()
        nginx = start_nginx(tmp, replicas)
        log(
            f"replicas A on {a.addr} and B on {b.addr}, nginx on 127.0.0.1:{nginx.port} with "
            f"{config_name()}"
        )

        interview_paths = check_interviews(a, b, nginx)
        pages, _ = check_caching(a, b, nginx, interview_paths)

        form, count = mock_form(a.port)
        load_paths = []
        for _ in range(LOAD_INTERVIEWS):
            code, _ = start_interview(a.port, form)
            load_paths += [f"/mock/{code}/{n}" for n in range(1, count + 1)]
            load_paths.append(f"/mock/{code}/results")
        cached_paths = pages[:20]

        kill = check_kill(a, b, nginx, args.threads, load_paths, cached_paths)
        term = check_sigterm(a, b, nginx, args.threads, load_paths, cached_paths)
    finally:
        for replica in replicas:
            replica.stop()
        if nginx is not None:
            nginx.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    requests = kill[0] + term[0]
    served = {name: kill[2][name] + term[2][name] for name in kill[2]}
    print(
        f"replicas: ok in {time.monotonic() - began:.0f} s: {requests} requests through nginx "
        f"under load, 0 failed (SIGKILL phase {kill[0]}, SIGTERM phase {term[0]}); "
        f"{kill[1] + term[1]} retried on the other replica (SIGKILL {kill[1]}, SIGTERM "
        f"{term[1]}); served by replica A {served['A']}, B {served['B']}, the rest from the "
        "cache"
    )


if __name__ == "__main__":
    main()
