#!/usr/bin/env python3
"""Smoke test: start a drillbook binary on a free loopback port and crawl the site.

Follows every internal link, stylesheet, script and icon reachable from `/` and fails if any
answers other than 2xx/3xx, or if an HTML page has no <title>. Every URL is also checked for
HTTP correctness: a text body says its charset; HEAD answers like GET with no body; a cacheable
200 has an ETag, a 304 for `If-None-Match` with it, and a gzip variant with its own tag and
`Vary: Accept-Encoding` (binary downloads, the Anki deck, a zip, have no charset and are not
compressed again). Standard library only.

Besides the links, the crawl starts from every <loc> of /sitemap.xml, each category page with
each difficulty filter and in study mode, the decks, /random, /mock, the pages of fixed mock
interviews (their codes built here, as src/mock/code.rs lays them out, so they are the same on
every run) and a URL that does not exist (which must answer 404).

With --save DIR, every URL's GET response is also written to a file of its own in DIR, named by
the URL's path and query percent-encoded: the status line, the headers sorted by name (without
Date, and without /random's Location, the one random thing the site sends), a blank line, and
the body's bytes as sent. The server gets a fixed --base-url, so two runs of the same binary
write the same files: `diff -r` between the directories of two binaries shows every byte the
site serves differently.

    python3 scripts/smoke_crawl.py target/release/drillbook [--content DIR] [--save DIR]
"""

import argparse
import hashlib
import os
import shutil
import struct
import sys
import time
from base64 import urlsafe_b64encode
from collections import deque
from html.parser import HTMLParser
from urllib.parse import quote, urldefrag, urljoin, urlsplit

from drillbook_scripts import Drillbook, request, sitemap_paths

MAX_PAGES = 20_000
# A body this small may go as it is when gzip is asked for: gzip's framing would make it bigger
# (robots.txt, 67 bytes, is one).
SMALLEST_COMPRESSED = 256
# Types of files that are compressed already, so neither say a charset nor come in gzip: the Anki
# deck and the link-preview cards.
BINARY_DOWNLOADS = {"application/x-apkg", "image/png"}
# The server's public address: fixed, so that pages naming it (canonical links, the sitemap) are
# the same on every run. Links to it are links to the server crawled.
BASE_URL = "https://drillbook.example.org"
# Paths whose responses are random by design: a redirect to a question drawn at random (with or
# without a category and difficulty in the query). Its Location is neither saved nor followed.
RANDOM_REDIRECTS = {"/random"}
# Headers left out of saved responses: they differ from one run to the next.
UNSAVED_HEADERS = {"date"}
# Longest saved file name, below the usual limit of 255 bytes.
MAX_NAME = 240
NOT_FOUND = "/no-such-page"
SEEDS = [
    "/",
    "/sitemap.xml",
    "/robots.txt",
    "/opensearch.xml",
    "/feed.xml",
    "/readyz",
    "/healthz",
    "/random",
    "/mock",
    "/about",
    "/saved",
    "/review",
    "/stats",
    "/export/drillbook.apkg",
    "/export/drillbook.csv",
    NOT_FOUND,
]
DIFFICULTIES = ("easy", "medium", "hard")
# Pages of one interview, after its code: /mock/<code>/...
INTERVIEW_PAGES = (
    "1",
    "2",
    "results",
    "retry?q=2&q=4",
    "invite",
    "interviewer",
    "interviewer/1",
    "interviewer/scorecard",
    "scorecard",
)


class Links(HTMLParser):
    """Collects link targets (the link-preview card among them) and whether the document has a
    non-empty <title>."""

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
        elif tag == "meta" and attrs.get("property") == "og:image" and attrs.get("content"):
            self.targets.append(attrs["content"])
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def get(port, path, method="GET", headers=None):
    """One request: (status, headers as a lowercase dict, body)."""
    response = request(port, path, method, headers)
    return response.status, {k.lower(): v for k, v in response.headers}, response.body


def is_binary(content_type):
    """Whether a type is a binary download: compressed already, and without a charset."""
    return content_type.split(";")[0].strip() in BINARY_DOWNLOADS


def http_problems(port, path, status, headers, body):
    """What is wrong with the HTTP side of one GET response, re-requesting as needed."""
    problems = []
    content_type = headers.get("content-type", "")
    if body and not is_binary(content_type) and "charset=utf-8" not in content_type:
        problems.append(f"Content-Type without charset ({content_type!r})")

    head_status, head_headers, head_body = get(port, path, method="HEAD")
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
    again, again_headers, again_body = get(port, path, headers={"If-None-Match": etag})
    if again != 304 or again_body or again_headers.get("etag") != etag:
        problems.append(f"If-None-Match {etag} gave {again} with {len(again_body)} bytes")
    gz_status, gz_headers, _ = get(port, path, headers={"Accept-Encoding": "gzip"})
    if gz_headers.get("content-encoding") == "gzip":
        if "accept-encoding" not in gz_headers.get("vary", "").lower():
            problems.append("gzip response without Vary: Accept-Encoding")
        if gz_headers.get("etag") != etag[:-1] + '-gzip"':
            problems.append(f"gzip ETag {gz_headers.get('etag')!r} for identity {etag}")
    elif gz_status == 200 and len(body) >= SMALLEST_COMPRESSED and not is_binary(content_type):
        problems.append("gzip was asked for and not given")
    return problems


def fnv1a(data):
    """The 32-bit FNV-1a hash, as interview codes are checked."""
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def interview_code(version, body):
    """An interview code: the version byte and body, the check, in URL-safe base64."""
    data = bytes([version]) + body
    data += struct.pack("<H", fnv1a(data) & 0xFFFF)
    return urlsafe_b64encode(data).rstrip(b"=").decode()


def interview_codes():
    """Two fixed interviews of five questions, three minutes each, from every category: one
    drawn with seed 7 (format 1), the same blind (format 3, flags 1)."""
    draw = struct.pack("<IBBBB", 7, 5, 3, 0, 0)
    return [interview_code(1, draw), interview_code(3, bytes([1]) + draw)]


def seeds(port):
    """Where the crawl starts: SEEDS, every page of the sitemap, each category page with each
    difficulty and in study mode, and the pages of the fixed interviews."""
    paths = list(SEEDS) + sitemap_paths(port)
    for path in [p for p in paths if p.startswith("/categories/")]:
        paths += [f"{path}?difficulty={d}" for d in DIFFICULTIES]
        paths += [f"{path}?study=1"] + [f"{path}?study=1&difficulty={d}" for d in DIFFICULTIES]
    for code in interview_codes():
        paths += [f"/mock/{code}/{page}" for page in INTERVIEW_PAGES]
    return list(dict.fromkeys(paths))


def local_path(url, port):
    """The path and query of a URL on the crawled server, or None for another site."""
    parts = urlsplit(url)
    if (
        parts.netloc not in ("", f"127.0.0.1:{port}")
        and f"{parts.scheme}://{parts.netloc}" != BASE_URL
    ):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def links(port, path, status, headers, body, failures):
    """The URLs a response leads to: its redirect, and the links of an HTML page."""
    targets = []
    if 300 <= status < 400 and headers.get("location") and not is_random(path):
        targets.append(headers["location"])
    if headers.get("content-type", "").startswith("text/html"):
        parser = Links()
        parser.feed(body.decode("utf-8", errors="replace"))
        if not parser.title.strip():
            failures.append(f"no <title>: {path}")
        targets.extend(parser.targets)
    base = f"{BASE_URL}{path}"
    return [local_path(urldefrag(urljoin(base, target)).url, port) for target in targets]


def crawl(port, save=None):
    """Every URL reachable from the seeds, checked (see http_problems), each GET response saved
    in `save` when given. Returns the number of URLs and the failures."""
    queue = deque(seeds(port))
    seen, failures, pages = set(queue), [], 0
    while queue and pages < MAX_PAGES:
        path = queue.popleft()
        pages += 1
        response = request(port, path)
        status, body = response.status, response.body
        headers = {k.lower(): v for k, v in response.headers}
        if save:
            save_response(save, path, response)
        failures.extend(
            f"{problem}: {path}" for problem in http_problems(port, path, status, headers, body)
        )
        if path == NOT_FOUND:
            if status != 404:
                failures.append(f"{status} (expected 404) {path}")
            continue
        if not 200 <= status < 400:
            failures.append(f"{status} {path}")
            continue
        for local in links(port, path, status, headers, body, failures):
            if local is not None and local not in seen:
                seen.add(local)
                queue.append(local)
    return pages, failures


def saved_name(path):
    """A file name for a URL's path and query: percent-encoded, so it is safe and unique; one
    too long for the file system keeps its start and gets a hash of the whole in place of the
    rest."""
    name = quote(path, safe="")
    if len(name) <= MAX_NAME:
        return name
    return f"{name[: MAX_NAME - 17]}-{hashlib.sha256(name.encode()).hexdigest()[:16]}"


def is_random(path):
    return urlsplit(path).path in RANDOM_REDIRECTS


def saved_headers(path, response):
    """The response's headers to save, as `name: value` lines sorted by name (headers of one
    name in the order sent), without those that differ from one run to the next."""
    kept = [
        (name.lower(), value)
        for name, value in response.headers
        if name.lower() not in UNSAVED_HEADERS
        and not (name.lower() == "location" and is_random(path))
    ]
    return [f"{name}: {value}" for name, value in sorted(kept, key=lambda pair: pair[0])]


def save_response(directory, path, response):
    """The response as a file: status line, headers, a blank line, the body as sent."""
    lines = [f"HTTP/1.1 {response.status} {response.reason}", *saved_headers(path, response)]
    with open(os.path.join(directory, saved_name(path)), "wb") as f:
        f.write(("\n".join(lines) + "\n\n").encode("latin-1") + response.body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--content", default="content")
    parser.add_argument(
        "--save",
        metavar="DIR",
        help="write every GET response into DIR, one file per URL (DIR is emptied first)",
    )
    args = parser.parse_args()
    if args.save:
        shutil.rmtree(args.save, ignore_errors=True)
        os.makedirs(args.save)

    server = Drillbook(args.binary, os.path.abspath(args.content), base_url=BASE_URL)
    server.start(timeout_s=30)
    try:
        started = time.monotonic()
        pages, failures = crawl(server.port, args.save)
        elapsed = time.monotonic() - started
    finally:
        server.stop()
    for failure in failures:
        print(f"smoke: {failure}", file=sys.stderr)
    saved = f", saved in {args.save}" if args.save else ""
    print(f"smoke: crawled {pages} URLs in {elapsed:.1f}s{saved}, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
