// drillbook: the statistics page (/stats), drawn from what this browser keeps and sent nowhere.
//
// It reads the stores that static/app.js writes (see the header of its progress section):
//   log:      every review of each question, [ms, grade 1-4, days scheduled before it]
//   review:   each question's schedule (static/srs.js), for the due forecast
//   progress: known / to review, for the per-category bars
//   mock:<code>: one per mock interview opened here, with its self-grades
//   settings: { streak: true | false, at }, whether the streak is shown (off unless asked for)
// and draws, for each, an SVG chart (role="img", summed up in its aria-label, a <title> on each
// mark) beside a table of the same numbers, so nothing is said by colour or shape alone.
//
// Every day is a local calendar day (srs.js `daysBetween`), so a day is a day across daylight
// saving changes. The calculations are pure (no storage, no clock, no DOM) and run under Node's
// test runner (tests/js/stats.test.js); `setUp` draws them into the page. Stores are read
// defensively: junk, hand-edited or missing entries are skipped, never thrown on.
"use strict";

(function (root, factory) {
  var isModule = typeof module === "object" && module && module.exports;
  var api = factory(isModule ? require("./srs.js") : root.DrillbookSRS || null);
  if (isModule) {
    module.exports = api;
  } else {
    root.DrillbookStats = api;
  }
})(typeof self !== "undefined" ? self : this, function (SRS) {
  var DAY_MS = 24 * 60 * 60 * 1000;
  /** Weeks in the heatmap: a year, whichever weekday it starts on. */
  var WEEKS = 53;
  /** Days in the due forecast, today first. */
  var FORECAST_DAYS = 30;
  /** An interval this long (in days) makes a question mature, as Anki defines it. */
  var MATURE_DAYS = 21;
  /** Good (3) and Easy (4) pass; Again and Hard fail. */
  var PASSING_GRADE = 3;
  var RETENTION_WINDOWS = Object.freeze([
    Object.freeze({ key: "month", label: "Last 30 days", days: 30 }),
    Object.freeze({ key: "year", label: "Last 365 days", days: 365 }),
    Object.freeze({ key: "all", label: "All time", days: Infinity })
  ]);
  var MOCK_GRADES = Object.freeze(["solid", "partial", "missed"]);
  var MOCK_PREFIX = "drillbook:mock:";
  var SETTINGS_KEY = "drillbook:settings";
  /** Mock interview codes are URL-safe base64 (src/mock/code.rs), far shorter than this. */
  var MOCK_CODE = /^[A-Za-z0-9_-]{1,400}$/;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

  function isTime(n) {
    return typeof n === "number" && isFinite(n) && Math.abs(n) < 8.64e15;
  }

  function isCount(n) {
    return typeof n === "number" && n >= 0 && n % 1 === 0 && n < 1e9;
  }

  function isRecord(value) {
    return !!value && typeof value === "object" && !Array.isArray(value);
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many || one + "s");
  }

  // ---- local days --------------------------------------------------------------------------

  /** Local midnight of the day `offset` calendar days from the day of `now` (-1 is yesterday). */
  function localDay(now, offset) {
    var today = new Date(now);
    return new Date(today.getFullYear(), today.getMonth(), today.getDate() + offset);
  }

  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }

  /** "2025-03-09", the local date, as a <time> holds it. */
  function isoDate(date) {
    return date.getFullYear() + "-" + two(date.getMonth() + 1) + "-" + two(date.getDate());
  }

  /** "Mar 9": short enough for an axis. */
  function shortDay(date) {
    return MONTHS[date.getMonth()].slice(0, 3) + " " + date.getDate();
  }

  /** "Sunday, March 9, 2025". */
  function longDay(date) {
    return WEEKDAYS[date.getDay()] + ", " + MONTHS[date.getMonth()] + " " + date.getDate() +
      ", " + date.getFullYear();
  }

  /**
   * A function of `when` giving the calendar days from its day back to the day of `now` (0
   * today, 1 yesterday, -1 tomorrow), as srs.js `daysBetween` counts them. A full log holds a
   * hundred thousand reviews, and asking the time zone about each costs more than the page's
   * whole drawing: this asks it once per day, for the local midnights around each review.
   */
  function daysAgo(now) {
    var midnights = new Map();
    function midnight(offset) {
      var time = midnights.get(offset);
      if (time === undefined) {
        time = localDay(now, offset).getTime();
        midnights.set(offset, time);
      }
      return time;
    }
    var today = midnight(0);
    return function (when) {
      var offset = Math.floor((when - today) / DAY_MS);
      // A daylight-saving change moves a midnight by an hour or so: step to the day itself.
      while (midnight(offset) > when) offset -= 1;
      while (midnight(offset + 1) <= when) offset += 1;
      return -offset;
    };
  }

  // ---- reading the stores ------------------------------------------------------------------

  /** Whether `r` is one review as the log keeps it: [ms, grade 1-4, whole days]. */
  function isReview(r) {
    return Array.isArray(r) && r.length === 3 && isTime(r[0]) &&
      (r[1] === 1 || r[1] === 2 || r[1] === 3 || r[1] === 4) && isCount(r[2]);
  }

  /**
   * Every review in a log store (`{ id: { reviews: [...] } }`), oldest first, as
   * `{ id, at, grade, days }`; malformed entries and reviews are left out.
   */
  function reviewsOf(log) {
    var all = [];
    if (!isRecord(log)) return all;
    Object.keys(log).forEach(function (id) {
      var entry = log[id];
      if (!/^\d+$/.test(id) || !isRecord(entry) || !Array.isArray(entry.reviews)) return;
      entry.reviews.forEach(function (r) {
        if (isReview(r)) all.push({ id: id, at: r[0], grade: r[1], days: r[2] });
      });
    });
    return all.sort(function (a, b) { return a.at - b.at; });
  }

  /** The settings store as `{ streak }`: the streak is shown only when turned on. */
  function readSettings(raw) {
    return { streak: isRecord(raw) && raw.streak === true };
  }

  /** The settings store with the streak turned on or off, keeping whatever else it holds. */
  function withStreak(raw, shown, now) {
    var next = {};
    if (isRecord(raw)) {
      Object.keys(raw).forEach(function (key) { next[key] = raw[key]; });
    }
    next.streak = shown;
    next.at = now;
    return next;
  }

  // ---- calculations ------------------------------------------------------------------------

  /**
   * Reviews per local day for the last year, ending today: `days` from the Sunday 52 weeks
   * before this week's to today, each `{ date, week, weekday, count }` (week 0 is the oldest
   * column), then per month (`months`, oldest first: `{ key: "2025-03", label, reviews,
   * days }`, days being days studied) and `totals`.
   */
  function heatmap(reviews, now) {
    var weekday = new Date(now).getDay();
    var span = (WEEKS - 1) * 7 + weekday + 1;
    var counts = [];
    var i;
    for (i = 0; i < span; i++) counts.push(0);
    var agoOf = daysAgo(now);
    reviews.forEach(function (r) {
      var ago = agoOf(r.at);
      if (ago >= 0 && ago < span) counts[span - 1 - ago] += 1;
    });
    var days = [];
    var months = [];
    var totals = { reviews: 0, days: 0 };
    for (i = 0; i < span; i++) {
      var date = localDay(now, i - (span - 1));
      var count = counts[i];
      days.push({ date: isoDate(date), week: Math.floor(i / 7), weekday: i % 7, count: count });
      var key = isoDate(date).slice(0, 7);
      var month = months[months.length - 1];
      if (!month || month.key !== key) {
        month = {
          key: key,
          label: MONTHS[date.getMonth()] + " " + date.getFullYear(),
          reviews: 0,
          days: 0
        };
        months.push(month);
      }
      month.reviews += count;
      totals.reviews += count;
      if (count > 0) {
        month.days += 1;
        totals.days += 1;
      }
    }
    return { days: days, months: months, totals: totals };
  }

  /**
   * Questions due on each of the next 30 local days, today first; overdue ones count on today
   * (`overdue` says how many). `dueOf(id, state)` says when a question is due (a study plan may
   * bring reviews forward); without it, or when it gives no time, the schedule's own `due`.
   */
  function forecast(states, now, dueOf) {
    var days = [];
    var i;
    for (i = 0; i < FORECAST_DAYS; i++) {
      days.push({ offset: i, date: isoDate(localDay(now, i)), count: 0 });
    }
    var overdue = 0;
    var total = 0;
    if (isRecord(states)) {
      Object.keys(states).forEach(function (id) {
        var state = /^\d+$/.test(id) ? SRS.readState(states[id]) : null;
        if (!state) return;
        var due = state.due;
        if (dueOf) {
          try {
            var planned = dueOf(id, state);
            if (isTime(planned)) due = planned;
          } catch (e) {
            // A plan that cannot say leaves the schedule's own date.
          }
        }
        var ahead = SRS.daysBetween(now, due);
        if (ahead < 0) {
          overdue += 1;
          ahead = 0;
        }
        if (ahead < FORECAST_DAYS) {
          days[ahead].count += 1;
          total += 1;
        }
      });
    }
    return { days: days, overdue: overdue, total: total };
  }

  /** `passed` of `reviews` as a percentage to one decimal, or null when there were none. */
  function percent(passed, reviews) {
    return reviews > 0 ? Math.round(passed * 1000 / reviews) / 10 : null;
  }

  /**
   * True retention: of the reviews of mature questions (scheduled 21 days or more before the
   * review), the share graded Good or Easy, for the last 30 local days, the last 365 and all
   * time (each `{ key, label, reviews, passed, percent }`); `young` counts the reviews left out.
   */
  function retention(reviews, now) {
    var agoOf = daysAgo(now);
    var mature = reviews.filter(function (r) { return r.days >= MATURE_DAYS; }).map(function (r) {
      return { grade: r.grade, ago: agoOf(r.at) };
    });
    var windows = RETENTION_WINDOWS.map(function (w) {
      var counted = mature.filter(function (r) {
        return w.days === Infinity || (r.ago >= 0 && r.ago < w.days);
      });
      var passed = counted.filter(function (r) { return r.grade >= PASSING_GRADE; }).length;
      return {
        key: w.key,
        label: w.label,
        reviews: counted.length,
        passed: passed,
        percent: percent(passed, counted.length)
      };
    });
    return { windows: windows, young: reviews.length - mature.length };
  }

  /**
   * Each category's questions as known, to review and unseen, as lists mark them: `categories`
   * are `{ title, slug, ids }`, `progress` the progress store; a question without a valid mark
   * is unseen.
   */
  function categoryBars(categories, progress) {
    var marks = isRecord(progress) ? progress : {};
    return categories.map(function (c) {
      var row = { title: c.title, slug: c.slug, total: c.ids.length, known: 0, review: 0, unseen: 0 };
      c.ids.forEach(function (id) {
        var e = Object.prototype.hasOwnProperty.call(marks, id) ? marks[id] : null;
        var status = isRecord(e) && (e.status === "known" || e.status === "review") ?
          e.status : "unseen";
        row[status] += 1;
      });
      return row;
    });
  }

  /**
   * The mock interviews kept here (`{ code, value }` from each `drillbook:mock:<code>`), newest
   * first and those without a start time last: `{ code, path, started, total, graded, solid,
   * partial, missed }`, `started` and `total` null where the store did not record them.
   */
  function mockHistory(stored) {
    var rows = [];
    (Array.isArray(stored) ? stored : []).forEach(function (item) {
      if (!isRecord(item) || typeof item.code !== "string" || !MOCK_CODE.test(item.code)) return;
      var value = item.value;
      if (!isRecord(value)) return;
      var started = isTime(value.started) && value.started > 0 ? value.started : null;
      var total = isCount(value.total) && value.total > 0 ? value.total : null;
      var answers = isRecord(value.answers) ? value.answers : {};
      var row = {
        code: item.code,
        path: "/mock/" + item.code + "/results",
        started: started,
        total: total,
        graded: 0,
        solid: 0,
        partial: 0,
        missed: 0
      };
      Object.keys(answers).forEach(function (n) {
        var answer = answers[n];
        var number = /^\d+$/.test(n) ? Number(n) : 0;
        if (number < 1 || (total !== null && number > total) || !isRecord(answer)) return;
        if (MOCK_GRADES.indexOf(answer.grade) === -1) return;
        row[answer.grade] += 1;
        row.graded += 1;
      });
      rows.push(row);
    });
    return rows.sort(function (a, b) {
      if (a.started !== b.started) {
        if (a.started === null) return 1;
        if (b.started === null) return -1;
        return b.started - a.started;
      }
      return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
    });
  }

  /**
   * Consecutive local days with at least one review: `current` ends today, or yesterday while
   * nothing is reviewed yet today (the day is not over); `longest` is the longest run ever.
   */
  function streaks(reviews, now) {
    var studied = {};
    var agoOf = daysAgo(now);
    reviews.forEach(function (r) {
      var ago = agoOf(r.at);
      if (ago >= 0) studied[ago] = true;
    });
    var current = 0;
    var from = studied[0] ? 0 : 1;
    while (studied[from + current]) current += 1;
    var days = Object.keys(studied).map(Number).sort(function (a, b) { return a - b; });
    var longest = 0;
    var run = 0;
    days.forEach(function (ago, i) {
      run = i > 0 && ago === days[i - 1] + 1 ? run + 1 : 1;
      longest = Math.max(longest, run);
    });
    return { current: current, longest: longest };
  }

  // ---- drawing -----------------------------------------------------------------------------

  var SVG = "http://www.w3.org/2000/svg";

  function svgElement(name, attributes) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) {
      element.setAttribute(key, String(attributes[key]));
    });
    return element;
  }

  /** An SVG chart, `width` by `height` units, summed up for screen readers by `label`. */
  function chart(width, height, label) {
    return svgElement("svg", {
      viewBox: "0 0 " + width + " " + height,
      role: "img",
      "aria-label": label,
      "class": "chart",
      focusable: "false"
    });
  }

  /** Adds a mark (a rect, say) to `parent` with a <title> telling its number. */
  function mark(parent, name, attributes, title) {
    var element = svgElement(name, attributes);
    var tooltip = svgElement("title");
    tooltip.textContent = title;
    element.appendChild(tooltip);
    parent.appendChild(element);
    return element;
  }

  function label(parent, x, y, text, attributes) {
    var element = svgElement("text", Object.assign({ x: x, y: y, "class": "chart-label" },
      attributes || {}));
    element.textContent = text;
    parent.appendChild(element);
    return element;
  }

  /** Replaces a table body's rows with `rows`, each a list of cells (a string or a node). */
  function fillTable(tbody, rows) {
    tbody.textContent = "";
    rows.forEach(function (cells) {
      var tr = document.createElement("tr");
      cells.forEach(function (cell, i) {
        var td = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) td.scope = "row";
        td.appendChild(typeof cell === "string" ? document.createTextNode(cell) : cell);
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
  }

  function timeElement(dateTime, text) {
    var time = document.createElement("time");
    time.dateTime = dateTime;
    time.textContent = text;
    return time;
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function place(slot, svg) {
    slot.textContent = "";
    slot.appendChild(svg);
  }

  /** Heat level 0 to 4 of `count` against the busiest day. */
  function level(count, most) {
    return count === 0 ? 0 : Math.max(1, Math.ceil(count / most * 4));
  }

  function drawHeatmap(section, map) {
    var cell = 10, step = 12, left = 30, top = 16;
    var most = map.days.reduce(function (m, d) { return Math.max(m, d.count); }, 0);
    var busiest = map.days.filter(function (d) { return most > 0 && d.count === most; })[0];
    var summary = plural(map.totals.reviews, "review") + " on " + plural(map.totals.days, "day") +
      " in the last year" + (busiest ? "; most in one day: " + most + ", on " +
      longDay(new Date(busiest.date + "T12:00")) : "") + ".";
    var svg = chart(left + WEEKS * step, top + 7 * step, "Reviews per day: " + summary);
    [1, 3, 5].forEach(function (weekday) {
      label(svg, 0, top + weekday * step + cell - 1, WEEKDAYS[weekday].slice(0, 3));
    });
    var lastMonth = null;
    map.days.forEach(function (d) {
      var date = new Date(d.date + "T12:00");
      // A month is named over its first Sunday's column, so the partial month the year starts
      // in, whose name would sit on the next one's, goes unnamed.
      if (d.weekday === 0 && date.getDate() <= 7 && date.getMonth() !== lastMonth &&
          d.week < WEEKS - 2) {
        label(svg, left + d.week * step, top - 5, MONTHS[date.getMonth()].slice(0, 3));
        lastMonth = date.getMonth();
      }
      mark(svg, "rect", {
        x: left + d.week * step,
        y: top + d.weekday * step,
        width: cell,
        height: cell,
        rx: 2,
        "class": "heat heat-" + level(d.count, most)
      }, longDay(date) + ": " + plural(d.count, "review"));
    });
    var slot = section.querySelector("[data-chart]");
    place(slot, svg);
    // The newest weeks are the ones to see first where the chart is wider than the screen.
    slot.scrollLeft = slot.scrollWidth;
    section.querySelector("[data-summary]").textContent = summary;
    fillTable(section.querySelector("tbody"), map.months.map(function (m) {
      return [timeElement(m.key, m.label), String(m.reviews), String(m.days)];
    }));
    section.querySelector("[data-total=reviews]").textContent = String(map.totals.reviews);
    section.querySelector("[data-total=days]").textContent = String(map.totals.days);
  }

  function drawForecast(section, due, now) {
    var bar = 8, step = 11, left = 4, top = 18, height = 100, bottom = 20;
    var most = due.days.reduce(function (m, d) { return Math.max(m, d.count); }, 0);
    var summary = plural(due.total, "review") + " due in the next 30 days" +
      (due.overdue > 0 ? ", " + due.overdue + " of them overdue (counted today)" : "") +
      "; " + due.days[0].count + " today.";
    var svg = chart(left + FORECAST_DAYS * step, top + height + bottom, "Due forecast: " + summary);
    label(svg, left, 11, most > 0 ? "Most in a day: " + most : "Nothing due");
    svg.appendChild(svgElement("line", {
      x1: left, x2: left + FORECAST_DAYS * step, y1: top + height, y2: top + height,
      "class": "chart-axis"
    }));
    due.days.forEach(function (d) {
      var date = localDay(now, d.offset);
      var h = most > 0 ? Math.max(d.count > 0 ? 2 : 0, Math.round(d.count / most * height)) : 0;
      var when = d.offset === 0 ? "Today" : d.offset === 1 ? "Tomorrow" : longDay(date);
      var extra = d.offset === 0 && due.overdue > 0 ? " (" + due.overdue + " overdue)" : "";
      mark(svg, "rect", {
        x: left + d.offset * step,
        y: top + height - h,
        width: bar,
        height: Math.max(h, 0.01),
        "class": "bar" + (d.offset === 0 && due.overdue > 0 ? " bar-overdue" : "")
      }, when + ": " + d.count + " due" + extra);
      if (d.offset % 7 === 0) {
        label(svg, left + d.offset * step + (d.offset === 0 ? 0 : bar / 2), top + height + 15,
          d.offset === 0 ? "Today" : shortDay(date),
          { "text-anchor": d.offset === 0 ? "start" : "middle" });
      }
    });
    place(section.querySelector("[data-chart]"), svg);
    section.querySelector("[data-summary]").textContent = summary;
    fillTable(section.querySelector("tbody"), due.days.map(function (d) {
      var date = localDay(now, d.offset);
      var name = d.offset === 0 ? "Today" : d.offset === 1 ? "Tomorrow" : shortDay(date);
      var count = String(d.count) + (d.offset === 0 && due.overdue > 0 ?
        " (" + due.overdue + " overdue)" : "");
      return [timeElement(d.date, name), count];
    }));
  }

  function percentText(p) {
    return p === null ? "no reviews" : p + "%";
  }

  function drawRetention(section, kept) {
    var none = kept.windows[2].reviews === 0;
    section.querySelector("[data-retention-none]").hidden = !none;
    section.querySelector("[data-retention-shown]").hidden = none;
    if (none) return;
    var left = 92, width = 180, row = 26;
    var summary = "Mature questions recalled: " + kept.windows.map(function (w) {
      return w.label.toLowerCase() + " " + percentText(w.percent) +
        (w.reviews > 0 ? " (" + w.passed + " of " + w.reviews + ")" : "");
    }).join(", ") + ".";
    var svg = chart(left + width + 48, kept.windows.length * row, summary);
    kept.windows.forEach(function (w, i) {
      var y = i * row + 4;
      label(svg, 0, y + 13, w.label);
      svg.appendChild(svgElement("rect", {
        x: left, y: y, width: width, height: 16, rx: 3, "class": "bar-track"
      }));
      mark(svg, "rect", {
        x: left, y: y, width: w.percent === null ? 0 : w.percent / 100 * width, height: 16, rx: 3,
        "class": "bar"
      }, w.label + ": " + percentText(w.percent) + ", " + w.passed + " of " +
        plural(w.reviews, "review") + " passed");
      label(svg, left + width + 6, y + 13, percentText(w.percent));
    });
    place(section.querySelector("[data-chart]"), svg);
    fillTable(section.querySelector("tbody"), kept.windows.map(function (w) {
      return [w.label, String(w.reviews), String(w.passed),
        w.percent === null ? "–" : w.percent + "%"];
    }));
  }

  /** Width and row height of stacked bars, in SVG units; templates/stats.html sizes the
   * per-category chart's placeholder with them, so drawing it moves nothing on the page. */
  var BARS_WIDTH = 320, BARS_ROW = 38;

  /**
   * Horizontal stacked bars, one per row: `parts` name each segment's field, class and words.
   */
  function stackedBars(rows, parts, rowLabel, summary) {
    var width = BARS_WIDTH, bar = 14, row = BARS_ROW;
    var svg = chart(width, Math.max(rows.length, 1) * row, summary);
    rows.forEach(function (r, i) {
      var y = i * row;
      label(svg, 0, y + 12, rowLabel(r));
      var total = parts.reduce(function (sum, p) { return sum + r[p.field]; }, 0);
      if (total === 0) {
        mark(svg, "rect", { x: 0, y: y + 18, width: width, height: bar, rx: 3, "class": "bar-track" },
          rowLabel(r) + ": nothing yet");
        return;
      }
      var x = 0;
      parts.forEach(function (p) {
        var w = r[p.field] / total * width;
        if (w > 0) {
          mark(svg, "rect", { x: x, y: y + 18, width: w, height: bar, "class": p.className },
            rowLabel(r) + ": " + r[p.field] + " " + p.words);
        }
        x += w;
      });
    });
    return svg;
  }

  var STATUS_PARTS = [
    { field: "known", className: "part-known", words: "known" },
    { field: "review", className: "part-review", words: "to review" },
    { field: "unseen", className: "part-unseen", words: "unseen" }
  ];

  function drawCategories(section, bars) {
    var summary = "Questions per category: " + bars.map(function (b) {
      return b.title + ", " + b.known + " known, " + b.review + " to review, " + b.unseen +
        " unseen of " + b.total;
    }).join("; ") + ".";
    place(section.querySelector("[data-chart]"),
      stackedBars(bars, STATUS_PARTS, function (b) { return b.title; }, summary));
    var rows = section.querySelectorAll("tbody tr[data-category]");
    bars.forEach(function (b, i) {
      var cells = rows[i].querySelectorAll("td");
      cells[0].textContent = String(b.known);
      cells[1].textContent = String(b.review);
      cells[2].textContent = String(b.unseen);
    });
  }

  var GRADE_PARTS = [
    { field: "solid", className: "part-solid", words: "solid" },
    { field: "partial", className: "part-partial", words: "partial" },
    { field: "missed", className: "part-missed", words: "missed" }
  ];

  function startedText(row) {
    return row.started === null ? "not recorded" : longDay(new Date(row.started));
  }

  /** "Nov 30, 2026": short enough for a table's first column on a phone. */
  function mediumDay(date) {
    return shortDay(date) + ", " + date.getFullYear();
  }

  function drawMocks(section, history) {
    var none = history.length === 0;
    section.querySelector("[data-mocks-none]").hidden = !none;
    section.querySelector("[data-mocks-shown]").hidden = none;
    if (none) return;
    var shown = history.slice(0, 10);
    var summary = "Grades of the " + (history.length > shown.length ? shown.length + " newest of " : "") +
      plural(history.length, "mock interview") + ", newest first: " + shown.map(function (r) {
        return startedText(r) + ", " + r.solid + " solid, " + r.partial + " partial, " +
          r.missed + " missed";
      }).join("; ") + ".";
    place(section.querySelector("[data-chart]"),
      stackedBars(shown, GRADE_PARTS, startedText, summary));
    fillTable(section.querySelector("tbody"), history.map(function (r) {
      var date = r.started === null ? "not recorded" :
        timeElement(isoDate(new Date(r.started)), mediumDay(new Date(r.started)));
      return [
        date,
        r.total === null ? String(r.graded) : r.graded + " of " + r.total,
        r.solid + " solid, " + r.partial + " partial, " + r.missed + " missed",
        link(r.path, "Results")
      ];
    }));
  }

  function drawStreak(section, streak, shown) {
    section.querySelector("[data-streak-show]").checked = shown;
    section.querySelector("[data-streak]").hidden = !shown;
    section.querySelector("[data-streak-current]").textContent = plural(streak.current, "day");
    section.querySelector("[data-streak-longest]").textContent = plural(streak.longest, "day");
  }

  /** The keys of every mock interview kept in this browser. */
  function mockKeys() {
    var keys = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(MOCK_PREFIX) === 0) keys.push(key);
      }
    } catch (e) {
      // Storage switched off: no interviews to list.
    }
    return keys;
  }

  /** The categories the server listed, from the per-category table's rows. */
  function listedCategories(root) {
    return Array.prototype.map.call(root.querySelectorAll("tr[data-category]"), function (tr) {
      var ids = (tr.dataset.ids || "").split(" ").filter(function (id) { return id !== ""; });
      return { title: tr.querySelector("th a").textContent.trim(), slug: tr.dataset.category, ids: ids };
    });
  }

  /**
   * Draws the statistics into `root` (the page's [data-stats]) and redraws them when another
   * tab changes the stores. `deps`: `entries(name)` (a store's valid entries), `load(key,
   * fallback)`, `save(key, value)`, and optionally `dueOf(id, state)`.
   */
  function setUp(root, deps) {
    if (!SRS) return null;
    var sections = {};
    root.querySelectorAll("[data-stats-section]").forEach(function (s) {
      sections[s.dataset.statsSection] = s;
    });
    var categories = listedCategories(root);

    function render() {
      var now = Date.now();
      var reviews = reviewsOf(deps.entries("log"));
      var states = deps.entries("review");
      var started = reviews.length > 0 || Object.keys(states).length > 0;
      root.querySelector("[data-stats-empty]").hidden = started;
      ["activity", "forecast", "retention", "streak"].forEach(function (name) {
        sections[name].hidden = !started;
      });
      if (started) {
        drawHeatmap(sections.activity, heatmap(reviews, now));
        drawForecast(sections.forecast, forecast(states, now, deps.dueOf || null), now);
        drawRetention(sections.retention, retention(reviews, now));
        drawStreak(sections.streak, streaks(reviews, now),
          readSettings(deps.load(SETTINGS_KEY, null)).streak);
      }
      drawCategories(sections.categories, categoryBars(categories, deps.entries("progress")));
      drawMocks(sections.mocks, mockHistory(mockKeys().map(function (key) {
        return { code: key.slice(MOCK_PREFIX.length), value: deps.load(key, null) };
      })));
    }

    sections.streak.querySelector("[data-streak-show]").addEventListener("change", function (e) {
      var shown = e.target.checked;
      deps.save(SETTINGS_KEY, withStreak(deps.load(SETTINGS_KEY, null), shown, Date.now()));
      sections.streak.querySelector("[data-streak]").hidden = !shown;
    });
    window.addEventListener("storage", function (event) {
      if (!event.key || /^drillbook:(log|review|progress|settings|mock:.*)$/.test(event.key)) {
        render();
      }
    });
    render();
    return render;
  }

  return Object.freeze({
    WEEKS: WEEKS,
    FORECAST_DAYS: FORECAST_DAYS,
    MATURE_DAYS: MATURE_DAYS,
    daysAgo: daysAgo,
    reviewsOf: reviewsOf,
    readSettings: readSettings,
    withStreak: withStreak,
    heatmap: heatmap,
    forecast: forecast,
    retention: retention,
    categoryBars: categoryBars,
    mockHistory: mockHistory,
    streaks: streaks,
    setUp: setUp
  });
});
