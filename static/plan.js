// drillbook: a study plan to an interview date, day by day.
//
// A plan is its link's choices (the interview's date, the pace, the categories, whether known
// questions are studied again) and the day it was followed in this browser. Its rules:
//   - Study days run from the day the plan was followed to the day before the interview.
//   - Order: the plan's questions hardest first (hard, medium, easy), taking the categories in
//     turn within a difficulty so that a day mixes topics, each category in the bank's order.
//   - New questions: each day's share of those not yet studied is spread evenly over the days
//     left for new questions (ceil(left / days)), which end the day before the last study day,
//     so that each new question is seen a second time before the interview. A question counts
//     as studied from the first time it is graded; studied today, it stays in today's list,
//     done. Questions graded before the plan began are reviews, not new; questions marked known
//     without a grade are left out unless the plan includes known questions.
//   - Pace: "questions a day" is the daily share it allows; "minutes a day" allows one new
//     question per 9 minutes (5 to study it and 2 for each of its two reviews before the date).
//     A share above that means the plan does not fit, or has fallen behind, and says what would.
//   - Deadline: the last three study days are the final window. A studied question of the plan
//     whose next review would come after the interview is brought into that window when its
//     last review was before it (or it has been seen only once), so that on the day before the
//     interview every studied question was reviewed within the last three days. The window's
//     days take those questions in turn by their place in the plan, never earlier than the day
//     after their last review.
// Days are local calendar days, named "YYYY-MM-DD", and counted on the calendar so that a
// daylight-saving change never makes a day of 23 or 25 hours count wrong. A clock set back to
// before the plan began is taken as its first day; a question graded "in the future" (by a clock
// since set back) counts as studied.
// Everything here is pure (no storage, no clock) so that it runs in the browser, where app.js
// calls it, and under Node's test runner (tests/js/plan.test.js).
"use strict";

(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module && module.exports) {
    module.exports = api;
  } else {
    root.DrillbookPlan = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  var DAY_MS = 24 * 60 * 60 * 1000;
  /** The final window: the last study days, in which every studied question is reviewed. */
  var WINDOW_DAYS = 3;
  var NEW_MINUTES = 5;
  var REVIEW_MINUTES = 2;
  var REVIEWS_PER_NEW = 2;
  /** Minutes a new question costs, its reviews before the interview included. */
  var MINUTES_PER_NEW = NEW_MINUTES + REVIEWS_PER_NEW * REVIEW_MINUTES;
  var DIFFICULTY_RANK = { hard: 0, medium: 1, easy: 2 };
  var DAY_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }

  /** The local day holding `ms`, as "YYYY-MM-DD". */
  function dayKey(ms) {
    var d = new Date(ms);
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  /** [year, month 1-12, day] of a day key, or null if it is not a real calendar day. */
  function parts(key) {
    var m = typeof key === "string" ? DAY_KEY.exec(key) : null;
    if (!m) return null;
    var y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
    var check = new Date(Date.UTC(y, mo - 1, d));
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
      return null;
    }
    return [y, mo, d];
  }

  function isDay(key) {
    return parts(key) !== null;
  }

  /** The first millisecond of a local day. */
  function startOf(key) {
    var p = parts(key);
    return new Date(p[0], p[1] - 1, p[2]).getTime();
  }

  /** Calendar days from day `a` to day `b` (negative when `b` is earlier). */
  function daysFrom(a, b) {
    var p = parts(a), q = parts(b);
    return Math.round((Date.UTC(q[0], q[1] - 1, q[2]) - Date.UTC(p[0], p[1] - 1, p[2])) / DAY_MS);
  }

  /** The day `n` days after `key`. */
  function addDays(key, n) {
    var p = parts(key);
    var d = new Date(Date.UTC(p[0], p[1] - 1, p[2] + n));
    return d.getUTCFullYear() + "-" + two(d.getUTCMonth() + 1) + "-" + two(d.getUTCDate());
  }

  function later(a, b) {
    return daysFrom(a, b) > 0 ? b : a;
  }

  /** New questions a day the pace allows. */
  function capacity(pace) {
    var amount = Math.max(0, Math.floor(Number(pace && pace.amount) || 0));
    return pace && pace.unit === "questions" ? amount : Math.floor(amount / MINUTES_PER_NEW);
  }

  /**
   * The plan's order of `questions` ({ id, difficulty, category }, in the bank's order): hardest
   * first, the categories in turn within each difficulty.
   */
  function order(questions) {
    var groups = [[], [], []];
    questions.forEach(function (q) {
      var rank = DIFFICULTY_RANK.hasOwnProperty(q.difficulty) ? DIFFICULTY_RANK[q.difficulty] : 1;
      groups[rank].push(q);
    });
    var ids = [];
    groups.forEach(function (group) {
      var byCategory = [];
      var index = {};
      group.forEach(function (q) {
        if (!index.hasOwnProperty(q.category)) {
          index[q.category] = byCategory.length;
          byCategory.push([]);
        }
        byCategory[index[q.category]].push(q.id);
      });
      var longest = Math.max.apply(null, byCategory.map(function (l) { return l.length; }).concat(0));
      for (var turn = 0; turn < longest; turn++) {
        byCategory.forEach(function (list) {
          if (turn < list.length) ids.push(list[turn]);
        });
      }
    });
    return ids;
  }

  /** Each id's place in a plan's order, as { id: index }. */
  function places(order) {
    var place = {};
    order.forEach(function (id, i) { place[id] = i; });
    return place;
  }

  /**
   * The days of a plan followed on `start` for an interview on `date`: how many study days,
   * how many of them take new questions, the last study day and the window's first.
   */
  function span(start, date) {
    var days = Math.max(0, daysFrom(start, date));
    var introDays = days >= 2 ? days - 1 : days;
    var last = addDays(date, -1);
    var windowStart = later(start, addDays(date, -WINDOW_DAYS));
    return { days: days, introDays: introDays, last: last, windowStart: windowStart };
  }

  /**
   * Whether `count` new questions fit between `today` and `date` at `pace`, and what would:
   * { fits, days, introDays, perDay (the share needed), capacity, fitting (how many would fit,
   * the hardest first), questionsPerDay and minutesPerDay (the pace that fits), earliestDate
   * (the first interview date that fits at this pace, or null) }. `days` 0 means the date is
   * today or gone.
   */
  function fit(pace, count, today, date) {
    var s = span(today, date);
    var cap = capacity(pace);
    var perDay = s.introDays > 0 ? Math.ceil(count / s.introDays) : count;
    var introNeeded = cap > 0 ? Math.ceil(count / cap) : Infinity;
    var earliest = null;
    if (isFinite(introNeeded)) {
      earliest = count === 0 ? addDays(today, 1) : addDays(today, introNeeded + 1);
    }
    return {
      fits: s.days > 0 && perDay <= cap,
      days: s.days,
      introDays: s.introDays,
      perDay: perDay,
      capacity: cap,
      fitting: Math.min(count, cap * s.introDays),
      questionsPerDay: Math.max(1, perDay),
      minutesPerDay: Math.max(1, perDay) * MINUTES_PER_NEW,
      earliestDate: earliest
    };
  }

  /**
   * The plan as a person's progress leaves it: `plan` is { start, date, pace, includeKnown,
   * order: [ids] }; `progress` is { firstSeen: { id: ms }, known: { id: true } }; `now` is ms.
   * Returns { today, phase, day, days, newToday, doneToday, behind, capacity, upcoming }:
   *   phase     "studying", or "interview" on its day, or "over" after it;
   *   day       today's number among the study days, 1 on the first (and before it);
   *   newToday  today's new questions in plan order, those done today among them;
   *   upcoming  [{ day: key, number, newIds }] for each study day after today.
   */
  function today(plan, progress, now) {
    var key = dayKey(now);
    if (daysFrom(key, plan.start) > 0) key = plan.start;
    var s = span(plan.start, plan.date);
    var startMs = startOf(plan.start);
    var firstSeen = progress.firstSeen || {};
    var known = progress.known || {};
    var cap = capacity(plan.pace);
    var result = {
      today: key,
      phase: "studying",
      day: daysFrom(plan.start, key) + 1,
      days: s.days,
      newToday: [],
      doneToday: [],
      behind: false,
      capacity: cap,
      upcoming: []
    };
    if (daysFrom(key, plan.date) <= 0) {
      result.phase = daysFrom(key, plan.date) === 0 ? "interview" : "over";
      return result;
    }
    var remaining = plan.order.filter(function (id) {
      var seen = firstSeen.hasOwnProperty(id) ? dayKey(firstSeen[id]) : null;
      var skipped = !plan.includeKnown && known[id] && !(firstSeen[id] >= startMs);
      return !skipped && (seen === null || seen === key);
    });
    var done = remaining.filter(function (id) {
      return firstSeen.hasOwnProperty(id);
    });
    var todo = remaining.filter(function (id) {
      return !firstSeen.hasOwnProperty(id);
    });
    var share = function (day, left) {
      var daysLeft = s.introDays - day + 1;
      return daysLeft >= 1 ? Math.ceil(left / daysLeft) : left;
    };
    var count = share(result.day, remaining.length);
    var taken = Math.max(0, count - done.length);
    var todaysTodo = todo.slice(0, taken);
    var place = plan.place || places(plan.order);
    result.newToday = done.concat(todaysTodo).sort(function (a, b) {
      return place[a] - place[b];
    });
    result.doneToday = done;
    result.behind = count > cap;
    var rest = todo.slice(taken);
    for (var day = result.day + 1; day <= s.days; day++) {
      var n = share(day, rest.length);
      result.upcoming.push({
        day: addDays(plan.start, day - 1),
        number: day,
        newIds: rest.slice(0, n)
      });
      rest = rest.slice(n);
    }
    return result;
  }

  /**
   * When question `id`, in review state `state` ({ due, last, reps }), is due under `plan`
   * (null for no plan; with `place` from `places` when many questions are asked about) at
   * `now`: its own due time, or the start of a day of the final window when the deadline brings
   * it forward. Returns { due, pulled }.
   */
  function dueUnder(plan, id, state, now) {
    var own = { due: state.due, pulled: false };
    if (!plan) return own;
    // `plan.place` (from `places`) saves a search of the order for each of many questions.
    var place = plan.place ? plan.place[id] : places(plan.order)[id];
    if (place === undefined) return own;
    var s = span(plan.start, plan.date);
    var key = dayKey(now);
    if (s.days === 0 || daysFrom(key, s.last) < 0) return own;
    // Due on or before the last study day: the schedule already brings it back in time.
    if (daysFrom(dayKey(state.due), s.last) >= 0) return own;
    var lastReview = dayKey(state.last);
    var beforeWindow = daysFrom(s.windowStart, lastReview) < 0;
    if (!beforeWindow && state.reps >= 2) return own;
    var windowLength = daysFrom(s.windowStart, s.last) + 1;
    var target = later(addDays(s.windowStart, place % windowLength), addDays(lastReview, 1));
    if (daysFrom(target, s.last) < 0) return own;
    return { due: startOf(target), pulled: true };
  }

  return Object.freeze({
    DAY_MS: DAY_MS,
    WINDOW_DAYS: WINDOW_DAYS,
    MINUTES_PER_NEW: MINUTES_PER_NEW,
    dayKey: dayKey,
    isDay: isDay,
    startOf: startOf,
    daysFrom: daysFrom,
    addDays: addDays,
    capacity: capacity,
    order: order,
    places: places,
    span: span,
    fit: fit,
    today: today,
    dueUnder: dueUnder
  });
});
