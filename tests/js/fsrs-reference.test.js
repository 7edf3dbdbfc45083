// static/srs.js beside ts-fsrs, the reference implementation of FSRS (npm, pinned in
// tests/js/package.json), over generated grade sequences: every interval is compared.
//
//   node --test tests/js/*.test.js
//
// The reference runs with FSRS-5's default parameters and our policy: no fuzz, the same
// maximum interval, and one learning and one relearning step of 10 minutes, the step our
// scheduler keeps as "due again today". Both are graded at the same moments: on the due day,
// days late, days early, or 10 minutes after a step. A step counts as 0 days.
//
// The differences we intend, each checked where it occurs:
//   - at the maximum, Hard, Good and Easy stay a day apart below it (Easy at the maximum); the
//     reference lets Good and Easy run past it;
//   - the reference rounds stability and difficulty to 8 decimals after each review and we do
//     not, so an interval within a thousandth of a day of a half day may round the other way.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { fsrs, generatorParameters, createEmptyCard, State } = require("ts-fsrs");
const SRS = require("../../static/srs.js");

const DAY = 24 * 60 * 60 * 1000;
const STEP = 10 * 60 * 1000;
const MAX = SRS.MAXIMUM_INTERVAL;

/** The reference scheduler under FSRS-5's parameters and our policy. */
function reference() {
  const log = console.debug;
  console.debug = () => {}; // its note that it fills 19 parameters to 21
  const scheduler = fsrs(generatorParameters({
    w: Array.from(SRS.PARAMETERS),
    request_retention: SRS.DESIRED_RETENTION,
    maximum_interval: MAX,
    enable_fuzz: false,
    enable_short_term: true,
    learning_steps: ["10m"],
    relearning_steps: ["10m"],
  }));
  console.debug = log;
  // FSRS-5 has no w19 (FSRS-6's same-day exponent), which is 0 in effect; filling in FSRS-6's
  // parameters the reference clips it to at least 0.01 while same-day reviews are on. Set back
  // in place, it computes FSRS-5's same-day formula exactly.
  scheduler.param.w[19] = 0;
  assert.equal(scheduler.param.w[19], 0, "the reference takes FSRS-5's w19");
  assert.equal(scheduler.param.w.length, 21);
  return scheduler;
}

/** A small seeded generator (mulberry32), so that a failure can be run again. */
function random(seed) {
  let a = seed >>> 0;
  return function next(n) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** Where our interval may differ from the reference's, and how; null where they must agree. */
function intendedDifference(grade, ours, theirs, stability) {
  const capped = [null, 0, MAX - 2, MAX - 1, MAX][grade];
  if (theirs >= capped && ours === capped) return "at the maximum";
  const fraction = stability % 1;
  if (Math.abs(ours - theirs) === 1 && Math.abs(fraction - 0.5) < 1e-3) return "rounding";
  return null;
}

test("every interval agrees with ts-fsrs but for the intended differences", () => {
  const scheduler = reference();
  const next = random(20261202);
  const counts = { compared: 0, "at the maximum": 0, rounding: 0 };
  const failures = [];
  for (let sequence = 0; sequence < 4000 && failures.length < 5; sequence++) {
    const start = Date.UTC(2026, 0, 1, 9, 0, 0);
    let card = createEmptyCard(new Date(start));
    let ours = null;
    let now = start;
    const history = [];
    const reviews = 1 + next(14);
    for (let review = 0; review < reviews; review++) {
      const grade = 1 + next(4);
      card = scheduler.next(card, new Date(now), grade).card;
      ours = SRS.schedule(ours, grade, now);
      const ourDays = Math.round((ours.due - ours.last) / DAY);
      const theirDays = card.state === State.Review ? card.scheduled_days : 0;
      history.push(`${grade}:${ourDays}/${theirDays}`);
      counts.compared++;
      if (ourDays !== theirDays) {
        const why = intendedDifference(grade, ourDays, theirDays, ours.stability);
        if (why) {
          counts[why]++;
        } else {
          failures.push(history.join(" "));
          break;
        }
      }
      // The next review: 10 minutes after a step, else on the due day, days late or early.
      const due = Math.max(ours.due, card.due.getTime());
      const roll = next(6);
      if (ourDays === 0) now = due + STEP + (roll === 0 ? next(5) * DAY : 0);
      else if (roll === 0 && ourDays > 1) now = ours.last + (1 + next(ourDays - 1)) * DAY;
      else if (roll === 1) now = due + (1 + next(40)) * DAY;
      else now = due;
    }
  }
  assert.deepEqual(failures, [], "grade:ours/reference days, review by review");
  assert.ok(counts.compared > 25000, `${counts.compared} intervals compared`);
  assert.ok(counts["at the maximum"] > 0, "the sequences reach the maximum");
  assert.ok(
    counts.rounding < counts.compared / 5000,
    `${counts.rounding} intervals rounded the other way`,
  );
});

test("the two cases the reference showed us getting wrong", () => {
  const scheduler = reference();
  const run = (grades) => {
    const start = Date.UTC(2026, 0, 1, 9, 0, 0);
    let card = createEmptyCard(new Date(start));
    let ours = null;
    let now = start;
    const out = { ours: [], reference: [] };
    for (const grade of grades) {
      card = scheduler.next(card, new Date(now), grade).card;
      ours = SRS.schedule(ours, grade, now);
      const days = Math.round((ours.due - ours.last) / DAY);
      out.ours.push(days);
      out.reference.push(card.state === State.Review ? card.scheduled_days : 0);
      now = Math.max(ours.due, card.due.getTime()) + (days === 0 ? STEP : 0);
    }
    return out;
  };
  // The review right after a same-day Again: Good and Easy are 1 day each, not 2 and 3.
  for (const grades of [[1, 3], [1, 4], [1, 3, 3, 3, 3]]) {
    const { ours, reference: theirs } = run(grades);
    assert.deepEqual(ours, theirs, `grades ${grades}`);
  }
  assert.deepEqual(run([1, 3, 3, 3, 3]).ours, [0, 1, 2, 6, 15]);
  // Near the maximum Good never passes Easy or the maximum.
  const { ours } = run([4, 4, 4, 4, 4, 4, 3, 4, 3]);
  for (const days of ours) assert.ok(days <= MAX, `${days} days`);
});
