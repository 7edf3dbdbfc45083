#!/usr/bin/env python3
"""Screenshots of the main pages at phone and desktop widths, in light and dark mode, taken in
headless Chromium through chromedriver's WebDriver API. docs/question-page.png, the picture in
the README, is one of them.

    scripts/screenshots.py [--out DIR] [--binary target/release/drillbook]

Starts the binary on a free loopback port with the bundled content, so build it first
(`cargo build --release`). Installs chromium and chromium-driver (Debian) if missing.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

from drillbook_scripts import (
    Drillbook,
    ensure_commands,
    free_port,
    mock_form,
    start_interview,
    wait_until_answers,
)

# An answer typed into the box, the answer revealed and two key points ticked, scrolled to
# where the two sit side by side.
ANSWERED = (
    "var box = document.querySelector('[data-answer-text]');"
    "box.value = 'A metaclass is the class of a class. type is the default; a metaclass "
    "customises class creation through __new__ or __init__, and __init_subclass__ is "
    "usually simpler.';"
    "box.dispatchEvent(new Event('input')); box.dispatchEvent(new Event('blur'));"
    "document.querySelector('details.answer').open = true;"
    "var points = document.querySelectorAll('[data-answer-check] input[name=point]');"
    "points[0].click(); points[1].click();"
    "document.querySelector('.compare').scrollIntoView()"
)

# An interviewer who ticked two points and a follow-up, rated the answer and wrote a note.
INTERVIEWED = (
    "var boxes = document.querySelectorAll('input[name=point]'); boxes[0].click(); boxes[2].click();"
    "var asked = document.querySelector('input[name=follow-up]'); if (asked) asked.click();"
    "document.querySelectorAll('fieldset.rating').forEach(function (f, i) {"
    "  f.querySelectorAll('input')[(i + 2) % 4].click(); });"
    "var note = document.querySelector('[data-interviewer-note]');"
    "note.value = 'Clear start; say when you would not use one.';"
    "note.dispatchEvent(new Event('input'));"
    "document.querySelector('[data-timer-toggle]').click()"
)
MAKE_SCORECARD = "document.querySelector('[data-make-scorecard]').click()"

# (file name, path, script run before the shot, widths)
PAGES = [
    ("home", "/", None),
    ("category", "/categories/python-basics", None),
    ("category-grouped", "/categories/miscellaneous", None),
    ("question", "/questions/12", "document.querySelector('details.answer').open = true"),
    ("question-answered", "/questions/12", ANSWERED),
    (
        "question-recording",
        "/questions/12",
        "document.querySelector('button[data-record]').click();"
        "document.querySelector('.your-answer').scrollIntoView()",
    ),
    (
        "question-follow-ups",
        "/questions/78",
        "document.querySelector('details.answer').open = true;"
        "document.querySelectorAll('details.follow-up')[1].open = true;"
        "document.getElementById('follow-ups').scrollIntoView()",
    ),
    ("search", "/search?q=decorater", None),
    ("mock-setup", "/mock", None),
    ("error-404", "/questions/9999", None),
]
WIDTHS = [(360, 800), (1280, 900)]


def new_interview(port):
    """The path of page 1 of a fresh interview, from the setup form's defaults."""
    fields, _ = mock_form(port)
    code, _ = start_interview(port, fields)
    return f"/mock/{code}/1"


class WebDriver:
    """Just enough of the W3C WebDriver protocol: a session, navigation, a script, a picture."""

    def __init__(self, base, width, height, dark):
        self.base = base
        args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            # Chromium's test tone as the microphone, granted without a prompt.
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--window-size={width},{height}",
            f"--user-data-dir={tempfile.mkdtemp()}",
        ]
        if dark:
            args.append("--force-dark-mode")
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": shutil.which("chromium"),
                        "args": args,
                        # A window cannot be narrower than 500 px; an emulated device can.
                        "mobileEmulation": {
                            "deviceMetrics": {"width": width, "height": height, "pixelRatio": 1}
                        },
                    },
                }
            }
        }
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)["value"]

    def shot(self, url, script, path):
        self.call("POST", f"/session/{self.session}/url", {"url": url})
        if script:
            # A moment after the script, for what it set off (a <details> toggling, a recording
            # starting) to be drawn. A script that sets `window.shotNext` to a URL has the shot
            # taken there instead (a link the page made).
            done = "var done = arguments[arguments.length - 1];"
            then = "setTimeout(function () { done(window.shotNext || null); }, 1300)"
            following = self.call(
                "POST",
                f"/session/{self.session}/execute/async",
                {"script": f"{done} {script}; {then}", "args": []},
            )
            if following:
                self.call("POST", f"/session/{self.session}/url", {"url": following})
                time.sleep(1)
        png = self.call("GET", f"/session/{self.session}/screenshot")
        with open(path, "wb") as f:
            f.write(base64.b64decode(png))

    def close(self):
        self.call("DELETE", f"/session/{self.session}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/drillbook-screenshots")
    parser.add_argument("--binary", default="target/release/drillbook")
    args = parser.parse_args()
    ensure_commands({"chromium": "chromium", "chromedriver": "chromium-driver"})
    os.makedirs(args.out, exist_ok=True)

    site_port, driver_port = free_port(), free_port()
    site = f"http://127.0.0.1:{site_port}"
    server = Drillbook(args.binary, port=site_port, base_url=site)
    driver = subprocess.Popen(
        ["chromedriver", f"--port={driver_port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        server.start(timeout_s=30)
        wait_until_answers(driver, driver_port, "/status", "chromedriver", 30)
        first = new_interview(site_port)
        pages = PAGES + [
            ("mock-question", first, None),
            ("mock-question-answered", first, ANSWERED),
            ("mock-results", first.rsplit("/", 1)[0] + "/results", None),
            (
                "mock-results-answers",
                first.rsplit("/", 1)[0] + "/results",
                "document.getElementById('answers-title').scrollIntoView()",
            ),
            ("pair-invite", first.rsplit("/", 1)[0] + "/invite", None),
            ("interviewer-brief", first.rsplit("/", 1)[0] + "/interviewer", None),
            ("interviewer-question", first.rsplit("/", 1)[0] + "/interviewer/1", INTERVIEWED),
            (
                "interviewer-finish",
                first.rsplit("/", 1)[0] + "/interviewer/scorecard",
                MAKE_SCORECARD,
            ),
            (
                "scorecard",
                first.rsplit("/", 1)[0] + "/interviewer/scorecard",
                MAKE_SCORECARD
                + "; window.shotNext = document.querySelector('[data-scorecard-link]').href",
            ),
        ]
        for width, height in WIDTHS:
            for dark in (False, True):
                browser = WebDriver(f"http://127.0.0.1:{driver_port}", width, height, dark)
                try:
                    for name, path, script in pages:
                        out = os.path.join(args.out, f"{name}-{width}{'-dark' if dark else ''}.png")
                        browser.shot(site + path, script, out)
                        print(out)
                finally:
                    browser.close()
    finally:
        server.stop()
        driver.terminate()
        driver.wait(timeout=30)


if __name__ == "__main__":
    main()
