// The statistics page's day arithmetic across daylight saving changes, in New York: on March 9,
// 2025 the clocks went forward (a 23-hour day) and on November 2 back (a 25-hour day). Counting
// days as 24-hour spans would put a review on the wrong day there; stats.js counts local calendar
// days. The zone is set before anything reads a Date, which is why this is a file of its own.
"use strict";

process.env.TZ = "America/New_York";

const test = require("node:test");
const assert = require("node:assert/strict");
const STATS = require("../../static/stats.js");

function at(year, month, day, hour, minute) {
  return new Date(year, month - 1, day, hour, minute).getTime();
}

test("the zone is New York's, with its spring change", () => {
  // 00:30 on March 10 is 23 hours after 00:30 on March 9, not 24.
  assert.equal((at(2025, 3, 10, 0, 30) - at(2025, 3, 9, 0, 30)) / 3600000, 23);
});

test("after the spring change, a review 23 hours ago was yesterday", () => {
  const now = at(2025, 3, 10, 0, 30);
  const reviews = STATS.reviewsOf({
    1: { reviews: [[at(2025, 3, 8, 23, 30), 3, 0], [at(2025, 3, 9, 0, 30), 3, 0], [at(2025, 3, 9, 23, 30), 4, 0]] },
  });
  const map = STATS.heatmap(reviews, now);
  const count = Object.fromEntries(map.days.map((d) => [d.date, d.count]));
  assert.equal(count["2025-03-10"], 0);
  assert.equal(count["2025-03-09"], 2);
  assert.equal(count["2025-03-08"], 1);
  // Every day once and in its weekday's row, through both changes of the year shown.
  const dates = map.days.map((d) => d.date);
  assert.equal(new Set(dates).size, dates.length);
  assert.ok(dates.includes("2024-11-03"), "the 25-hour day of 2024 is one day");
  map.days.forEach((d) => assert.equal(d.weekday, new Date(d.date + "T12:00").getDay(), d.date));
  // Nothing today yet: the streak ends yesterday and spans March 8 and 9.
  assert.deepEqual(STATS.streaks(reviews, now), { current: 2, longest: 2 });

  const state = (due) => ({ stability: 3, difficulty: 5, due: due, last: due - 86400000, reps: 1, lapses: 0 });
  const due = STATS.forecast({ 1: state(at(2025, 3, 10, 23, 30)), 2: state(at(2025, 3, 11, 0, 10)) }, now, null);
  assert.deepEqual(due.days.slice(0, 2).map((d) => [d.date, d.count]), [["2025-03-10", 1], ["2025-03-11", 1]]);
});

test("after the autumn change, a review 25 hours and 40 minutes ago was two days ago", () => {
  const now = at(2025, 11, 3, 0, 30);
  const reviews = STATS.reviewsOf({
    1: { reviews: [[at(2025, 11, 1, 23, 50), 3, 30], [at(2025, 11, 2, 0, 10), 3, 30]] },
  });
  assert.equal((now - reviews[0].at) / 60000, 25 * 60 + 40);
  const count = Object.fromEntries(STATS.heatmap(reviews, now).days.map((d) => [d.date, d.count]));
  assert.equal(count["2025-11-01"], 1);
  assert.equal(count["2025-11-02"], 1);
  assert.deepEqual(STATS.streaks(reviews, now), { current: 2, longest: 2 });
  // Both mature and within the last 30 days.
  assert.equal(STATS.retention(reviews, now).windows[0].reviews, 2);
});
