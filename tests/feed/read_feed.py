#!/usr/bin/env python3
"""Reads an Atom feed from standard input with feedparser and prints what it understood as JSON:
whether the feed is well formed (bozo), its version, the feed's id, title, updated time and
links, and every entry's id, title, link, summary and updated time, as the parser saw them.
"""

import json
import sys

import feedparser


def links(item):
    """The (rel, type, href) of every link of a feed or an entry."""
    return [
        {"rel": link.get("rel"), "type": link.get("type"), "href": link.get("href")}
        for link in item.get("links", [])
    ]


def main():
    parsed = feedparser.parse(sys.stdin.buffer.read())
    feed = parsed.feed
    report = {
        "bozo": int(bool(parsed.bozo)),
        "bozo_exception": str(parsed.get("bozo_exception", "")),
        "version": parsed.version,
        "feed": {
            "id": feed.get("id"),
            "title": feed.get("title"),
            "subtitle": feed.get("subtitle"),
            "updated": feed.get("updated"),
            "author": feed.get("author"),
            "links": links(feed),
        },
        "entries": [
            {
                "id": entry.get("id"),
                "title": entry.get("title"),
                "title_type": entry.get("title_detail", {}).get("type"),
                "link": entry.get("link"),
                "summary": entry.get("summary"),
                "updated": entry.get("updated"),
                "links": links(entry),
            }
            for entry in parsed.entries
        ],
    }
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
