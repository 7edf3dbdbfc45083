// The statistics page's day count (static/stats.js `daysAgo`) against srs.js `daysBetween`, the
// rule every other page counts days by, in zones whose days are odd: New York's 23- and 25-hour
// days, Lord Howe's half-hour daylight saving, Kathmandu's +5:45, Santiago's clocks changed at
// midnight (so some days begin at 01:00) and Apia, which skipped December 30, 2011. Each zone
// runs in a child Node, since a process's time zone is fixed once its first date is made.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const path = require("node:path");

const STATIC = path.join(__dirname, "..", "..", "static");

/** For instants around each `now` in `tz`: those where the two counts disagree (none, we hope). */
function disagreements(tz, nows) {
  const script = `
    const STATS = require(${JSON.stringify(path.join(STATIC, "stats.js"))});
    const SRS = require(${JSON.stringify(path.join(STATIC, "srs.js"))});
    const wrong = [];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const now of ${JSON.stringify(nows)}) {
      const agoOf = STATS.daysAgo(now);
      for (let i = 0; i < 20000; i++) {
        // Three years back to a month ahead, and every minute around each midnight nearby.
        const when = i < 3000
          ? new Date(now).setHours(0, 0, 0, 0) - (Math.floor(i / 120) - 5) * 86400000 + (i % 120 - 60) * 60000
          : now - Math.floor(random() * 1125 * 86400000) + 30 * 86400000;
        const got = agoOf(when);
        const want = SRS.daysBetween(when, now);
        if (got !== want) wrong.push([new Date(when).toString(), got, want]);
      }
    }
    process.stdout.write(JSON.stringify(wrong.slice(0, 5)));`;
  const out = execFileSync(process.execPath, ["-e", script], {
    env: Object.assign({}, process.env, { TZ: tz }),
    encoding: "utf8"
  });
  return JSON.parse(out);
}

test("days ago are calendar days in zones with odd days", () => {
  const nows = [
    Date.UTC(2025, 2, 10, 6), Date.UTC(2025, 10, 3, 5), Date.UTC(2026, 11, 3, 12),
    Date.UTC(2012, 0, 2, 12), Date.UTC(2024, 8, 9, 4), Date.UTC(2025, 3, 6, 15)
  ];
  for (const tz of ["America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu",
    "America/Santiago", "Pacific/Apia", "UTC"]) {
    assert.deepEqual(disagreements(tz, nows), [], tz);
  }
});
