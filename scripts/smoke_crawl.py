#!/usr/bin/env python3
"""Smoke test: start a drillbook binary on a free loopback port and crawl the site.

Follows every internal link, stylesheet, script and icon reachable from `/` and fails if any
answers other than 2xx/3xx, or if an HTML page has no <title>. Standard library only.

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


def fetch(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "identity"})
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.getheader("Location"), response.read()
    finally:
        conn.close()


def wait_until_up(port, server, deadline_s=30):
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"smoke: the server exited early with status {server.returncode}")
        try:
            if fetch(port, "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit("smoke: the server did not answer /healthz in time")


def crawl(port):
    seen, queue, failures, pages = {"/"}, deque(["/"]), [], 0
    while queue and pages < MAX_PAGES:
        path = queue.popleft()
        pages += 1
        status, content_type, location, body = fetch(port, path)
        targets = []
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
