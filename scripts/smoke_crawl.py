#!/usr/bin/env python3
"""Smoke test: start a drillbook binary on a free loopback port and crawl the site.

Follows every internal link, stylesheet, script and icon reachable from `/` and fails if any
answers other than 2xx/3xx, or if an HTML page has no <title>. Every URL is also checked for
HTTP correctness: a text body says its charset; HEAD answers like GET with no body; a cacheable
200 has an ETag, a 304 for `If-None-Match` with it, and a gzip variant with its own tag and
`Vary: Accept-Encoding` (binary downloads, the Anki deck, a zip, have no charset and are not
compressed again). Standard library only.

    python3 scripts/smoke_crawl.py target/release/drillbook [--content DIR]
"""

import argparse
import http.client
import socket
import subprocess
import sys
import time
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

MAX_PAGES = 20_000
# A body this small may go as it is when gzip is asked for: gzip's framing would make it bigger
# (robots.txt, 67 bytes, is one).
SMALLEST_COMPRESSED = 256
# Types of files that are zips already, so neither say a charset nor come in gzip: the Anki deck.
BINARY_DOWNLOADS = {"application/x-apkg"}


class Links(HTMLParser):
    """Collects link targets and whether the document has a non-empty <title>."""

    def __init__(self):
        super().__init__()
        self.targets = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.targets.append(attrs["href"])
        elif tag == "link" and attrs.get("href") and attrs.get("rel") in ("stylesheet", "icon"):
            self.targets.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.targets.append(attrs["src"])
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, path, method="GET", headers=None):
    """One request on its own connection: (status, headers as a lowercase dict, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, headers={"Accept-Encoding": "identity", **(headers or {})})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def is_binary(content_type):
    """Whether a type is a binary download: compressed already, and without a charset."""
    return content_type.split(";")[0].strip() in BINARY_DOWNLOADS


def http_problems(port, path, status, headers, body):
    """What is wrong with the HTTP side of one GET response, re-requesting as needed."""
    problems = []
    content_type = headers.get("content-type", "")
    if body and not is_binary(content_type) and "charset=utf-8" not in content_type:
        problems.append(f"Content-Type without charset ({content_type!r})")

    head_status, head_headers, head_body = request(port, path, method="HEAD")
    if head_body:
        problems.append(f"HEAD sent {len(head_body)} body bytes")
    for name in ("content-type", "content-length", "etag", "cache-control"):
        if head_headers.get(name) != headers.get(name) and head_status == status:
            problems.append(f"HEAD {name} {head_headers.get(name)!r} != GET {headers.get(name)!r}")
    if head_status != status:
        problems.append(f"HEAD status {head_status} != GET {status}")

    cacheable = status == 200 and "no-store" not in headers.get("cache-control", "")
    if not cacheable:
        return problems
    etag = headers.get("etag")
    if not etag:
        return problems + ["cacheable 200 without ETag"]
    again, again_headers, again_body = request(port, path, headers={"If-None-Match": etag})
    if again != 304 or again_body or again_headers.get("etag") != etag:
        problems.append(f"If-None-Match {etag} gave {again} with {len(again_body)} bytes")
    gz_status, gz_headers, _ = request(port, path, headers={"Accept-Encoding": "gzip"})
    if gz_headers.get("content-encoding") == "gzip":
        if "accept-encoding" not in gz_headers.get("vary", "").lower():
            problems.append("gzip response without Vary: Accept-Encoding")
        if gz_headers.get("etag") != etag[:-1] + '-gzip"':
            problems.append(f"gzip ETag {gz_headers.get('etag')!r} for identity {etag}")
    elif gz_status == 200 and len(body) >= SMALLEST_COMPRESSED and not is_binary(content_type):
        problems.append("gzip was asked for and not given")
    return problems


def wait_until_up(port, server, deadline_s=30):
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"smoke: the server exited early with status {server.returncode}")
        try:
            if request(port, "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit("smoke: the server did not answer /healthz in time")


def crawl(port):
    seen, queue, failures, pages = {"/"}, deque(["/"]), [], 0
    for extra in ("/sitemap.xml", "/robots.txt", "/opensearch.xml", "/readyz", "/no-such-page"):
        seen.add(extra)
        queue.append(extra)
    while queue and pages < MAX_PAGES:
        path = queue.popleft()
        pages += 1
        status, headers, body = request(port, path)
        content_type, location = headers.get("content-type", ""), headers.get("location")
        failures.extend(f"{problem}: {path}" for problem in http_problems(port, path, status, headers, body))
        targets = []
        if path == "/no-such-page":
            if status != 404:
                failures.append(f"{status} (expected 404) {path}")
            continue
        if not 200 <= status < 400:
            failures.append(f"{status} {path}")
            continue
        if 300 <= status < 400 and location:
            targets.append(location)
        if content_type.startswith("text/html"):
            parser = Links()
            parser.feed(body.decode("utf-8", errors="replace"))
            if not parser.title.strip():
                failures.append(f"no <title>: {path}")
            targets.extend(parser.targets)
        for target in targets:
            url = urldefrag(urljoin(f"http://127.0.0.1:{port}{path}", target)).url
            parts = urlsplit(url)
            if parts.netloc not in ("", f"127.0.0.1:{port}"):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local not in seen:
                seen.add(local)
                queue.append(local)
    return pages, failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--content", default="content")
    args = parser.parse_args()

    port = free_port()
    server = subprocess.Popen(
        [args.binary, "serve", "--content", args.content, "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(port, server)
        started = time.monotonic()
        pages, failures = crawl(port)
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=20)
    for failure in failures:
        print(f"smoke: {failure}", file=sys.stderr)
    print(f"smoke: crawled {pages} URLs in {elapsed:.1f}s, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
