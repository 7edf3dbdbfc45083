// drillbook: when to see a question again, after grading how well you knew it.
//
// The scheduler is FSRS-5 (Free Spaced Repetition Scheduler, version 5, by Jarrett Ye and the
// open-spaced-repetition project) with its published default parameters, as described in
// https://github.com/open-spaced-repetition/fsrs4anki/wiki/The-Algorithm (section FSRS-5) and
// implemented in py-fsrs (src/fsrs/fsrs_v5.py). A question's memory is two numbers:
//   stability S: days until the chance of recalling it falls to 90%;
//   difficulty D: 1 (easy) to 10 (hard), how much each review raises S.
// Grades are Again = 1, Hard = 2, Good = 3, Easy = 4. The formulas, with w0..w18 the parameters
// below, DECAY = -0.5 and FACTOR = 0.9^(1/DECAY) - 1 = 19/81:
//   first review:     S = w[G-1]                 D = D0(G) = clamp(w4 - e^(w5 (G-1)) + 1)
//   retrievability:   R(t, S) = (1 + FACTOR t / S)^DECAY, t in whole days since the last review
//   difficulty:       D' = D - w6 (G-3) (10-D) / 9, then D'' = w7 D0(4) + (1-w7) D' in [1, 10]
//   recall (G >= 2):  S' = S (1 + e^w8 (11-D) S^-w9 (e^(w10 (1-R)) - 1) [w15 Hard] [w16 Easy])
//   lapse (Again):    S' = min(w11 D^-w12 ((S+1)^w13 - 1) e^(w14 (1-R)), S / e^(w17 w18))
//   same day (t < 1): S' = S e^(w17 (G-3+w18)), never below S for Hard, Good and Easy (the
//                     rule ts-fsrs applies, so that passing a same-day review cannot weaken a
//                     memory)
//   interval:         I = S / FACTOR (r^(1/DECAY) - 1) days for desired retention r (I = S at
//                     90%), rounded to whole days, at least 1.
// A question is learning until a grade gives it a whole-day interval: never graded, or graded
// Again (or Hard while learning) and so due again today. That is where ts-fsrs, the reference
// implementation, puts a card on a learning step (with one step of 10 minutes, learning and
// relearning alike); tests/js/fsrs-reference.test.js runs the two side by side.
//   - learning:  Again and Hard are due again at once (today's queue, where the reference's
//                10-minute step is); Good and Easy graduate to their own intervals, unordered.
//   - in review: Again is due again at once (a lapse); Hard < Good < Easy, as Anki and the
//                reference order them, so the four buttons mean four different things; at the
//                maximum they stay a day apart below it (Easy at the maximum, Good a day short),
//                where the reference lets Good and Easy run past it.
// Choices of our own, where the papers leave it to the application:
//   - Whole days: a step is "again today", at the end of today's queue, not in 10 minutes.
//   - A lapse is an Again on a question reviewed before; Again on a first review is not one
//     (nothing was learned yet to forget).
//   - No fuzz: the same reviews give the same dates, which keeps the schedule easy to explain.
// Everything here is pure (no storage, no clock) so that it runs in the browser, where app.js
// calls it, and under Node's test runner (tests/js/srs.test.js).
"use strict";

(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module && module.exports) {
    module.exports = api;
  } else {
    root.DrillbookSRS = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  /** FSRS-5's default parameters w0..w18, fitted by its authors on Anki review logs. */
  var W = Object.freeze([
    0.40255, 1.18385, 3.173, 15.69105, 7.1949, 0.5345, 1.4604, 0.0046, 1.54575, 0.1192,
    1.01925, 1.9395, 0.11, 0.29605, 2.2698, 0.2315, 2.9898, 0.51655, 0.6621
  ]);
  var DECAY = -0.5;
  var FACTOR = Math.pow(0.9, 1 / DECAY) - 1;
  /** Recall probability at which a question falls due: FSRS's and Anki's default. */
  var DESIRED_RETENTION = 0.9;
  /** About a hundred years: longer intervals mean nothing for interview practice. */
  var MAXIMUM_INTERVAL = 36500;
  var MIN_STABILITY = 0.01;
  var DAY_MS = 24 * 60 * 60 * 1000;
  var AGAIN = 1, HARD = 2, GOOD = 3, EASY = 4;

  function clamp(value, low, high) {
    return Math.min(high, Math.max(low, value));
  }

  /** Milliseconds since the epoch from a Date or a number; throws on anything else. */
  function millis(when) {
    var ms = when instanceof Date ? when.getTime() : when;
    if (typeof ms !== "number" || !isFinite(ms)) {
      throw new RangeError("a review time must be a Date or milliseconds since 1970");
    }
    return ms;
  }

  function checkGrade(grade) {
    if (grade !== AGAIN && grade !== HARD && grade !== GOOD && grade !== EASY) {
      throw new RangeError("a grade is 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), not " + grade);
    }
  }

  function initialDifficulty(grade) {
    return clamp(W[4] - Math.exp(W[5] * (grade - 1)) + 1, 1, 10);
  }

  function nextDifficulty(d, grade) {
    var damped = d - W[6] * (grade - 3) * (10 - d) / 9;
    return clamp(W[7] * initialDifficulty(EASY) + (1 - W[7]) * damped, 1, 10);
  }

  /** R(t, S): the chance of recalling a question `days` after its last review. */
  function forgettingCurve(days, stability) {
    return Math.pow(1 + FACTOR * days / stability, DECAY);
  }

  function recallStability(s, d, r, grade) {
    var bonus = (grade === HARD ? W[15] : 1) * (grade === EASY ? W[16] : 1);
    return s * (1 + Math.exp(W[8]) * (11 - d) * Math.pow(s, -W[9]) *
      (Math.exp(W[10] * (1 - r)) - 1) * bonus);
  }

  function lapseStability(s, d, r) {
    var forgot = W[11] * Math.pow(d, -W[12]) * (Math.pow(s + 1, W[13]) - 1) *
      Math.exp(W[14] * (1 - r));
    // The cap of py-fsrs and ts-fsrs (their short-term term): a lapse never leaves more than
    // S / e^(w17 w18) of the old stability.
    return Math.min(forgot, s / Math.exp(W[17] * W[18]));
  }

  /** A second review the same day; Hard, Good and Easy never lower stability (as ts-fsrs has it). */
  function sameDayStability(s, grade) {
    var change = Math.exp(W[17] * (grade - 3 + W[18]));
    return s * (grade >= HARD ? Math.max(change, 1) : change);
  }

  /** Whole days to wait for stability `s`, before Hard, Good and Easy are put in order. */
  function interval(s) {
    var days = s / FACTOR * (Math.pow(DESIRED_RETENTION, 1 / DECAY) - 1);
    return clamp(Math.round(days), 1, MAXIMUM_INTERVAL);
  }

  function isCount(n) {
    return typeof n === "number" && n >= 0 && n % 1 === 0 && n < 1e9;
  }

  function isTime(n) {
    return typeof n === "number" && isFinite(n) && Math.abs(n) < 8.64e15;
  }

  /**
   * A stored state checked field by field, as a fresh object with only the scheduler's fields;
   * null for anything else (storage is shared with other code and with hand-edited files).
   */
  function readState(raw) {
    if (!raw || typeof raw !== "object") return null;
    var ok = typeof raw.stability === "number" && raw.stability >= MIN_STABILITY &&
      raw.stability <= MAXIMUM_INTERVAL &&
      typeof raw.difficulty === "number" && raw.difficulty >= 1 && raw.difficulty <= 10 &&
      isTime(raw.due) && isTime(raw.last) && raw.due >= raw.last &&
      isCount(raw.reps) && raw.reps >= 1 && isCount(raw.lapses) && raw.lapses < raw.reps;
    if (!ok) return null;
    return {
      stability: raw.stability,
      difficulty: raw.difficulty,
      due: raw.due,
      last: raw.last,
      reps: raw.reps,
      lapses: raw.lapses
    };
  }

  /**
   * What each grade would make of `previous` (a state, or null for a question never graded;
   * junk counts as never graded) at `reviewedAt`: an array indexed by grade, 1 to 4.
   */
  function outcomes(previous, reviewedAt) {
    var now = millis(reviewedAt);
    var prior = readState(previous);
    // Learning: never graded, or last due again the same day (after Again, or Hard while
    // learning), where the reference schedulers would be on a learning step.
    var learning = !prior || prior.due - prior.last < DAY_MS;
    var stability = [];
    var difficulty = [];
    var grade;
    for (grade = AGAIN; grade <= EASY; grade++) {
      if (!prior) {
        stability[grade] = W[grade - 1];
        difficulty[grade] = initialDifficulty(grade);
        continue;
      }
      // A clock set back makes the elapsed time negative: treat it as the same day.
      var elapsed = Math.max(0, now - prior.last) / DAY_MS;
      var s;
      if (elapsed < 1) {
        s = sameDayStability(prior.stability, grade);
      } else {
        var r = forgettingCurve(Math.floor(elapsed), prior.stability);
        s = grade === AGAIN ? lapseStability(prior.stability, prior.difficulty, r) :
          recallStability(prior.stability, prior.difficulty, r, grade);
      }
      stability[grade] = clamp(s, MIN_STABILITY, MAXIMUM_INTERVAL);
      difficulty[grade] = nextDifficulty(prior.difficulty, grade);
    }
    var hard = interval(stability[HARD]);
    var good = interval(stability[GOOD]);
    var easy = interval(stability[EASY]);
    if (learning) {
      // Hard repeats the step: again today, as Again does.
      hard = 0;
    } else {
      // Hard < Good < Easy, as the reference orders them, and all within the maximum.
      hard = Math.min(hard, good, MAXIMUM_INTERVAL - 2);
      good = Math.min(Math.max(good, hard + 1), MAXIMUM_INTERVAL - 1);
      easy = Math.min(Math.max(easy, good + 1), MAXIMUM_INTERVAL);
    }
    var days = [null, 0, hard, good, easy];
    var result = [null];
    for (grade = AGAIN; grade <= EASY; grade++) {
      result[grade] = {
        stability: stability[grade],
        difficulty: difficulty[grade],
        due: now + days[grade] * DAY_MS,
        last: now,
        reps: prior ? prior.reps + 1 : 1,
        lapses: prior ? prior.lapses + (grade === AGAIN ? 1 : 0) : 0
      };
    }
    return result;
  }

  /**
   * The state after grading a question `grade` (1 to 4) at `reviewedAt` (a Date or
   * milliseconds), given its `previous` state or null. Throws RangeError on a bad grade or time.
   */
  function schedule(previous, grade, reviewedAt) {
    checkGrade(grade);
    return outcomes(previous, reviewedAt)[grade];
  }

  /** The chance of recalling the question at `when`, by the forgetting curve. */
  function retrievability(state, when) {
    var s = readState(state);
    if (!s) return 0;
    return forgettingCurve(Math.max(0, millis(when) - s.last) / DAY_MS, s.stability);
  }

  /** The last millisecond of the local calendar day holding `when`. */
  function endOfDay(when) {
    var day = new Date(millis(when));
    day.setHours(23, 59, 59, 999);
    return day.getTime();
  }

  /** Whether a question is due on the local day of `when` (or overdue). */
  function isDue(state, when) {
    var s = readState(state);
    return !!s && s.due <= endOfDay(when);
  }

  /** Local calendar days from `from` to `to`: 0 the same day, 1 the next, -1 the day before. */
  function daysBetween(from, to) {
    var a = new Date(millis(from));
    var b = new Date(millis(to));
    var start = Date.UTC(a.getFullYear(), a.getMonth(), a.getDate());
    var end = Date.UTC(b.getFullYear(), b.getMonth(), b.getDate());
    return Math.round((end - start) / DAY_MS);
  }

  return Object.freeze({
    ALGORITHM: "FSRS-5",
    PARAMETERS: W,
    DESIRED_RETENTION: DESIRED_RETENTION,
    MAXIMUM_INTERVAL: MAXIMUM_INTERVAL,
    DAY_MS: DAY_MS,
    GRADES: Object.freeze({ again: AGAIN, hard: HARD, good: GOOD, easy: EASY }),
    schedule: schedule,
    outcomes: outcomes,
    readState: readState,
    retrievability: retrievability,
    endOfDay: endOfDay,
    isDue: isDue,
    daysBetween: daysBetween
  });
});
