// What the offline worker and the pages agree on (static/keep.js), under Node's built-in test
// runner:
//
//   node --test tests/js/*.test.js
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const KEEP = require("../../static/keep.js");

/** An index shaped as /offline.json is: two categories, one question shared by a tag. */
const INDEX = {
  version: "0123456789abcdef",
  pages: [
    { url: "/", title: "Home", also: ["/cards/home.1.png"] },
    { url: "/about", title: "About", also: [] }
  ],
  tags: [{ url: "/tags/alpha", title: "alpha", also: [] }],
  categories: [
    {
      slug: "basics",
      url: "/categories/basics",
      title: "Basics",
      also: ["/categories/basics?difficulty=easy", "/cards/categories/basics.2.png"],
      questions: [
        { url: "/questions/1/one", title: "One", also: ["/questions/1/one?study=1", "/cards/questions/1.3.png"] },
        { url: "/questions/2/two", title: "Two", also: ["/questions/2/two?study=1"] }
      ]
    },
    {
      slug: "extras",
      url: "/categories/extras",
      title: "Extras",
      also: [],
      questions: [{ url: "/questions/10/ten", title: "Ten", also: [] }]
    }
  ]
};

test("a category keeps its page, its other forms and card, and each question with its own", () => {
  assert.deepEqual(KEEP.urlsOf(INDEX, "basics"), [
    "/categories/basics",
    "/categories/basics?difficulty=easy",
    "/cards/categories/basics.2.png",
    "/questions/1/one",
    "/questions/1/one?study=1",
    "/cards/questions/1.3.png",
    "/questions/2/two",
    "/questions/2/two?study=1"
  ]);
  assert.deepEqual(KEEP.urlsOf(INDEX, "extras"), ["/categories/extras", "/questions/10/ten"]);
});

test("everything keeps every page of the index, each once", () => {
  const all = KEEP.urlsOf(INDEX, KEEP.EVERYTHING);
  assert.equal(all.length, 14);
  assert.equal(new Set(all).size, all.length);
  for (const url of ["/", "/cards/home.1.png", "/about", "/tags/alpha", "/questions/10/ten"]) {
    assert.ok(all.includes(url), url);
  }
  const doubled = JSON.parse(JSON.stringify(INDEX));
  doubled.tags.push({ url: "/questions/1/one", title: "again", also: ["/about"] });
  assert.equal(KEEP.urlsOf(doubled, KEEP.EVERYTHING).length, 14);
});

test("an unknown set or a damaged index keeps nothing, and no URL leaves the site", () => {
  assert.equal(KEEP.urlsOf(INDEX, "no-such-category"), null);
  assert.equal(KEEP.urlsOf(null, "basics"), null);
  assert.equal(KEEP.urlsOf("junk", KEEP.EVERYTHING), null);
  assert.deepEqual(KEEP.urlsOf({ categories: "junk" }, KEEP.EVERYTHING), []);
  const hostile = {
    pages: [
      { url: "https://elsewhere.example/page", also: ["//elsewhere.example/x", "/fine", 7] },
      { title: "no url" }
    ]
  };
  assert.deepEqual(KEEP.urlsOf(hostile, KEEP.EVERYTHING), ["/fine"]);
  hostile.pages.push({ url: "/ok", also: ["//elsewhere.example/x", "/fine", 7, null] });
  assert.deepEqual(KEEP.urlsOf(hostile, KEEP.EVERYTHING), ["/fine", "/ok"]);
});

/** A response as fetch gives it. */
function response(status, type, control, redirected) {
  return {
    status: status,
    type: type,
    redirected: Boolean(redirected),
    headers: new Headers(control === undefined ? {} : { "Cache-Control": control })
  };
}

test("only whole same-origin answers not marked no-store are kept", () => {
  assert.equal(KEEP.mayKeep(response(200, "basic", "public, max-age=300, stale-while-revalidate=86400")), true);
  assert.equal(KEEP.mayKeep(response(200, "basic", "public, max-age=31536000, immutable")), true);
  assert.equal(KEEP.mayKeep(response(200, "basic")), true);
  assert.equal(KEEP.mayKeep(response(200, "basic", "no-cache")), true);
  assert.equal(KEEP.mayKeep(response(200, "basic", "no-store")), false);
  assert.equal(KEEP.mayKeep(response(200, "basic", "private, No-Store")), false);
  assert.equal(KEEP.mayKeep(response(200, "basic", "no-store-please")), true);
  assert.equal(KEEP.mayKeep(response(404, "basic", "public, max-age=300")), false);
  assert.equal(KEEP.mayKeep(response(400, "basic", "no-store")), false);
  assert.equal(KEEP.mayKeep(response(500, "basic")), false);
  assert.equal(KEEP.mayKeep(response(206, "basic")), false);
  assert.equal(KEEP.mayKeep(response(200, "basic", "public", true)), false, "a redirect's end");
  assert.equal(KEEP.mayKeep(response(0, "opaqueredirect")), false);
  assert.equal(KEEP.mayKeep(response(200, "cors")), false, "another origin's");
  assert.equal(KEEP.mayKeep(response(0, "opaque")), false, "another origin's, unread");
  assert.equal(KEEP.mayKeep(null), false);
  // A real Response, as the worker sees one it made itself, is not the network's.
  assert.equal(KEEP.mayKeep(new Response("made here")), false);
});

test("sizes read as people read them", () => {
  assert.equal(KEEP.sizeText(0), "0 bytes");
  assert.equal(KEEP.sizeText(1), "1 byte");
  assert.equal(KEEP.sizeText(1023), "1023 bytes");
  assert.equal(KEEP.sizeText(1536), "1.5 KB");
  assert.equal(KEEP.sizeText(200 * 1024), "200 KB");
  assert.equal(KEEP.sizeText(2.5 * 1024 * 1024), "2.5 MB");
  assert.equal(KEEP.sizeText(-5), "0 bytes");
  assert.equal(KEEP.sizeText("junk"), "0 bytes");
});

test("a failure says what the person can do about it", () => {
  const quota = new Error("quota");
  quota.name = "QuotaExceededError";
  assert.equal(KEEP.failureText(quota), "this device has no room left for it");
  assert.equal(KEEP.failureText(new TypeError("Failed to fetch")), "the connection was lost");
  assert.equal(KEEP.failureText(new Error("the index answered 503")), "the index answered 503");
  assert.equal(KEEP.failureText(undefined), "something went wrong");
});

test("offline, a short link finds its question and a random one picks among the category's", () => {
  assert.deepEqual(KEEP.redirectsOf(INDEX, "/questions/1", ""), ["/questions/1/one"]);
  assert.deepEqual(KEEP.redirectsOf(INDEX, "/questions/1/old-slug", ""), ["/questions/1/one"]);
  // The canonical page itself is no redirect, and /questions/1 is not /questions/10.
  assert.equal(KEEP.redirectsOf(INDEX, "/questions/1/one", ""), null);
  assert.deepEqual(KEEP.redirectsOf(INDEX, "/questions/10", ""), ["/questions/10/ten"]);
  assert.equal(KEEP.redirectsOf(INDEX, "/questions/99", ""), null);
  assert.equal(KEEP.redirectsOf(INDEX, "/questions/x", ""), null);
  assert.deepEqual(KEEP.redirectsOf(INDEX, "/random", ""), ["/questions/1/one", "/questions/2/two", "/questions/10/ten"]);
  assert.deepEqual(KEEP.redirectsOf(INDEX, "/random", "?category=extras&difficulty=easy"), ["/questions/10/ten"]);
  assert.deepEqual(KEEP.redirectsOf(INDEX, "/random", "?category=none"), []);
  assert.equal(KEEP.redirectsOf(INDEX, "/about", ""), null);
  assert.equal(KEEP.redirectsOf(null, "/random", ""), null);
});

/** Cache Storage holding `body` (a Response's text) at the kept list's entry, or nothing. */
function storageWith(body) {
  return {
    open: (name) => Promise.resolve({
      match: (url) => Promise.resolve(name === KEEP.LIST_CACHE && url === KEEP.LIST_URL && body !== undefined
        ? new Response(body) : undefined)
    })
  };
}

test("the kept list reads as the worker wrote it, and as empty when missing or damaged", async () => {
  const list = { basics: { pages: 8, bytes: 1024, at: 1, version: "v" } };
  assert.deepEqual(await KEEP.keptList(storageWith(JSON.stringify(list))), list);
  assert.deepEqual(await KEEP.keptList(storageWith(undefined)), {});
  assert.deepEqual(await KEEP.keptList(storageWith("not json")), {});
  assert.deepEqual(await KEEP.keptList(storageWith("null")), {});
  assert.deepEqual(await KEEP.keptList({ open: () => Promise.reject(new Error("disabled")) }), {});
});
