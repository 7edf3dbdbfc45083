// Link previews as a real client makes them: open-graph-scraper, the scraper many chat and
// bookmarking tools use, reads each kind of page from the release binary on loopback, and the
// image it names is fetched and decoded as a PNG (pngjs) of 1200 x 630 pixels.
//
//   DRILLBOOK_BIN=target/release/drillbook node --test tests/js/link-preview.test.js
//
// scripts/test sets DRILLBOOK_BIN; without it the release binary of this checkout is used.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { spawn } = require("node:child_process");
const net = require("node:net");
const path = require("node:path");
const fs = require("node:fs");
const { PNG } = require("pngjs");

const ROOT = path.join(__dirname, "..", "..");
const BIN = process.env.DRILLBOOK_BIN || path.join(ROOT, "target", "release", "drillbook");

/** A port nothing listens on now, on loopback. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts the binary on the shipped content; resolves once it answers /healthz. */
async function startServer() {
  assert.ok(fs.existsSync(BIN), `no binary at ${BIN}: build it with cargo build --release`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(
    BIN,
    ["serve", "--content", path.join(ROOT, "content"), "--bind", `127.0.0.1:${port}`, "--base-url", base],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk) => { stderr += chunk; });
  for (let tries = 0; tries < 300; tries++) {
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return { base, child };
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`the server did not start: ${stderr}`);
}

/** The first interview's question page and results page, by posting the setup form. */
async function startInterview(base) {
  const res = await fetch(`${base}/mock`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "count=3&minutes=4&category=security&category=testing-and-debugging",
    redirect: "manual",
  });
  assert.equal(res.status, 303);
  const first = new URL(res.headers.get("location"), base).pathname;
  return { first, results: first.replace(/\/1$/, "/results") };
}

/** The text of the page's first h1, tags removed. */
async function heading(url) {
  const html = await (await fetch(url)).text();
  const match = html.match(/<h1[^>]*>([\s\S]*?)<\/h1>/);
  return match ? match[1].replace(/<[^>]+>/g, "").trim() : "";
}

test("open-graph-scraper reads every kind of page and its card decodes", async (t) => {
  const { default: ogs } = await import("open-graph-scraper");
  const { base, child } = await startServer();
  t.after(() => child.kill());
  const interview = await startInterview(base);
  const pages = {
    home: "/",
    category: "/categories/security",
    // The longest title of the shipped bank.
    question: "/questions/144",
    "mock question": interview.first,
    "mock results": interview.results,
    about: "/about",
    search: "/search?q=decorator",
    tag: "/tags/asyncio",
  };
  const cards = new Map();
  for (const [kind, page] of Object.entries(pages)) {
    const url = `${base}${page}`;
    const { error, result } = await ogs({ url });
    assert.equal(error, false, `${kind}: ${JSON.stringify(result)}`);
    assert.ok(result.ogTitle && result.ogTitle.length > 0, `${kind}: no og:title`);
    assert.ok(result.ogDescription && result.ogDescription.length > 20, `${kind}: no og:description`);
    assert.ok(result.ogUrl.startsWith(`${base}/`), `${kind}: og:url ${result.ogUrl}`);
    assert.equal(result.twitterCard, "summary_large_image", kind);
    assert.equal(result.ogImage.length, 1, kind);
    const [image] = result.ogImage;
    assert.ok(image.url.startsWith(`${base}/`), `${kind}: og:image ${image.url} is not absolute`);
    assert.equal(String(image.width), "1200", kind);
    assert.equal(String(image.height), "630", kind);
    assert.ok(image.alt && image.alt.length > 10, `${kind}: no og:image:alt`);

    const res = await fetch(image.url);
    assert.equal(res.status, 200, `${kind}: ${image.url}`);
    assert.equal(res.headers.get("content-type"), "image/png", kind);
    assert.match(res.headers.get("cache-control"), /immutable/, kind);
    assert.ok(res.headers.get("etag"), kind);
    const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
    assert.equal(png.width, 1200, kind);
    assert.equal(png.height, 630, kind);
    assert.equal(png.data.length, 1200 * 630 * 4, kind);
    cards.set(kind, { url: image.url, alt: image.alt, png });
  }

  // Each page kind with a card of its own shows it; the others show the home page's.
  assert.match(cards.get("question").url, /\/cards\/questions\/144\.[0-9a-f]{16}\.png$/);
  assert.match(cards.get("category").url, /\/cards\/categories\/security\.[0-9a-f]{16}\.png$/);
  assert.match(cards.get("home").url, /\/cards\/home\.[0-9a-f]{16}\.png$/);
  assert.match(cards.get("mock question").url, /\/mock\/[^/]+\/card\.[0-9a-f]{16}\.png$/);
  assert.equal(cards.get("mock results").url, cards.get("mock question").url);
  for (const kind of ["about", "search", "tag"]) {
    assert.equal(cards.get(kind).url, cards.get("home").url, kind);
  }
  assert.match(cards.get("question").alt, /dates and times in Python/);

  // A mock interview's card says how many questions and minutes, never which questions.
  const mockAlt = cards.get("mock question").alt;
  assert.match(mockAlt, /3 questions, 4 minutes each/);
  assert.match(mockAlt, /Security/);
  for (let n = 1; n <= 3; n++) {
    const title = await heading(`${base}${interview.first.replace(/\/1$/, `/${n}`)}`);
    assert.ok(title.length > 5, `no heading on question ${n}`);
    assert.ok(!mockAlt.includes(title), `the card names question ${n}: ${title}`);
  }

  // The cards differ as pictures, not only by URL.
  const pixels = (kind) => cards.get(kind).png.data;
  assert.notDeepEqual(pixels("question"), pixels("category"));
  assert.notDeepEqual(pixels("home"), pixels("mock question"));
});
