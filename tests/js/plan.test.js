// The study plan's rules (static/plan.js), under Node's built-in test runner, with fixed dates:
//
//   node --test tests/js/*.test.js
//
// Each expected day and count is worked out by hand in the comment beside its check.
// tests/js/plan-timezones.test.js runs the day-boundary cases in other time zones.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const PLAN = require("../../static/plan.js");
const SRS = require("../../static/srs.js");

/** A local time on a day key, at `hour`. */
function at(key, hour, minute) {
  const [y, m, d] = key.split("-").map(Number);
  return new Date(y, m - 1, d, hour, minute || 0).getTime();
}

/** Twelve questions: 3 hard, 5 medium, 4 easy, in two categories, in the bank's order. */
const QUESTIONS = [
  { id: "1", difficulty: "easy", category: "basics" },
  { id: "2", difficulty: "medium", category: "basics" },
  { id: "3", difficulty: "hard", category: "basics" },
  { id: "4", difficulty: "medium", category: "basics" },
  { id: "5", difficulty: "easy", category: "basics" },
  { id: "6", difficulty: "hard", category: "basics" },
  { id: "20", difficulty: "medium", category: "web" },
  { id: "21", difficulty: "hard", category: "web" },
  { id: "22", difficulty: "easy", category: "web" },
  { id: "23", difficulty: "medium", category: "web" },
  { id: "24", difficulty: "medium", category: "web" },
  { id: "25", difficulty: "easy", category: "web" }
];

function plan(overrides) {
  return Object.assign({
    start: "2026-12-01",
    date: "2026-12-08",
    pace: { unit: "questions", amount: 3 },
    includeKnown: false,
    order: PLAN.order(QUESTIONS)
  }, overrides);
}

test("the order is hardest first, taking the categories in turn", () => {
  // Hard: basics 3, 6 and web 21 -> 3, 21, 6. Medium: basics 2, 4; web 20, 23, 24 -> 2, 20, 4,
  // 23, 24. Easy: basics 1, 5; web 22, 25 -> 1, 22, 5, 25.
  assert.deepEqual(PLAN.order(QUESTIONS), ["3", "21", "6", "2", "20", "4", "23", "24", "1", "22", "5", "25"]);
  assert.deepEqual(PLAN.order([]), []);
});

test("days are calendar days", () => {
  assert.equal(PLAN.daysFrom("2026-12-01", "2026-12-08"), 7);
  assert.equal(PLAN.daysFrom("2026-12-08", "2026-12-01"), -7);
  assert.equal(PLAN.addDays("2026-12-30", 3), "2027-01-02");
  assert.equal(PLAN.addDays("2028-03-01", -1), "2028-02-29");
  assert.equal(PLAN.isDay("2026-02-30"), false);
  assert.equal(PLAN.isDay("2026-2-3"), false);
  assert.equal(PLAN.isDay(null), false);
  assert.equal(PLAN.dayKey(at("2026-12-05", 23, 59)), "2026-12-05");
  assert.equal(PLAN.dayKey(at("2026-12-06", 0, 0)), "2026-12-06");
});

test("the pace in minutes allows one new question per 9 minutes", () => {
  assert.equal(PLAN.MINUTES_PER_NEW, 9);
  assert.equal(PLAN.capacity({ unit: "minutes", amount: 30 }), 3); // floor(30 / 9)
  assert.equal(PLAN.capacity({ unit: "minutes", amount: 10 }), 1);
  assert.equal(PLAN.capacity({ unit: "questions", amount: 7 }), 7);
  assert.equal(PLAN.capacity(null), 0);
});

test("new questions are spread evenly, ending the day before the last study day", () => {
  // Dec 1 to the interview on Dec 8: 7 study days (Dec 1-7), new questions on the first 6.
  // 12 questions: ceil(12/6) = 2 a day for six days, none on Dec 7.
  const day = PLAN.today(plan(), {}, at("2026-12-01", 9));
  assert.equal(day.phase, "studying");
  assert.equal(day.day, 1);
  assert.equal(day.days, 7);
  assert.deepEqual(day.newToday, ["3", "21"]);
  assert.deepEqual(day.upcoming.map((d) => d.newIds.length), [2, 2, 2, 2, 2, 0]);
  assert.deepEqual(day.upcoming.map((d) => d.day), ["2026-12-02", "2026-12-03", "2026-12-04",
    "2026-12-05", "2026-12-06", "2026-12-07"]);
  const seen = [].concat(day.newToday, ...day.upcoming.map((d) => d.newIds));
  assert.deepEqual(seen, PLAN.order(QUESTIONS), "every question once, in order");
  assert.equal(day.behind, false);
});

test("an uneven count front-loads by one, never more", () => {
  // 5 questions over 3 new-question days (interview on day 5): ceil(5/3) = 2, then ceil(3/2) =
  // 2, then 1.
  const five = plan({ date: "2026-12-05", order: ["a", "b", "c", "d", "e"] });
  const day = PLAN.today(five, {}, at("2026-12-01", 9));
  assert.deepEqual([day.newToday.length].concat(day.upcoming.map((d) => d.newIds.length)), [2, 2, 1, 0]);
});

test("studied today stays in today's list, done; studied earlier leaves the plan's new questions", () => {
  const firstSeen = {
    "3": at("2026-12-02", 8), // today
    "21": at("2026-12-01", 20), // yesterday
    "6": at("2026-12-01", 21) // yesterday
  };
  // Day 2 of 7: 10 left at the start of today (3 among them), 5 new-question days left:
  // ceil(10/5) = 2 today: 3 (done) and the next not studied, 2.
  const day = PLAN.today(plan(), { firstSeen }, at("2026-12-02", 12));
  assert.equal(day.day, 2);
  assert.deepEqual(day.newToday, ["3", "2"]);
  assert.deepEqual(day.doneToday, ["3"]);
  assert.deepEqual(day.upcoming[0].newIds, ["20", "4"]);
});

test("questions marked known are left out unless the plan includes them", () => {
  const known = { "3": true, "21": true };
  // 10 left over 6 days: ceil(10/6) = 2, starting at 6.
  assert.deepEqual(PLAN.today(plan(), { known }, at("2026-12-01", 9)).newToday, ["6", "2"]);
  assert.deepEqual(PLAN.today(plan({ includeKnown: true }), { known }, at("2026-12-01", 9)).newToday,
    ["3", "21"]);
  // Known because it was graded Good during the plan: still the plan's, and done today.
  const graded = { firstSeen: { "3": at("2026-12-01", 10) }, known: { "3": true } };
  assert.deepEqual(PLAN.today(plan(), graded, at("2026-12-01", 11)).doneToday, ["3"]);
});

test("a plan that has fallen behind says so and still covers every question", () => {
  // Day 6 of 7 with nothing studied: 12 questions, one new-question day left: 12 today, over
  // the pace of 3.
  const day = PLAN.today(plan(), {}, at("2026-12-06", 9));
  assert.equal(day.newToday.length, 12);
  assert.equal(day.behind, true);
  // Day 7, the last study day, past the new-question days: what is left comes today.
  assert.equal(PLAN.today(plan(), {}, at("2026-12-07", 9)).newToday.length, 12);
});

test("the interview day and after", () => {
  assert.equal(PLAN.today(plan(), {}, at("2026-12-08", 9)).phase, "interview");
  const after = PLAN.today(plan(), {}, at("2026-12-09", 9));
  assert.equal(after.phase, "over");
  assert.deepEqual(after.newToday, []);
});

test("a clock set back before the plan began counts as its first day", () => {
  const firstSeen = { "3": at("2026-12-03", 10) }; // graded on a clock since set back
  const day = PLAN.today(plan(), { firstSeen }, at("2026-11-28", 9));
  assert.equal(day.day, 1);
  assert.equal(day.today, "2026-12-01");
  // 3 was studied (in the clock's future): not new again, never lost: 11 left, ceil(11/6) = 2.
  assert.deepEqual(day.newToday, ["21", "6"]);
  const all = [].concat(day.newToday, ...day.upcoming.map((d) => d.newIds));
  assert.equal(all.length, 11);
  assert.equal(all.indexOf("3"), -1);
});

test("a plan fits when the share a day is within the pace, and says what would", () => {
  // 12 questions from Dec 1 to Dec 8: 6 new-question days, 2 a day.
  const fits = PLAN.fit({ unit: "questions", amount: 2 }, 12, "2026-12-01", "2026-12-08");
  assert.equal(fits.fits, true);
  assert.equal(fits.perDay, 2);
  // 30 minutes a day allows 3; 40 questions need ceil(40/6) = 7 a day.
  const not = PLAN.fit({ unit: "minutes", amount: 30 }, 40, "2026-12-01", "2026-12-08");
  assert.equal(not.fits, false);
  assert.equal(not.perDay, 7);
  assert.equal(not.capacity, 3);
  assert.equal(not.fitting, 18); // 3 a day for 6 days, the hardest 18
  assert.equal(not.questionsPerDay, 7);
  assert.equal(not.minutesPerDay, 63);
  // At 3 a day, 40 need ceil(40/3) = 14 new-question days and one more: Dec 1 + 15 = Dec 16.
  assert.equal(not.earliestDate, "2026-12-16");
  assert.equal(PLAN.fit({ unit: "questions", amount: 3 }, 40, "2026-12-01", "2026-12-16").fits, true);
  assert.equal(PLAN.fit({ unit: "questions", amount: 3 }, 40, "2026-12-01", "2026-12-15").fits, false);
  // Today or a past date has no study day.
  assert.equal(PLAN.fit({ unit: "questions", amount: 9 }, 1, "2026-12-08", "2026-12-08").fits, false);
  assert.equal(PLAN.fit({ unit: "questions", amount: 9 }, 1, "2026-12-09", "2026-12-08").days, 0);
  // A single study day takes its new questions itself.
  assert.equal(PLAN.fit({ unit: "questions", amount: 4 }, 4, "2026-12-07", "2026-12-08").fits, true);
});

test("reviews due after the interview are brought into its last three days", () => {
  const p = plan(); // interview Dec 8: last study day Dec 7, window Dec 5-7
  const now = at("2026-12-02", 9);
  const state = (last, due, reps) => ({ last: at(last, 10), due: at(due, 10), reps, stability: 5, difficulty: 5, lapses: 0 });
  // Due before the interview: its own date.
  assert.deepEqual(PLAN.dueUnder(p, "3", state("2026-12-01", "2026-12-04", 1), now),
    { due: at("2026-12-04", 10), pulled: false });
  // Due after it, last reviewed before the window: into the window, by place in the plan
  // (window of 3 days): 3 is at place 0 -> Dec 5; 21 at 1 -> Dec 6; 6 at 2 -> Dec 7; 2 at 3 -> Dec 5.
  const far = (id) => PLAN.dueUnder(p, id, state("2026-12-01", "2026-12-20", 2), now);
  assert.deepEqual(far("3"), { due: at("2026-12-05", 0), pulled: true });
  assert.deepEqual(far("21"), { due: at("2026-12-06", 0), pulled: true });
  assert.deepEqual(far("6"), { due: at("2026-12-07", 0), pulled: true });
  assert.deepEqual(far("2"), { due: at("2026-12-05", 0), pulled: true });
  // Reviewed inside the window (twice seen): recent enough, left alone.
  assert.equal(PLAN.dueUnder(p, "3", state("2026-12-05", "2026-12-20", 2), now).pulled, false);
  // Seen only once, inside the window: brought back the day after, still before the interview.
  assert.deepEqual(PLAN.dueUnder(p, "21", state("2026-12-05", "2026-12-20", 1), now),
    { due: at("2026-12-06", 0), pulled: true });
  // Seen once on the last study day: no day is left to bring it to.
  assert.equal(PLAN.dueUnder(p, "3", state("2026-12-07", "2026-12-20", 1), now).pulled, false);
  // Not the plan's question, no plan, or the interview has come: its own date.
  assert.equal(PLAN.dueUnder(p, "99", state("2026-12-01", "2026-12-20", 2), now).pulled, false);
  assert.equal(PLAN.dueUnder(null, "3", state("2026-12-01", "2026-12-20", 2), now).pulled, false);
  assert.equal(PLAN.dueUnder(p, "3", state("2026-12-01", "2026-12-20", 2), at("2026-12-08", 9)).pulled, false);
});

test("with the plan's rules every studied question is reviewed in the last three days", () => {
  // Simulate: follow the plan, grade every new question Good on its day and every due review
  // Good, with srs.js scheduling; on the last study day each question's last review is in the
  // window (Dec 5-7) and each was seen at least twice.
  const p = plan();
  const review = {};
  const reviews = {};
  const firstSeen = {};
  for (let d = 0; d < 7; d++) {
    const key = PLAN.addDays(p.start, d);
    const now = at(key, 9);
    Object.keys(review).forEach((id) => {
      const due = PLAN.dueUnder(p, id, review[id], now).due;
      if (due <= SRS.endOfDay(now)) {
        review[id] = SRS.schedule(review[id], 3, now);
        reviews[id] += 1;
      }
    });
    PLAN.today(p, { firstSeen }, now).newToday.forEach((id) => {
      if (firstSeen[id] !== undefined) return;
      firstSeen[id] = now + 60000;
      review[id] = SRS.schedule(null, 3, now + 60000);
      reviews[id] = 1;
    });
  }
  assert.equal(Object.keys(review).length, 12);
  Object.keys(review).forEach((id) => {
    const last = PLAN.dayKey(review[id].last);
    assert.ok(PLAN.daysFrom("2026-12-05", last) >= 0, `question ${id} last reviewed ${last}`);
    assert.ok(reviews[id] >= 2, `question ${id} seen ${reviews[id]} times`);
  });
});
