// The statistics page's calculations (static/stats.js), under Node's built-in test runner:
//
//   node --test tests/js/*.test.js
//
// One fixed review log and a fixed "now" (Wednesday, June 18, 2025, 15:00 local time); every
// expected number is counted by hand from the log below, the count written next to its check.
// Dates are built from local parts, so the checks hold in any time zone; stats-dst.test.js runs
// the day arithmetic across New York's daylight saving changes.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const STATS = require("../../static/stats.js");

/** Local time, month 1-based as people write it. */
function at(year, month, day, hour = 12, minute = 0) {
  return new Date(year, month - 1, day, hour, minute).getTime();
}

const NOW = at(2025, 6, 18, 15);
const DAY = 24 * 60 * 60 * 1000;

// Reviews as the log keeps them: [when, grade, days scheduled before the review].
const LOG = {
  // Young (days < 21): today, twice yesterday, and the day before.
  1: {
    at: NOW,
    reviews: [
      [at(2025, 6, 16, 10), 3, 0],
      [at(2025, 6, 17, 8), 1, 0],
      [at(2025, 6, 17, 20), 3, 0],
      [at(2025, 6, 18, 9), 3, 1],
    ],
  },
  // Mature three times (25, 30, 21 days), young once (20 days).
  2: {
    at: NOW,
    reviews: [
      [at(2025, 5, 1), 3, 25],
      [at(2025, 5, 20), 2, 30],
      [at(2025, 6, 10), 4, 21],
      [at(2025, 6, 12), 3, 20],
    ],
  },
  // A year ago: the day before the heatmap's first day, its first day just after midnight, and
  // New Year's Eve a minute before midnight.
  3: {
    at: NOW,
    reviews: [
      [at(2024, 6, 15), 3, 40],
      [at(2024, 6, 16, 0, 30), 1, 22],
      [at(2024, 12, 31, 23, 59), 4, 0],
    ],
  },
  // Junk around one good review (today at 1:00).
  5: { at: NOW, reviews: [[1, 9, 0], "bad", [at(2025, 6, 18, 1), 3, 0], [at(2025, 6, 1), 3, -2]] },
  4: { at: NOW, reviews: "nope" },
  x: { at: NOW, reviews: [[at(2025, 6, 18), 3, 0]] },
  6: null,
};

const REVIEWS = STATS.reviewsOf(LOG);

test("the log's reviews, oldest first, junk left out", () => {
  // 4 + 4 + 3 from questions 1 to 3, and one of question 5's four.
  assert.equal(REVIEWS.length, 12);
  assert.deepEqual(REVIEWS[0], { id: "3", at: at(2024, 6, 15), grade: 3, days: 40 });
  assert.deepEqual(REVIEWS[REVIEWS.length - 1], { id: "1", at: at(2025, 6, 18, 9), grade: 3, days: 1 });
  for (let i = 1; i < REVIEWS.length; i++) assert.ok(REVIEWS[i - 1].at <= REVIEWS[i].at);
  for (const junk of [null, undefined, "log", 7, [], [[NOW, 3, 0]], { 1: "x" }, { 1: { reviews: {} } }]) {
    assert.deepEqual(STATS.reviewsOf(junk), [], JSON.stringify(junk));
  }
});

test("the heatmap: a year of local days ending today, by day and by month", () => {
  const map = STATS.heatmap(REVIEWS, NOW);
  // Today is a Wednesday (weekday 3): 52 whole weeks and this one's Sunday to Wednesday.
  assert.equal(map.days.length, 52 * 7 + 4);
  assert.deepEqual(map.days[0], { date: "2024-06-16", week: 0, weekday: 0, count: 1 });
  assert.deepEqual(map.days[map.days.length - 1], { date: "2025-06-18", week: 52, weekday: 3, count: 2 });
  const count = Object.fromEntries(map.days.map((d) => [d.date, d.count]));
  assert.equal(count["2025-06-17"], 2, "two reviews yesterday, morning and evening");
  assert.equal(count["2025-06-16"], 1);
  assert.equal(count["2025-06-12"], 1);
  assert.equal(count["2025-06-10"], 1);
  assert.equal(count["2025-05-20"], 1);
  assert.equal(count["2025-05-01"], 1);
  assert.equal(count["2024-12-31"], 1, "23:59 on New Year's Eve is still that day");
  assert.equal(count["2025-01-01"], 0);
  assert.equal(count["2024-06-15"], undefined, "the day before the first column is not shown");
  // Every day once, in order, each in the column and row of its week and weekday.
  const dates = map.days.map((d) => d.date);
  assert.equal(new Set(dates).size, dates.length);
  map.days.forEach((d, i) => {
    assert.equal(d.weekday, new Date(d.date + "T12:00").getDay(), d.date);
    assert.equal(d.week * 7 + d.weekday, i);
  });

  // June 2024 (from the 16th) to June 2025 (to the 18th): 13 months.
  assert.equal(map.months.length, 13);
  assert.deepEqual(map.months[0], { key: "2024-06", label: "June 2024", reviews: 1, days: 1 });
  assert.deepEqual(map.months[6], { key: "2024-12", label: "December 2024", reviews: 1, days: 1 });
  assert.deepEqual(map.months[7], { key: "2025-01", label: "January 2025", reviews: 0, days: 0 });
  assert.deepEqual(map.months[11], { key: "2025-05", label: "May 2025", reviews: 2, days: 2 });
  // June 2025: 1 (16th) + 2 (17th) + 2 (18th) + 1 (10th) + 1 (12th) on 5 days.
  assert.deepEqual(map.months[12], { key: "2025-06", label: "June 2025", reviews: 7, days: 5 });
  // 1 + 1 + 2 + 7; the review of June 15, 2024 is outside the year shown.
  assert.deepEqual(map.totals, { reviews: 11, days: 9 });
});

test("the heatmap of no reviews is a year of empty days", () => {
  const map = STATS.heatmap([], NOW);
  assert.equal(map.days.length, 368);
  assert.ok(map.days.every((d) => d.count === 0));
  assert.deepEqual(map.totals, { reviews: 0, days: 0 });
});

/** A valid schedule entry due at `due`, last reviewed three days before it (or now). */
function state(due) {
  return { stability: 3, difficulty: 5, due: due, last: Math.min(due, NOW) - 3 * DAY, reps: 2, lapses: 0, at: NOW };
}

const STATES = {
  1: state(NOW - 3 * DAY), // overdue: counted today
  2: state(at(2025, 6, 18, 23)), // later today
  3: state(at(2025, 6, 19, 0, 30)), // tomorrow, just after midnight
  4: state(at(2025, 7, 17)), // the 30th day: 12 days left in June + 17
  5: state(at(2025, 7, 18)), // the 31st: beyond the forecast
  7: state(at(2025, 7, 1)), // day 13 by its schedule; the plan below brings it to day 2
  8: { stability: -1, difficulty: 5, due: NOW, last: NOW, reps: 1, lapses: 0 }, // junk
  9: "junk",
  q: state(NOW),
};

test("the due forecast: 30 days, overdue counted on today", () => {
  const due = STATS.forecast(STATES, NOW, null);
  assert.equal(due.days.length, 30);
  assert.deepEqual(due.days[0], { offset: 0, date: "2025-06-18", count: 2 });
  assert.equal(due.overdue, 1);
  assert.equal(due.days[1].count, 1);
  assert.equal(due.days[1].date, "2025-06-19");
  assert.equal(due.days[2].count, 0);
  assert.equal(due.days[13].count, 1);
  assert.equal(due.days[13].date, "2025-07-01");
  assert.deepEqual(due.days[29], { offset: 29, date: "2025-07-17", count: 1 });
  // Questions 1, 2, 3, 4 and 7; 5 falls after the 30 days, 8, 9 and q are junk.
  assert.equal(due.total, 5);
  assert.equal(due.days.reduce((sum, d) => sum + d.count, 0), 5);
});

test("the due forecast asks dueOf, and keeps the schedule's date where it has none", () => {
  const asked = [];
  const due = STATS.forecast(STATES, NOW, (id, s) => {
    asked.push(id);
    if (id === "7") return at(2025, 6, 20, 8);
    if (id === "3") return "soon";
    if (id === "4") throw new Error("no plan");
    return s.due;
  });
  assert.deepEqual(asked.sort(), ["1", "2", "3", "4", "5", "7"]);
  assert.equal(due.days[2].count, 1, "question 7 pulled forward to June 20");
  assert.equal(due.days[13].count, 0);
  assert.equal(due.days[1].count, 1, "a plan's junk date leaves the schedule's");
  assert.equal(due.days[29].count, 1, "a plan that throws leaves the schedule's");
  assert.equal(due.days[0].count, 2);
  assert.equal(due.total, 5);
  for (const junk of [null, "x", [], 3]) {
    const none = STATS.forecast(junk, NOW, null);
    assert.equal(none.total, 0);
    assert.equal(none.days.length, 30);
  }
});

test("true retention: mature reviews only, Hard counts as failed", () => {
  const kept = STATS.retention(REVIEWS, NOW);
  assert.deepEqual(kept.windows.map((w) => w.key), ["month", "year", "all"]);
  // Last 30 days reach back to May 20 (29 days ago): its Hard (failed) and June 10's Easy; June
  // 12's Good had been scheduled for 20 days only, young.
  assert.deepEqual(kept.windows[0], { key: "month", label: "Last 30 days", reviews: 2, passed: 1, percent: 50 });
  // Last 365 days add May 1's Good; June 16, 2024 (367 days ago) is outside.
  assert.deepEqual(kept.windows[1], { key: "year", label: "Last 365 days", reviews: 3, passed: 2, percent: 66.7 });
  // All time adds June 15, 2024's Good (40 days) and June 16, 2024's Again (22 days).
  assert.deepEqual(kept.windows[2], { key: "all", label: "All time", reviews: 5, passed: 3, percent: 60 });
  // 12 reviews, 5 of them mature.
  assert.equal(kept.young, 7);
});

test("true retention with no mature reviews says so with null percentages", () => {
  const young = STATS.reviewsOf({ 1: LOG[1] });
  const kept = STATS.retention(young, NOW);
  for (const w of kept.windows) {
    assert.equal(w.reviews, 0);
    assert.equal(w.passed, 0);
    assert.equal(w.percent, null);
  }
  assert.equal(kept.young, 4);
  // Exactly 21 days is mature.
  const edge = STATS.retention(STATS.reviewsOf({ 1: { reviews: [[NOW, 2, 21], [NOW, 3, 20]] } }), NOW);
  assert.deepEqual(edge.windows[0], { key: "month", label: "Last 30 days", reviews: 1, passed: 0, percent: 0 });
});

test("category bars: known, to review and the rest unseen", () => {
  const categories = [
    { title: "Basics", slug: "basics", ids: ["1", "2", "3"] },
    { title: "Empty", slug: "empty", ids: [] },
    { title: "Extras", slug: "extras", ids: ["10"] },
  ];
  const progress = {
    1: { status: "known", at: NOW },
    2: { status: "review", at: NOW },
    3: { status: "bogus", at: NOW },
    10: { status: "unseen", at: NOW },
    99: { status: "known", at: NOW },
  };
  assert.deepEqual(STATS.categoryBars(categories, progress), [
    { title: "Basics", slug: "basics", total: 3, known: 1, review: 1, unseen: 1 },
    { title: "Empty", slug: "empty", total: 0, known: 0, review: 0, unseen: 0 },
    { title: "Extras", slug: "extras", total: 1, known: 0, review: 0, unseen: 1 },
  ]);
  for (const junk of [null, "x", [], { 1: "known" }, { 1: null }]) {
    const bars = STATS.categoryBars(categories, junk);
    assert.deepEqual(bars.map((b) => b.unseen), [3, 0, 1], JSON.stringify(junk));
  }
});

test("mock history: newest first, missing start and total, junk left out", () => {
  const history = STATS.mockHistory([
    {
      code: "AbC_1-x",
      value: {
        started: at(2025, 6, 1, 10),
        total: 5,
        answers: {
          1: { grade: "solid", points: [0], spent: 40 },
          2: { grade: "partial" },
          3: { grade: "missed" },
          4: { grade: "solid", spent: 30 },
          5: { grade: "great" },
          6: { grade: "solid" }, // beyond the interview's 5 questions
          x: { grade: "solid" },
          0: { grade: "solid" },
        },
      },
    },
    { code: "OLD", value: { answers: { 1: { grade: "partial" } } } },
    { code: "NEW", value: { started: at(2025, 6, 15, 9), total: 2, answers: {} } },
    { code: "K", value: { started: "yesterday", total: -3, answers: [{ grade: "solid" }] } },
    { code: "../evil", value: { started: NOW, total: 1, answers: {} } },
    { code: "J", value: "a string" },
    { code: "L", value: null },
    null,
    "text",
  ]);
  assert.deepEqual(history.map((r) => r.code), ["NEW", "AbC_1-x", "K", "OLD"]);
  assert.deepEqual(history[0], {
    code: "NEW", path: "/mock/NEW/results", started: at(2025, 6, 15, 9), total: 2,
    graded: 0, solid: 0, partial: 0, missed: 0,
  });
  assert.deepEqual(history[1], {
    code: "AbC_1-x", path: "/mock/AbC_1-x/results", started: at(2025, 6, 1, 10), total: 5,
    graded: 4, solid: 2, partial: 1, missed: 1,
  });
  assert.deepEqual(history[2], {
    code: "K", path: "/mock/K/results", started: null, total: null,
    graded: 0, solid: 0, partial: 0, missed: 0,
  });
  // No total recorded: every numbered answer counts.
  assert.deepEqual(history[3], {
    code: "OLD", path: "/mock/OLD/results", started: null, total: null,
    graded: 1, solid: 0, partial: 1, missed: 0,
  });
  assert.deepEqual(STATS.mockHistory(null), []);
  assert.deepEqual(STATS.mockHistory("x"), []);
});

test("streaks: today, yesterday, and the longest run", () => {
  // Days studied (days ago): 0, 1, 2, 6, 8, 29, 48, 169, 367, 368 (June 15 and 16, 2024).
  assert.deepEqual(STATS.streaks(REVIEWS, NOW), { current: 3, longest: 3 });
  const days = (...ago) => ago.map((n) => ({ at: at(2025, 6, 18 - n, 10) }));
  // Nothing yet today: the streak still ends yesterday.
  assert.deepEqual(STATS.streaks(days(1, 2, 10, 11, 12, 13), NOW), { current: 2, longest: 4 });
  // Today, then a gap yesterday: one day.
  assert.deepEqual(STATS.streaks(days(0, 2, 3), NOW), { current: 1, longest: 2 });
  // Neither today nor yesterday: broken.
  assert.deepEqual(STATS.streaks(days(2, 3), NOW), { current: 0, longest: 2 });
  // Several reviews on one day are one day.
  assert.deepEqual(STATS.streaks(days(0, 0, 0), NOW), { current: 1, longest: 1 });
  assert.deepEqual(STATS.streaks([], NOW), { current: 0, longest: 0 });
  // A review dated after now (another device's clock) is not a day studied.
  assert.deepEqual(STATS.streaks([{ at: NOW + 2 * DAY }], NOW), { current: 0, longest: 0 });
});

test("settings: the streak is off unless turned on, other settings are kept", () => {
  for (const junk of [null, undefined, "x", [], { streak: "yes" }, { streak: 1 }, {}]) {
    assert.deepEqual(STATS.readSettings(junk), { streak: false }, JSON.stringify(junk));
  }
  assert.deepEqual(STATS.readSettings({ streak: true, at: 1 }), { streak: true });
  assert.deepEqual(STATS.withStreak({ theme: "x", streak: false, at: 1 }, true, NOW),
    { theme: "x", streak: true, at: NOW });
  assert.deepEqual(STATS.withStreak("junk", false, NOW), { streak: false, at: NOW });
});
