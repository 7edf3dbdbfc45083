// The study plan's days in other time zones (static/plan.js): each case runs in a child Node
// with its own TZ, since a process's time zone is fixed once its first date is made.
//
//   node --test tests/js/*.test.js
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const path = require("node:path");

const PLAN_JS = path.join(__dirname, "..", "..", "static", "plan.js");

/** Runs `body` (which returns a JSON-able value) with plan.js as PLAN in time zone `tz`. */
function inZone(tz, body) {
  const script = `const PLAN = require(${JSON.stringify(PLAN_JS)});\n` +
    `process.stdout.write(JSON.stringify((() => { ${body} })()));`;
  const out = execFileSync(process.execPath, ["-e", script], {
    env: Object.assign({}, process.env, { TZ: tz }),
    encoding: "utf8"
  });
  return JSON.parse(out);
}

const ORDER = JSON.stringify(["1", "2", "3", "4"]);

test("a grade just before local midnight belongs to that day, in any zone", () => {
  for (const tz of ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata", "UTC"]) {
    const got = inZone(tz, `
      const plan = { start: "2026-12-01", date: "2026-12-06", pace: { unit: "questions", amount: 1 },
        includeKnown: false, order: ${ORDER} };
      const lateGrade = new Date(2026, 11, 1, 23, 50).getTime();
      const justAfter = new Date(2026, 11, 2, 0, 10).getTime();
      const sameEvening = PLAN.today(plan, { firstSeen: { "1": lateGrade } }, lateGrade + 60000);
      const nextMorning = PLAN.today(plan, { firstSeen: { "1": lateGrade } }, justAfter);
      return { evening: sameEvening.doneToday, eveningDay: sameEvening.day,
        morning: nextMorning.newToday, morningDay: nextMorning.day };
    `);
    // Dec 1 to the interview on Dec 6: 5 study days, 4 for new questions, one a day.
    assert.deepEqual(got.evening, ["1"], tz);
    assert.equal(got.eveningDay, 1, tz);
    // Ten minutes later it is day 2: question 1 was studied yesterday; 3 left over 3 days.
    assert.deepEqual(got.morning, ["2"], tz);
    assert.equal(got.morningDay, 2, tz);
  }
});

test("one instant is a different plan day on either side of the date line", () => {
  // 2026-12-02T11:30Z is 01:30 on Dec 3 at UTC+14 and 00:30 on Dec 2 at UTC-11.
  const body = `
    const plan = { start: "2026-12-01", date: "2026-12-06", pace: { unit: "questions", amount: 1 },
      includeKnown: false, order: ${ORDER} };
    return PLAN.today(plan, {}, Date.UTC(2026, 11, 2, 11, 30)).day;
  `;
  assert.equal(inZone("Pacific/Kiritimati", body), 3);
  assert.equal(inZone("Pacific/Pago_Pago", body), 2);
});

test("a daylight-saving change neither adds nor loses a day", () => {
  // New York leaves daylight saving on 2026-11-01 (a 25-hour day) and enters it on
  // 2027-03-14 (23 hours).
  const got = inZone("America/New_York", `
    const autumn = { start: "2026-10-30", date: "2026-11-03", pace: { unit: "questions", amount: 2 },
      includeKnown: false, order: ${ORDER} };
    const spring = Object.assign({}, autumn, { start: "2027-03-12", date: "2027-03-16" });
    const lateOnTheLongDay = new Date(2026, 10, 1, 23, 30).getTime();
    const state = { last: new Date(2026, 9, 30, 9).getTime(), due: new Date(2026, 10, 20).getTime(), reps: 2 };
    const pulled = PLAN.dueUnder(autumn, "1", state, new Date(2026, 9, 30, 12).getTime());
    return {
      autumnDay: PLAN.today(autumn, {}, lateOnTheLongDay).day,
      springDay: PLAN.today(spring, {}, new Date(2027, 2, 14, 23, 30).getTime()).day,
      days: PLAN.daysFrom("2026-10-31", "2026-11-02"),
      springDays: PLAN.daysFrom("2027-03-13", "2027-03-15"),
      pulledTo: PLAN.dayKey(pulled.due),
      pulledHour: new Date(pulled.due).getHours()
    };
  `);
  assert.equal(got.autumnDay, 3); // Oct 30, 31, Nov 1
  assert.equal(got.springDay, 3); // Mar 12, 13, 14
  assert.equal(got.days, 2);
  assert.equal(got.springDays, 2);
  // Interview Nov 3: window Oct 31 to Nov 2; question 1 is first in the plan: Oct 31, at the
  // start of that local day.
  assert.equal(got.pulledTo, "2026-10-31");
  assert.equal(got.pulledHour, 0);
});
