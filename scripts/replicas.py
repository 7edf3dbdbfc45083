#!/usr/bin/env python3
"""Two replicas behind the shipped nginx config: the HTTPS edge (redirect, HSTS, TLS versions,
HTTP/2, the MDN HTTP Observatory's A+), same interviews on both, caching by the site's own
Cache-Control, and no failed request when a replica is killed or stopped under load.

Starts two `drillbook serve` replicas on free 127.0.0.1 ports and Debian's nginx in front of them
with deploy/nginx/drillbook.conf itself, changed only where it must be to run here: the upstream
servers' addresses, the listen directives (see below), the certificate and key (a throw-away
self-signed P-256 certificate for the listen address, made with openssl), the root of
/.well-known/acme-challenge/ and the cache path (temporary directories) and, when HTTPS is not
on 443, the redirect's port. Each of those patterns must be found, or the script fails, so the
shipped file and this test cannot drift apart. The file is included in a temporary nginx.conf
that is Debian's http context (gzip on, as Debian ships it) plus an access log of `$status
$upstream_addr $upstream_status $upstream_cache_status $request_method $request_uri` for every
request.

Where nginx listens: the Observatory's command line scans a host on ports 80 and 443 and takes
no port, so nginx gets ports 80 and 443 of a random loopback address of its own (127.x.y.z, all
of 127.0.0.0/8 is loopback), one where both are free: a server on 127.0.0.1:80 or another run of
this script on the same machine is not in the way. That needs root (as CI runs); without it, or
when every address tried is taken (a listener on the wildcard address), or with
--no-observatory, nginx listens on two free ports of 127.0.0.1, the redirect names the HTTPS
port, and the Observatory is skipped, which the output says.

Checks, in order (every request to nginx goes over HTTPS, as users' do, except the redirect's):

  redirect    plain HTTP: GET, HEAD and POST of several paths answer 301 with Location the same
              host and URI over HTTPS (with the HTTPS port when it is not 443) and no HSTS; a
              file under /.well-known/acme-challenge/ is served as it is (certbot's renewals).
              Over HTTPS, 200s and 404s carry Strict-Transport-Security: max-age=63072000;
              includeSubDomains exactly once, and a replica asked directly sends none.
  tls         TLS 1.2 and TLS 1.3 handshakes succeed, the certificate checked against the
              address; TLS 1.1 is refused by nginx (the client offers it, with OpenSSL's
              security level lowered so that the refusal is the server's; Debian's OpenSSL 3
              would refuse it at its default level too, so this guards the setting twice); ALPN
              picks h2 when the client offers h2 and http/1.1, http/1.1 when it offers only that;
              a TLS 1.2 session is resumed from nginx's session cache.
  observatory the MDN HTTP Observatory (npm @mdn/mdn-http-observatory, pinned, installed into
              target/observatory) scans the address with the throw-away certificate trusted
              (NODE_EXTRA_CA_CERTS): the grade must be A+. Prints the grade and score, and each
              failed test when it is not A+.
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

Prints a summary with the number of requests, retries and requests served by each replica, and
the Observatory's grade. Exits 1 on the first check that fails, saying what was expected and
what was found. Takes about 25 s. Stops every process it starts and removes its temporary directory, also on errors and
Ctrl-C.

    scripts/replicas.py                               # target/release/drillbook, content/
    scripts/replicas.py --binary path/to/drillbook --content path/to/content
    scripts/replicas.py --threads 16                  # client threads of the load phases
    scripts/replicas.py --config my-drillbook.conf    # an edited copy of the nginx config
    scripts/replicas.py --no-observatory              # free high ports, no Observatory
    scripts/replicas.py --install-only                # nginx, openssl, the Observatory; stop

--config runs the same checks on another copy of the site config, e.g. to see a check fail: with
`proxy_next_upstream off;` the SIGKILL phase fails with 502s, with `proxy_cache off;` the HIT
checks fail, with `proxy_ignore_headers Vary;` an identity client gets the cached gzip copy,
without the add_header of Strict-Transport-Security the redirect check and the Observatory fail.

Standard library only; installs nginx and openssl with apt-get when they are missing, and the
Observatory with npm (Node.js 20 or later must be on the PATH unless --no-observatory). Run as
root, nginx's workers switch to nobody, so the directories they use are made reachable for
them. Sends traffic only to loopback addresses.
"""

import argparse
import errno
import gzip
import html
import http.client
import itertools
import json
import os
import random
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import warnings

from drillbook_scripts import (
    LOOPBACK,
    ROOT,
    Drillbook,
    Nginx,
    connection,
    ensure_commands,
    fail,
    free_port,
    log,
    mock_form,
    nginx_config,
    request,
    self_signed_certificate,
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

# What the TLS server must send on every response, exactly once.
HSTS = "max-age=63072000; includeSubDomains"
# Where nginx listens when it can have the standard ports: a loopback address of its own (any of
# 127.0.0.0/8), so that neither a server on 127.0.0.1:80 or :443 nor another run of this script
# is in the way. Only a listener on the wildcard address (or not being root) keeps every one of
# them from 80 and 443; a few are tried.
EDGE_ADDRESS_TRIES = 8
STANDARD_PORTS = (80, 443)

# The MDN HTTP Observatory, pinned, installed under target/ like the other scripts' tools. Its
# CLI scans `host` on ports 80 and 443 only (it takes no port), which is why nginx gets a
# loopback address of its own with the standard ports when it can.
OBSERVATORY_VERSION = "1.4.8"
OBSERVATORY_DIR = os.path.join(ROOT, "target", "observatory")
OBSERVATORY_PACKAGE = os.path.join(OBSERVATORY_DIR, "node_modules", "@mdn", "mdn-http-observatory")
OBSERVATORY_GRADE = "A+"
OBSERVATORY_TIMEOUT_S = 45
NODE_MAJOR = 20


def ensure_nginx():
    ensure_commands({"nginx": "nginx", "openssl": "openssl"})


def node_major():
    """The major version of the `node` on PATH, or None."""
    if not shutil.which("node"):
        return None
    done = subprocess.run(["node", "--version"], stdout=subprocess.PIPE, text=True)
    match = re.match(r"v(\d+)\.", done.stdout)
    return int(match.group(1)) if match else None


def ensure_observatory():
    """The pinned @mdn/mdn-http-observatory under target/observatory, installed when another
    version (or none) is there.

    --ignore-scripts: the package's postinstall downloads Chromium's HSTS preload list and IANA's
    list of top-level domains from the internet, and its database driver's builds a native
    PostgreSQL client; the command-line scan needs neither the database nor the domain list.
    It does read the preload list, which can only change the grade of a host listed in it: the
    host scanned here is a loopback address, which no list holds, so an empty list is written in
    its place and the scan does not depend on GitHub answering."""
    manifest = os.path.join(OBSERVATORY_PACKAGE, "package.json")
    preload = os.path.join(OBSERVATORY_PACKAGE, "conf", "hsts-preload.json")
    try:
        with open(manifest, encoding="utf-8") as f:
            installed = json.load(f).get("version")
    except (OSError, ValueError):
        installed = None
    if installed != OBSERVATORY_VERSION:
        major = node_major()
        if major is None or major < NODE_MAJOR:
            fail(
                f"the MDN HTTP Observatory needs Node.js {NODE_MAJOR} or later on the PATH, found "
                f"{'none' if major is None else major} (or run with --no-observatory)"
            )
        log(
            f"installing @mdn/mdn-http-observatory@{OBSERVATORY_VERSION} into "
            f"{os.path.relpath(OBSERVATORY_DIR, ROOT)}"
        )
        os.makedirs(OBSERVATORY_DIR, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", OBSERVATORY_DIR, "--ignore-scripts", "--no-audit"]
            + ["--no-fund", "--loglevel=error", f"@mdn/mdn-http-observatory@{OBSERVATORY_VERSION}"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    if not os.path.exists(preload):
        with open(preload, "w", encoding="utf-8") as f:
            f.write("{}\n")


def request_or_fail(
    port, path, method="GET", encoding="identity", body=None, headers=None, **where
):
    """One request (see request) that fails the run, saying which, when it gets no answer."""
    try:
        return request(
            port,
            path,
            method,
            {"Accept-Encoding": encoding, **(headers or {})},
            body,
            REQUEST_TIMEOUT_S,
            **where,
        )
    except (OSError, http.client.HTTPException) as err:
        scheme = "https" if where.get("tls") else "http"
        fail(f"{method} {scheme}://{where.get('host', LOOPBACK)}:{port}{path}: {err!r}")


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


class Edge:
    """Where nginx listens: `host`, plain HTTP on `http_port`, HTTPS on `https_port`; `why_not`
    says why these are not the standard ports (None when they are)."""

    def __init__(self, host, http_port, https_port, why_not=None):
        self.host = host
        self.http_port = http_port
        self.https_port = https_port
        self.why_not = why_not

    @property
    def standard(self):
        return (self.http_port, self.https_port) == STANDARD_PORTS

    def https_url(self, path):
        """The URL the redirect must name: the port only when it is not 443."""
        port = "" if self.https_port == 443 else f":{self.https_port}"
        return f"https://{self.host}{port}{path}"


def bindable(host, port):
    """True when `host`:`port` can be bound now; raises PermissionError when ports below 1024
    are not this user's."""
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                return False
            raise
    return True


def choose_edge(standard):
    """Ports 80 and 443 on a loopback address that has both free, if `standard` and this user
    may bind them; otherwise two free ports on 127.0.0.1."""
    why_not = "--no-observatory"
    if standard:
        pick = random.SystemRandom()
        why_not = f"ports 80 and 443 are taken on {EDGE_ADDRESS_TRIES} loopback addresses"
        for _ in range(EDGE_ADDRESS_TRIES):
            host = f"127.{pick.randrange(1, 255)}.{pick.randrange(256)}.{pick.randrange(1, 255)}"
            try:
                if all(bindable(host, port) for port in STANDARD_PORTS):
                    return Edge(host, *STANDARD_PORTS)
            except PermissionError:
                why_not = "only root may bind ports 80 and 443"
                break
    ports = []
    while len(ports) < 2:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return Edge(LOOPBACK, *ports, why_not=why_not)


def site_config(text, replicas, edge, cache_dir, certificate, key, challenges):
    """deploy/nginx/drillbook.conf with the replicas' addresses, the edge's loopback listen
    addresses, the throw-away certificate, a temporary directory for the ACME challenges and
    for the cache, and the redirect's port when HTTPS is not on 443; nothing else changed."""
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

    # `listen 80` and `listen 443 ssl http2` move to the edge's address and ports, keeping their
    # parameters; the IPv6 ones go.
    listens = set()
    ports = dict(zip(STANDARD_PORTS, (edge.http_port, edge.https_port), strict=True))

    def listen(match):
        indent, address, parameters = match.groups()
        if address.startswith("["):
            return ""
        port = int(address.rpartition(":")[2]) if address.rpartition(":")[2].isdigit() else None
        if port not in ports or port in listens:
            fail(
                f"{config_name()}: expected one IPv4 listen directive on each of ports 80 and "
                f"443, found `listen {address}{parameters};`"
            )
        listens.add(port)
        return f"{indent}listen {edge.host}:{ports[port]}{parameters};\n"

    text = substitute(
        text, r"^([ \t]+)listen[ \t]+([^;\s]+)([^;\n]*);\n", listen, "listen directive"
    )
    if len(listens) != len(ports):
        found = sorted(listens)
        fail(f"{config_name()}: expected listen directives on ports 80 and 443, found {found}")
    for directive, path in (("ssl_certificate", certificate), ("ssl_certificate_key", key)):
        text = substitute(
            text, rf"^([ \t]+){directive}[ \t]+\S+;", rf"\g<1>{directive} {path};", directive, 1
        )
    text = substitute(
        text,
        r"(location /\.well-known/acme-challenge/ \{\s*root[ \t]+)\S+;",
        rf"\g<1>{challenges};",
        "root of location /.well-known/acme-challenge/",
        count=1,
    )
    # The redirect names no port: the client's next request goes to 443 unless one is added.
    port = "" if edge.https_port == 443 else f":{edge.https_port}"
    text = substitute(
        text,
        r"return 301 https://\$host\$request_uri;",
        f"return 301 https://$host{port}$request_uri;",
        "redirect to https://$host$request_uri",
        count=1,
    )
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


def start_nginx(tmp, replicas, edge):
    """Debian's nginx running the shipped site config in front of the replicas, on the edge's
    address and ports, with a throw-away certificate for that address."""
    directory = os.path.join(tmp, "nginx")
    os.makedirs(directory)
    # As root, nginx's workers run as nobody: they must reach the directories below, which
    # the master creates (and gives to them) itself; the cache's parent must exist, like
    # /var/cache/nginx on a host.
    cache_parent = os.path.join(directory, "cache")
    os.makedirs(cache_parent)
    # The ACME challenge certbot would leave, which nginx must serve over plain HTTP.
    challenges = os.path.join(directory, "webroot")
    token = f"replicas-{os.getpid()}"
    os.makedirs(os.path.join(challenges, ".well-known", "acme-challenge"))
    with open(os.path.join(challenges, ".well-known", "acme-challenge", token), "w") as f:
        f.write(f"{token}.key-authorization\n")
    for path in (tmp, directory, cache_parent, challenges):
        os.chmod(path, 0o755)
    for parent, _, _ in os.walk(challenges):
        os.chmod(parent, 0o755)
    certificate, key = self_signed_certificate(directory, sorted({LOOPBACK, edge.host}))
    with open(SITE_CONFIG) as f:
        site = site_config(
            f.read(),
            replicas,
            edge,
            os.path.join(cache_parent, "drillbook"),
            certificate,
            key,
            challenges,
        )
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
    return SiteNginx(directory, config, edge, access_log, certificate, token)


def client_context(certificate, versions=None, alpn=("http/1.1",)):
    """A TLS client context that trusts only the throw-away certificate and checks the host
    name, limited to `versions` (minimum, maximum) when given, offering `alpn`."""
    context = ssl.create_default_context(cafile=certificate)
    if versions:
        context.minimum_version, context.maximum_version = versions
    context.set_alpn_protocols(list(alpn))
    return context


class SiteNginx(Nginx):
    """nginx in front of the replicas, asked over HTTPS (`port`) unless said otherwise, with its
    access log of LOG_FIELDS read back."""

    LOG_FIELDS = ("status", "upstream_addr", "upstream_status", "cache", "method", "uri")

    def __init__(self, directory, config, edge, access_log, certificate, token):
        self.access_log = access_log
        self.edge = edge
        self.host = edge.host
        self.http_port = edge.http_port
        self.certificate = certificate
        self.tls = client_context(certificate)
        self.challenge = f"/.well-known/acme-challenge/{token}"
        self.challenge_body = f"{token}.key-authorization\n".encode()
        # Ready once plain HTTP serves the challenge: both ports are bound by then.
        super().__init__(directory, config, edge.http_port, self.challenge, host=edge.host)
        self.port = edge.https_port

    def where(self):
        """What request and the helpers need to ask this nginx over HTTPS."""
        return {"host": self.host, "tls": self.tls}

    def get(self, path, encoding="identity", headers=None):
        return request_or_fail(self.port, path, encoding=encoding, headers=headers, **self.where())

    def plain(self, path, method="GET"):
        """A request over plain HTTP, to the port that only redirects."""
        return request_or_fail(self.http_port, path, method, host=self.host)

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
    pages = sitemap_paths(nginx.port, **nginx.where())
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
        code, response = start_interview(nginx.port, form, **nginx.where())
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


def header_values(response, name):
    return [value for key, value in response.headers if key.lower() == name.lower()]


def check_redirect(a, nginx):
    """Plain HTTP: every method and path gets a 301 to the same host and URI over HTTPS (with
    the port when it is not 443) and no HSTS, which browsers ignore over HTTP; certbot's
    challenge is served as it is, not redirected."""
    paths = ["/", "/questions/11/", "/search?q=sql+injection&page=2", "/mock", "/no-such-page"]
    asked = [("GET", path) for path in paths] + [("HEAD", "/"), ("POST", "/mock")]
    for method, path in asked:
        response = nginx.plain(path, method)
        location = response.header("Location")
        want = nginx.edge.https_url(path)
        if response.status != 301 or location != want:
            fail(
                f"{method} http://{nginx.host}:{nginx.http_port}{path}: expected 301 to {want}, "
                f"found {response.status} to {location!r}"
            )
        if header_values(response, "Strict-Transport-Security"):
            fail(f"{method} {path} over plain HTTP: expected no Strict-Transport-Security")
    response = nginx.plain(nginx.challenge)
    if response.status != 200 or response.body != nginx.challenge_body:
        fail(
            f"GET {nginx.challenge} over plain HTTP: expected 200 with the challenge file, found "
            f"{response.status} with {response.body[:80]!r}"
        )
    log(
        f"plain HTTP on {nginx.host}:{nginx.http_port}: {len(asked)} requests (GET, HEAD, POST) "
        f"each a 301 to {nginx.edge.https_url('')} + the same URI, without HSTS; "
        "/.well-known/acme-challenge/ served, not redirected"
    )
    # HTTPS: HSTS once on every response, errors and uncached ones included; the replicas
    # never send it themselves.
    for path, want in (("/", 200), ("/no-such-page", 404), ("/healthz", 200), ("/static/", 404)):
        response = nginx.get(path)
        values = header_values(response, "Strict-Transport-Security")
        if response.status != want or values != [HSTS]:
            fail(
                f"GET {path} over HTTPS: expected {want} with one Strict-Transport-Security: "
                f"{HSTS}, found {response.status} with {values}"
            )
    direct = header_values(a.get("/"), "Strict-Transport-Security")
    if direct:
        fail(
            f"GET / on replica {a.name}: expected no Strict-Transport-Security (nginx adds it, "
            f"once), found {direct}"
        )
    log(f"HTTPS: Strict-Transport-Security: {HSTS} exactly once, on 200s and 404s alike")


def handshake(nginx, context):
    """A TLS handshake with nginx's HTTPS port: (version, cipher, ALPN protocol, session)."""
    with socket.create_connection((nginx.host, nginx.port), timeout=REQUEST_TIMEOUT_S) as raw:
        with context.wrap_socket(raw, server_hostname=nginx.host) as tls:
            return tls.version(), tls.cipher()[0], tls.selected_alpn_protocol(), tls.session


def check_tls(nginx):
    """TLS 1.2 and 1.3 accepted with the certificate checked against the address; TLS 1.1
    refused by the server (the client offers it, its own floor lowered); HTTP/2 chosen by ALPN
    when offered, HTTP/1.1 otherwise; a TLS 1.2 session resumed from nginx's session cache."""
    versions = {}
    for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
        got, cipher, _, _ = handshake(nginx, client_context(nginx.certificate, (version, version)))
        if got != version.name.replace("v1_", "v1."):
            fail(f"a {version.name} handshake with nginx: expected {version.name}, found {got}")
        versions[got] = cipher
    # Python warns that TLS 1.1 is deprecated, which is the point.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        old = client_context(nginx.certificate, (ssl.TLSVersion.TLSv1_1, ssl.TLSVersion.TLSv1_1))
    # OpenSSL 3 offers TLS 1.1 only at security level 0: without this the refusal would be the
    # client's, and the check would prove nothing about nginx.
    old.set_ciphers("DEFAULT:@SECLEVEL=0")
    try:
        got = handshake(nginx, old)[0]
    except ssl.SSLError as err:
        if "NO_PROTOCOLS_AVAILABLE" in str(err) or "no protocols available" in str(err):
            fail(f"this Python's OpenSSL cannot offer TLS 1.1, so its refusal is untested: {err}")
        refusal = err.reason or str(err)
    else:
        fail(f"a TLS 1.1 handshake with nginx: expected it refused, found {got} accepted")
    protocols = {}
    for offered in (("h2", "http/1.1"), ("http/1.1",)):
        protocols[offered] = handshake(nginx, client_context(nginx.certificate, alpn=offered))[2]
    if protocols != {("h2", "http/1.1"): "h2", ("http/1.1",): "http/1.1"}:
        fail(f"ALPN: expected h2 when offered and http/1.1 otherwise, found {protocols}")
    tls12 = client_context(nginx.certificate, (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2))
    session = handshake(nginx, tls12)[3]
    with socket.create_connection((nginx.host, nginx.port), timeout=REQUEST_TIMEOUT_S) as raw:
        with tls12.wrap_socket(raw, server_hostname=nginx.host, session=session) as again:
            if not again.session_reused:
                fail("a second TLS 1.2 handshake with the first one's session: expected it resumed")
    log(
        f"TLS: {', '.join(f'{v} ({c})' for v, c in versions.items())} accepted with the "
        f"certificate checked; TLS 1.1 refused by nginx ({refusal}); ALPN h2 when offered, "
        "http/1.1 otherwise; a TLS 1.2 session resumed"
    )


def check_observatory(nginx):
    """The MDN HTTP Observatory's scan of the edge's address (HTTP on 80, HTTPS on 443), with
    the throw-away certificate trusted: its grade must be A+. Returns (grade, score)."""
    # The package's bin/wrapper.js sets NODE_EXTRA_CA_CERTS to a bundle of its own, which would
    # replace this one, so its scan.js is run directly.
    scan = os.path.join(OBSERVATORY_PACKAGE, "src", "scan.js")
    env = {**os.environ, "NODE_EXTRA_CA_CERTS": nginx.certificate}
    try:
        done = subprocess.run(
            ["node", scan, nginx.host],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=OBSERVATORY_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        fail(f"the MDN HTTP Observatory did not finish within {OBSERVATORY_TIMEOUT_S} s")
    try:
        report = json.loads(done.stdout)
        grade, score = report["scan"]["grade"], report["scan"]["score"]
        tests = report["tests"]
    except (ValueError, KeyError, TypeError):
        fail(f"the MDN HTTP Observatory exited {done.returncode} without a scan:\n{done.stdout}")
    failed = [
        f"{name}: {test.get('result')} (expected {test.get('expectation')}, "
        f"{test.get('scoreModifier')})"
        for name, test in tests.items()
        if not test.get("pass")
    ]
    if grade != OBSERVATORY_GRADE:
        fail(
            f"the MDN HTTP Observatory grades https://{nginx.host}/ {grade} ({score}), expected "
            f"{OBSERVATORY_GRADE}; failed tests:\n  " + "\n  ".join(failed or ["none"])
        )
    passed = len(tests) - len(failed)
    log(
        f"MDN HTTP Observatory {OBSERVATORY_VERSION}: grade {grade}, score {score}, "
        f"{passed} of {len(tests)} tests passed"
        + (f"; failed: {'; '.join(failed)}" if failed else "")
    )
    return grade, score


class Load:
    """Client threads sending GETs through nginx on keep-alive connections until stopped.
    Six requests in ten are searches nginx has not seen, two are interview pages it has not
    seen, two are cached pages; half ask for gzip, half for identity."""

    counter = itertools.count()  # shared by every load, so each URL is new for the whole run

    def __init__(self, nginx, threads, interview_paths, cached_paths):
        self.port = nginx.port
        self.where = nginx.where()
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
                    conn = connection(
                        self.where["host"], self.port, self.where["tls"], REQUEST_TIMEOUT_S
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
                if conn is not None:
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
    load = Load(nginx, threads, interview_paths, cached_paths)
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
    load = Load(nginx, threads, interview_paths, cached_paths)
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
    parser.add_argument(
        "--no-observatory",
        action="store_true",
        help="skip the MDN HTTP Observatory; nginx then listens on free high ports of 127.0.0.1",
    )
    parser.add_argument(
        "--install-only",
        action="store_true",
        help="install nginx, openssl and the Observatory and stop, as CI does ahead of time",
    )
    args = parser.parse_args()
    if args.install_only:
        ensure_nginx()
        ensure_observatory()
        return
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
    if not args.no_observatory:
        ensure_observatory()

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
        edge = choose_edge(standard=not args.no_observatory)
        nginx = start_nginx(tmp, replicas, edge)
        log(
            f"replicas A on {a.addr} and B on {b.addr}, nginx on {edge.host} (HTTP "
            f"{edge.http_port}, HTTPS {edge.https_port}) with {config_name()}"
        )

        check_redirect(a, nginx)
        check_tls(nginx)
        if edge.standard:
            grade, score = check_observatory(nginx)
            observatory = f"MDN HTTP Observatory grade {grade} ({score})"
        else:
            observatory = f"MDN HTTP Observatory skipped: {edge.why_not}"
            log(f"{observatory}; nginx is on free ports of {edge.host} instead")

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
        f"cache; {observatory}"
    )


if __name__ == "__main__":
    main()
