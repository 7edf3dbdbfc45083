// The parts of the answer-first loop (static/answer.js) that need no browser, under Node's
// built-in test runner: the grade the ticks suggest, what a stored attempt may hold, and which
// recordings go when they outgrow the budget. The browser tests drive the rest.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const Answers = require("../../static/answer.js");

test("ticks suggest solid for every key point, partial for half or more, missed below", () => {
  const cases = [
    // [ticked, total, suggested]
    [0, 3, "missed"], [1, 3, "missed"], [2, 3, "partial"], [3, 3, "solid"],
    [0, 4, "missed"], [1, 4, "missed"], [2, 4, "partial"], [3, 4, "partial"], [4, 4, "solid"],
    [2, 5, "missed"], [3, 5, "partial"], [5, 5, "solid"],
    [3, 6, "partial"], [5, 6, "partial"], [6, 6, "solid"],
  ];
  for (const [ticked, total, expected] of cases) {
    assert.equal(Answers.suggest(ticked, total), expected, `${ticked} of ${total}`);
  }
  assert.equal(Answers.suggest(0, 0), null, "nothing to tick suggests nothing");
});

const attempt = (fields) => Object.assign(
  { id: "12-lx3k9-a1", started: 1764600000000, text: "An answer.", points: [0, 2] },
  fields
);

test("a stored question keeps at most three well-formed attempts", () => {
  assert.ok(Answers.validEntry({ attempts: [] }));
  assert.ok(Answers.validEntry({ attempts: [attempt({}), attempt({ grade: "Good", done: true })] }));
  assert.ok(Answers.validEntry({
    attempts: [attempt({ mock: "AwHvvq3eBQMCAM0V/2", grade: "partial",
      audio: { type: "audio/webm;codecs=opus", ms: 2100, bytes: 9000 } })]
  }));
  assert.ok(Answers.validEntry({ attempts: [attempt({ audio: { type: "", ms: 0, bytes: 0, dropped: true } })] }));
  assert.equal(Answers.ATTEMPTS_KEPT, 3);
  assert.ok(!Answers.validEntry({ attempts: [attempt({}), attempt({}), attempt({}), attempt({})] }));
  const bad = [
    attempt({ id: "<script>" }),
    attempt({ id: "" }),
    attempt({ started: "yesterday" }),
    attempt({ text: 42 }),
    attempt({ text: "x".repeat(20001) }),
    attempt({ points: [0.5] }),
    attempt({ points: [-1] }),
    attempt({ points: "0,1" }),
    attempt({ grade: "Perfect" }),
    attempt({ mock: "no slash" }),
    attempt({ done: "yes" }),
    attempt({ audio: { type: "audio/webm", ms: "long", bytes: 1 } }),
    attempt({ audio: null }),
    null,
  ];
  for (const a of bad) {
    assert.ok(!Answers.validEntry({ attempts: [a] }), JSON.stringify(a));
  }
  assert.ok(!Answers.validEntry({ attempts: "none" }));
});

test("recordings over the budget go oldest first, and the newest always stays", () => {
  const MB = 1000 * 1000;
  const records = [
    { id: "c", bytes: 40 * MB, at: 3 },
    { id: "a", bytes: 30 * MB, at: 1 },
    { id: "d", bytes: 20 * MB, at: 4 },
    { id: "b", bytes: 30 * MB, at: 2 },
  ];
  assert.deepEqual(Answers.recordingsToDrop(records, 100 * MB), ["a"], "120 MB: drop 30 MB, oldest");
  assert.deepEqual(Answers.recordingsToDrop(records, 50 * MB), ["a", "b", "c"]);
  assert.deepEqual(Answers.recordingsToDrop(records, 120 * MB), [], "exactly at the budget");
  assert.deepEqual(Answers.recordingsToDrop([{ id: "big", bytes: 200 * MB, at: 1 }], 100 * MB), [],
    "a single recording is never dropped for its own size");
  assert.deepEqual(Answers.recordingsToDrop([], 100 * MB), []);
  assert.equal(Answers.RECORDINGS_BUDGET, 100 * MB);
});

test("sizes read as people write them", () => {
  assert.equal(Answers.sizeText(0), "0 bytes");
  assert.equal(Answers.sizeText(999), "999 bytes");
  assert.equal(Answers.sizeText(4200), "4 KB");
  assert.equal(Answers.sizeText(1234567), "1.2 MB");
  assert.equal(Answers.sizeText(100 * 1000 * 1000), "100 MB");
});
