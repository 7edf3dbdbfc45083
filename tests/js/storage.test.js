// Keeping what people build here (static/storage.js): when to ask for persistence, when the
// backup reminder shows, how a note two tabs changed is merged, what a failed write says.
// Under Node's built-in test runner:
//
//   node --test tests/js/*.test.js
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fc = require("fast-check");
const STORAGE = require("../../static/storage.js");

const DAY = STORAGE.DAY_MS;
const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);

/** A backup record as readBackup gives it, with `fields` set. */
function backup(fields) {
  return STORAGE.readBackup(fields || null);
}

/** The reminder for `changes` questions changed, with the browser's `persisted` and `record`. */
function remind(changes, persisted, record, now) {
  return STORAGE.nudge({ persisted, changes, backup: record, now: now === undefined ? NOW : now });
}

test("a reminder needs real progress to lose", () => {
  assert.equal(remind(0, false, backup()), null);
  assert.equal(remind(STORAGE.MIN_CHANGES - 1, false, backup()), null);
  const shown = remind(STORAGE.MIN_CHANGES, false, backup());
  assert.deepEqual(shown, { reason: "unprotected", days: null, changes: 5, start: true });
});

test("without persistence a week-old copy is old; with it, a month-old one", () => {
  const weekOld = backup({ at: NOW - STORAGE.BACKUP_DAYS_UNPROTECTED * DAY, how: "file" });
  const lessThanWeek = backup({ at: NOW - STORAGE.BACKUP_DAYS_UNPROTECTED * DAY + 1, how: "file" });
  assert.equal(remind(20, false, lessThanWeek), null);
  assert.equal(remind(20, false, weekOld).reason, "unprotected");
  assert.equal(remind(20, false, weekOld).days, 7);
  // A browser that cannot say is taken as one that may clear.
  assert.equal(remind(20, null, weekOld).reason, "unprotected");
  // Persistent storage: no reminder for a week-old copy, one for a month-old copy or none.
  assert.equal(remind(20, true, weekOld), null);
  const monthOld = backup({ at: NOW - STORAGE.BACKUP_DAYS_PERSISTENT * DAY, how: "link" });
  assert.equal(remind(20, true, monthOld).reason, "old");
  assert.equal(remind(20, true, backup()).reason, "old");
  assert.equal(remind(20, true, backup()).days, null);
});

test("a reminder stays up for its day, then not again for a week", () => {
  const shownAt = NOW - 2 * 60 * 60 * 1000;
  const record = backup({ shown: shownAt });
  // Later the same day: still shown, but not a new reminder.
  assert.equal(remind(10, false, record).start, false);
  // The next day and for the rest of the week: nothing.
  assert.equal(remind(10, false, record, shownAt + DAY), null);
  assert.equal(remind(10, false, record, shownAt + STORAGE.NUDGE_GAP_DAYS * DAY - 1), null);
  // A week on: a new reminder.
  assert.equal(remind(10, false, record, shownAt + STORAGE.NUDGE_GAP_DAYS * DAY).start, true);
});

test("dismissing a reminder keeps it away for a week", () => {
  const record = backup({ shown: NOW - 60000, dismissed: NOW - 30000 });
  assert.equal(remind(10, false, record), null);
  assert.equal(remind(10, false, record, NOW + 3 * DAY), null);
  assert.notEqual(remind(10, false, record, NOW - 60000 + STORAGE.NUDGE_GAP_DAYS * DAY), null);
});

test("at most one day of reminding in any week, whatever the clock does", () => {
  fc.assert(fc.property(
    fc.array(fc.integer({ min: 0, max: 60 * 24 * 60 }), { minLength: 1, maxLength: 60 }),
    fc.boolean(),
    (minutes, dismissEach) => {
      // Visits at the given minutes over 60 days, recording what the page records.
      const visits = minutes.slice().sort((a, b) => a - b).map((m) => NOW + m * 60000);
      let record = backup();
      const starts = [];
      visits.forEach((now) => {
        const shown = remind(10, false, record, now);
        if (!shown) return;
        if (shown.start) {
          starts.push(now);
          record = Object.assign({}, record, { shown: now });
        }
        if (dismissEach) record = Object.assign({}, record, { dismissed: now });
      });
      for (let i = 1; i < starts.length; i++) {
        assert.ok(starts[i] - starts[i - 1] >= STORAGE.NUDGE_GAP_DAYS * DAY, String(starts));
      }
      return true;
    }
  ));
});

test("a copy made stops the reminder until progress changes again", () => {
  const justMade = backup({ at: NOW - 1000, how: "file", shown: NOW - 5000 });
  assert.equal(remind(30, false, justMade), null);
  const stores = {
    progress: { 1: { status: "known", at: NOW - 500 }, 2: { status: "known", at: NOW - 2000 } },
    review: { 1: { at: NOW - 500 } },
    log: { 1: { reviews: [], at: NOW - 500 }, 3: { reviews: [], at: NOW - 400 } }
  };
  // Questions, not entries: a grade touches three stores but is one question's progress.
  assert.equal(STORAGE.changesSince(stores, NOW - 1000), 2);
  assert.equal(STORAGE.changesSince(stores, null), 3);
  assert.equal(STORAGE.changesSince({ notes: { 4: { text: "x" } } }, null), 0);
});

test("a damaged backup record reads as none", () => {
  assert.deepEqual(backup("junk"), { at: null, how: null, shown: null, dismissed: null });
  assert.deepEqual(backup({ at: 5, how: "carrier pigeon", shown: "x", dismissed: null }),
    { at: null, how: null, shown: null, dismissed: null });
  assert.deepEqual(backup({ at: 5, how: "link", shown: 7, dismissed: 9 }),
    { at: 5, how: "link", shown: 7, dismissed: 9 });
});

test("the reminder's sentence says why", () => {
  assert.equal(STORAGE.nudgeText({ reason: "unprotected", days: null, changes: 12 }),
    "Your progress on 12 questions exists only in this browser, and this browser may clear " +
    "it to free space. Keep a copy:");
  assert.equal(STORAGE.nudgeText({ reason: "old", days: 40, changes: 6 }),
    "Your progress on 6 questions changed since your last copy, 40 days ago: a lost or reset " +
    "device would take it with it. Keep a copy:");
  assert.match(STORAGE.backupText(backup(), ""), /No copy/);
  assert.equal(STORAGE.backupText(backup({ at: 1, how: "link" }), "December 3, 2026"),
    "You last made a transfer link on December 3, 2026.");
});

test("persistence is asked for once, and not again the same day", async () => {
  const calls = [];
  let granted = false;
  const manager = {
    persisted: () => Promise.resolve(granted),
    persist: () => {
      calls.push("persist");
      return Promise.resolve(false);
    }
  };
  let last = null;
  const asked = { get: () => last, set: (ms) => { last = ms; } };
  assert.equal(await STORAGE.askToPersist(manager, asked, NOW), false);
  assert.deepEqual(calls, ["persist"]);
  assert.equal(last, NOW);
  assert.equal(await STORAGE.askToPersist(manager, asked, NOW + DAY - 1), false);
  assert.equal(calls.length, 1);
  assert.equal(await STORAGE.askToPersist(manager, asked, NOW + DAY), false);
  assert.equal(calls.length, 2);
  granted = true;
  assert.equal(await STORAGE.askToPersist(manager, asked, NOW + 9 * DAY), true);
  assert.equal(calls.length, 2, "already persistent: not asked");
  assert.equal(await STORAGE.askToPersist(undefined, asked, NOW), null);
  assert.equal(await STORAGE.askToPersist({ persisted: () => Promise.reject(new Error("x")),
    persist: () => true }, asked, NOW), null);
});

test("the last ask is kept in storage, and blocked storage is no error", () => {
  const kept = {};
  const fake = { getItem: (k) => (k in kept ? kept[k] : null), setItem: (k, v) => { kept[k] = v; } };
  const asked = STORAGE.askedIn(() => fake);
  assert.equal(asked.get(), null);
  asked.set(NOW);
  assert.equal(asked.get(), NOW);
  assert.equal(kept[STORAGE.PERSIST_ASKED_KEY], String(NOW));
  const blocked = STORAGE.askedIn(() => { throw new Error("SecurityError"); });
  assert.equal(blocked.get(), null);
  blocked.set(NOW);
});

test("a note changed in one tab only takes that change", () => {
  assert.deepEqual(STORAGE.mergeText("a", "ab", "a"), { text: "ab", merged: false });
  assert.deepEqual(STORAGE.mergeText("a", "a", "ac"), { text: "ac", merged: false });
  assert.deepEqual(STORAGE.mergeText("a", "same", "same"), { text: "same", merged: false });
  // One side holds the other whole: the longer text loses nothing.
  assert.deepEqual(STORAGE.mergeText("a", "a and more", "a and"), { text: "a and more", merged: false });
  assert.deepEqual(STORAGE.mergeText("a", "", "a b"), { text: "a b", merged: false });
});

test("a note changed in two tabs keeps both texts, with a marked line between", () => {
  const merged = STORAGE.mergeText("Notes", "Notes: GIL", "Notes: asyncio");
  assert.equal(merged.merged, true);
  assert.equal(merged.text, "Notes: GIL\n\n" + STORAGE.MERGE_MARKER + "\nNotes: asyncio");
});

test("whatever was typed in either tab survives the merge", () => {
  fc.assert(fc.property(fc.string(), fc.string(), fc.string(), (base, mine, theirs) => {
    const { text } = STORAGE.mergeText(base, mine, theirs);
    if (mine !== base) assert.ok(text.includes(mine), JSON.stringify({ base, mine, theirs, text }));
    if (theirs !== base) assert.ok(text.includes(theirs), JSON.stringify({ base, mine, theirs, text }));
    if (mine === base) assert.equal(text, theirs);
    return true;
  }));
});

test("a failed write says why, and that nothing earlier changed", () => {
  const quota = { name: "QuotaExceededError", code: 22 };
  assert.equal(STORAGE.notSavedText(quota), "Not saved: this browser's storage for the site is " +
    "full. What was saved before is unchanged.");
  assert.match(STORAGE.notSavedText({ name: "NS_ERROR_DOM_QUOTA_REACHED" }), /full/);
  assert.match(STORAGE.notSavedText({ name: "SecurityError" }), /turned off or blocked/);
  assert.match(STORAGE.notSavedText(null), /refused/);
});

test("persistence and space read plainly", () => {
  assert.match(STORAGE.persistenceText(true), /^Storage here is persistent/);
  assert.match(STORAGE.persistenceText(false), /^Storage here is not persistent/);
  assert.match(STORAGE.persistenceText(null), /does not say/);
  assert.equal(STORAGE.usageText({ usage: 1234567, quota: 10.7e9 }),
    "drillbook uses 1.2 MB here (progress, recordings and pages kept offline), of the 10.7 GB " +
    "this browser lets it use.");
  assert.equal(STORAGE.usageText({ usage: 900 }),
    "drillbook uses 900 bytes here (progress, recordings and pages kept offline).");
  assert.equal(STORAGE.usageText(null), null);
});

test("what the browser says of its storage, and nothing thrown where it cannot say", async () => {
  assert.equal(await STORAGE.persistedIn({ persisted: () => Promise.resolve(1) }), true);
  assert.equal(await STORAGE.persistedIn({ persisted: () => false }), false);
  assert.equal(await STORAGE.persistedIn({ persisted: () => { throw new Error("x"); } }), null);
  assert.equal(await STORAGE.persistedIn(undefined), null);
  assert.deepEqual(await STORAGE.estimateIn({ estimate: () => Promise.resolve({ usage: 5 }) }),
    { usage: 5 });
  assert.equal(await STORAGE.estimateIn({ estimate: () => Promise.reject(new Error("x")) }), null);
  assert.equal(await STORAGE.estimateIn({}), null);
});
