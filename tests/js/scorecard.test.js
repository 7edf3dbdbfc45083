// The scorecard link's fragment (static/scorecard.js), under Node's built-in test runner: every
// scorecard survives the round trip, any other string is either read as a well-formed scorecard
// of the interview or refused with a sentence (never a throw), and the longest notes still make
// a link of bounded size. Property tests draw from a seeded generator, so a failure repeats.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const Scorecard = require("../../static/scorecard.js");

/** mulberry32: a small seeded generator. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ["a", "Z", " ", "\n", "é", "ß", "中", "😀", "<b>", "&amp;", "#", "%", "\u0000", "'"];

function randomText(random, length) {
  let text = "";
  while (Array.from(text).length < length) {
    text += PIECES[Math.floor(random() * PIECES.length)];
  }
  return Array.from(text).slice(0, length).join("");
}

function subset(random, count) {
  return [...Array(count).keys()].filter(() => random() < 0.5);
}

/** An interview's shape and a scorecard of it, notes within the limit. */
function randomCase(random) {
  const n = 1 + Math.floor(random() * 20);
  const dimensions = Math.floor(random() * 7);
  const points = Array.from({ length: n }, () => 1 + Math.floor(random() * 6));
  const followUps = Array.from({ length: n }, () => Math.floor(random() * 7));
  let budget = Math.floor(random() * (Scorecard.NOTES_LIMIT + 1));
  const note = () => {
    const length = Math.min(budget, Math.floor(random() * 200));
    budget -= length;
    return randomText(random, length);
  };
  const code = randomText(random, 1 + Math.floor(random() * 30)).replace(/\W/g, "x") || "x";
  const card = {
    code,
    dimensions,
    questions: points.map((count, i) => ({
      points: subset(random, count),
      followUps: subset(random, followUps[i]),
      ratings: Array.from({ length: dimensions }, () => Math.floor(random() * 5)),
      note: note(),
    })),
    overall: note(),
  };
  return { card, expect: { code, dimensions, points, followUps } };
}

test("every scorecard comes back as it was made", () => {
  const random = generator(1);
  for (let run = 0; run < 3000; run++) {
    const { card, expect } = randomCase(random);
    const fragment = Scorecard.encode(card);
    assert.match(fragment, /^[A-Za-z0-9_-]+$/, "base64url, nothing to escape in a URL");
    const read = Scorecard.decode(fragment, expect);
    assert.equal(read.error, undefined, `run ${run}: ${read.error}`);
    assert.deepEqual(read.card, card, `run ${run}`);
  }
});

/** Whether a decoded card is one the interview could have: in range everywhere. */
function wellFormed(card, expect) {
  return card.questions.length === expect.points.length &&
    card.questions.every((q, i) =>
      q.points.every((p) => Number.isInteger(p) && p >= 0 && p < expect.points[i]) &&
      q.followUps.every((f) => Number.isInteger(f) && f >= 0 && f < expect.followUps[i]) &&
      q.ratings.length === expect.dimensions &&
      q.ratings.every((r) => Number.isInteger(r) && r >= 0 && r <= 4) &&
      typeof q.note === "string") &&
    typeof card.overall === "string";
}

test("any other string is read as a well-formed scorecard or refused in words", () => {
  const random = generator(2);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/%# ";
  for (let run = 0; run < 3000; run++) {
    const { card, expect } = randomCase(random);
    const fragment = Scorecard.encode(card);
    const candidates = [
      fragment.slice(0, Math.floor(random() * fragment.length)),
      fragment.slice(1),
      fragment + "A",
      [...fragment].map((c) => (random() < 0.05 ? alphabet[Math.floor(random() * alphabet.length)] : c)).join(""),
      Array.from({ length: Math.floor(random() * 60) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(""),
    ];
    for (const text of candidates) {
      const read = Scorecard.decode(text, expect);
      if (read.error !== undefined) {
        assert.equal(typeof read.error, "string");
        assert.ok(read.error.length > 20, read.error);
      } else {
        assert.ok(wellFormed(read.card, expect), `${text} read as ${JSON.stringify(read.card)}`);
      }
    }
  }
});

test("a scorecard opens only on its own interview, rubric and shape", () => {
  const card = {
    code: "AwHvvq3eBQMCAM0V",
    dimensions: 4,
    questions: [{ points: [0, 2], followUps: [1], ratings: [3, 2, 0, 4], note: "Good <b>start</b>" }],
    overall: "",
  };
  const fragment = Scorecard.encode(card);
  const expect = { code: card.code, dimensions: 4, points: [3], followUps: [2] };
  assert.deepEqual(Scorecard.decode(fragment, expect).card, card);
  assert.match(Scorecard.decode(fragment, { ...expect, code: "BAEEAwwDlgHrLA" }).error, /different interview/);
  assert.match(Scorecard.decode(fragment, { ...expect, dimensions: 3 }).error, /rubric of 4 dimensions/);
  assert.match(Scorecard.decode(fragment, { ...expect, points: [3, 3], followUps: [2, 2] }).error, /damaged/);
  assert.match(Scorecard.decode(fragment, { ...expect, points: [2] }).error, /damaged/, "a point beyond the question's");
  assert.match(Scorecard.decode("", expect).error, /holds no scorecard/);
  const future = Buffer.from(fragment, "base64url");
  future[0] = 2;
  // The checksum is the last four bytes; make it agree so the version is what is refused.
  let hash = 0x811c9dc5;
  for (const byte of future.subarray(0, future.length - 4)) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  future.writeUInt32BE(hash, future.length - 4);
  assert.match(Scorecard.decode(future.toString("base64url"), expect).error, /newer version/);
});

test("notes are bounded, so the link is too", () => {
  const questions = Array.from({ length: 20 }, () => ({
    points: [0, 1, 2, 3, 4, 5], followUps: [0, 1, 2, 3, 4, 5], ratings: [4, 4, 4, 4, 4, 4], note: "",
  }));
  const card = { code: "AwHvvq3eBQMCAM0V", dimensions: 6, questions, overall: "😀".repeat(Scorecard.NOTES_LIMIT) };
  const longest = Scorecard.encode(card);
  // 1,500 four-byte characters and 20 full questions: under 8,300 characters of fragment.
  assert.ok(longest.length < 8300, `${longest.length}`);
  card.overall += "x";
  assert.throws(() => Scorecard.encode(card), /over 1500 characters/);
});

test("the weak questions are the lowest rated, or the fewest points heard when unrated", () => {
  const q = (ratings, points = []) => ({ points, followUps: [], ratings, note: "" });
  const card = (questions) => ({ code: "x", dimensions: 2, questions, overall: "" });
  assert.deepEqual(Scorecard.weakest(card([q([3, 3]), q([1, 2]), q([4, 4])]), [3, 3, 3]), [2]);
  assert.deepEqual(Scorecard.weakest(card([q([2, 2]), q([0, 0]), q([1, 3])]), [3, 3, 3]), [1, 3], "unrated left out, ties kept");
  assert.deepEqual(Scorecard.weakest(card([q([0, 0], [0]), q([0, 0], [0, 1, 2])]), [3, 3]), [1]);
  assert.deepEqual(Scorecard.weakest(card([q([4, 4]), q([4, 4])]), [3, 3]), [], "nothing to practise");
  assert.deepEqual(Scorecard.weakest(card([q([0, 0])]), [0]), []);
});
