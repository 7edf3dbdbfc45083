// drillbook: small enhancements over pages that already work without script.
// Progress lives only in this browser (localStorage); the server never sees it.
"use strict";

(function () {
  /** The review scheduler (static/srs.js, loaded first); without it grading stays hidden. */
  var SRS = window.DrillbookSRS || null;
  /** Answer first, then compare (static/answer.js, loaded first); without it the box stays hidden. */
  var ANSWERS = window.DrillbookAnswers || null;
  /** Pair practice's pages (static/scorecard.js, loaded first). */
  var SCORECARD = window.DrillbookScorecard || null;
  /** The study plan's rules (static/plan.js, loaded first); without it no page shows a plan. */
  var PLAN = window.DrillbookPlan || null;
  /** Moving progress in a link (static/transfer.js and its QR encoder, on the about page only). */
  var TRANSFER = window.DrillbookTransfer || null;
  /** Keeping it: persistence, backups, merges, failed writes (static/storage.js, loaded first). */
  var STORAGE = window.DrillbookStorage || null;
  /** The statistics' charts (static/stats.js, on /stats only). */
  var STATS = window.DrillbookStats || null;

  // ---- storage -----------------------------------------------------------------------------

  /** Reads a JSON value from localStorage; storage may be full, disabled or hold junk. */
  function load(key, fallback) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) {
      return fallback;
    }
  }

  /** What the browser threw at the last write that failed, for the sentence the page shows. */
  var lastWriteError = null;

  /**
   * Writes a JSON value; says whether it was kept. A key is one whole entry map, so a write
   * either replaces it whole or leaves it as it was.
   */
  function save(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      // Private mode or a full store: the page still works, it says so where the person acted.
      lastWriteError = e;
      return false;
    }
    if (PROGRESS_KEYS.test(key)) keepStorage();
    return true;
  }

  /**
   * Writes several keys as one change: either all are kept, or each is put back as it was (a
   * grade is a review date, a log entry and a mark, and half of it would disagree with itself).
   */
  function saveAll(pairs) {
    var before = [];
    var kept = pairs.every(function (pair) {
      try {
        before.push([pair[0], window.localStorage.getItem(pair[0])]);
      } catch (e) {
        lastWriteError = e;
        return false;
      }
      return save(pair[0], pair[1]);
    });
    if (kept) return true;
    before.forEach(function (pair) {
      try {
        if (pair[1] === null) window.localStorage.removeItem(pair[0]);
        else window.localStorage.setItem(pair[0], pair[1]);
      } catch (e) {
        // The old text was stored before, so it fits again; nothing else can be done.
      }
    });
    return false;
  }

  /** The sentence for a write that failed, shown where the person acted. */
  function notSaved() {
    return STORAGE ? STORAGE.notSavedText(lastWriteError) :
      "Not saved: this browser's storage is full or turned off.";
  }

  function forget(key) {
    try {
      window.localStorage.removeItem(key);
    } catch (e) {
      // Nothing to do.
    }
  }

  /** The keys that hold what a person built here; a change to one in another tab redraws. */
  var PROGRESS_KEYS = /^drillbook:(progress|saved|review|notes|answers|log|plan)$/;
  var persistAsked = false;

  /**
   * Asks the browser, once a page and at most daily, to keep the site's storage: called when
   * something a person made is first saved, the moment losing it starts to matter (asking on
   * load would ask people who only read, and Firefox asks them in a prompt).
   */
  function keepStorage() {
    if (persistAsked || !STORAGE) return;
    persistAsked = true;
    STORAGE.askToPersist(navigator.storage,
      STORAGE.askedIn(function () { return window.localStorage; }), Date.now()).then(function () {
      if (renderStorageState) renderStorageState();
    });
  }

  // ---- shared helpers ----------------------------------------------------------------------

  /** 75 -> "1:15". */
  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    var rest = s % 60;
    return Math.floor(s / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  /**
   * Shows `left` seconds on a question's timer (its .timer-label and .timer-value): the time
   * left, or the overtime once it is up, with a warning in the last 30 seconds; `paused` says so
   * in the label.
   */
  function showCountdown(timer, left, paused) {
    timer.querySelector(".timer-label").textContent = left <= 0 ? "Time is up: overtime" :
      paused ? "Time left (paused)" : "Time left";
    timer.querySelector(".timer-value").textContent =
      left > 0 ? clock(Math.ceil(left)) : "+" + clock(-left);
    timer.classList.toggle("timer-warning", left > 0 && left <= 30);
    timer.classList.toggle("timer-over", left <= 0);
  }

  /** Whether a key press is typing into a field (or a browser shortcut), not meant for us. */
  function isTyping(event) {
    var t = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return true;
    if (!t || !t.tagName) return false;
    if (t.isContentEditable || /^(TEXTAREA|SELECT)$/.test(t.tagName)) return true;
    return t.tagName === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/.test(t.type);
  }

  /** Whether Space already does something on the focused element (press, toggle, scroll to). */
  function spaceIsTaken(event) {
    var t = event.target;
    return !!t && /^(A|BUTTON|SUMMARY|INPUT|SELECT|TEXTAREA)$/.test(t.tagName);
  }

  // ---- copy-link buttons -------------------------------------------------------------------

  function setUpCopyLinks() {
    if (!navigator.clipboard || !window.isSecureContext) return;
    document.querySelectorAll("button.copy-link[data-copy]").forEach(function (button) {
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.dataset.copy).then(
          function () { button.textContent = "Link copied"; },
          function () { button.textContent = "Copy failed: select the link instead"; }
        );
        setTimeout(function () { button.textContent = label; }, 2500);
      });
    });
  }

  // ---- keyboard --------------------------------------------------------------------------

  /** The page's shortcuts, in the order the help panel lists them. */
  var bindings = [];

  /**
   * Registers a shortcut. `run` may return false to let the key through (Space on a button,
   * say).
   */
  function bindKey(keys, label, description, run) {
    bindings.push({ keys: keys, label: label, description: description, run: run });
  }

  var helpPanel = null;

  /** The panel listing this page's shortcuts, built the first time "?" is pressed. */
  function keyHelp() {
    if (helpPanel) return helpPanel;
    var panel = document.createElement("section");
    panel.className = "key-help";
    panel.hidden = true;
    panel.setAttribute("aria-labelledby", "key-help-title");
    var heading = document.createElement("h2");
    heading.id = "key-help-title";
    heading.textContent = "Keyboard shortcuts";
    panel.appendChild(heading);
    var list = document.createElement("dl");
    bindings.concat([{ label: "Esc", description: "close this list" }]).forEach(function (b) {
      var dt = document.createElement("dt");
      dt.textContent = b.label;
      var dd = document.createElement("dd");
      dd.textContent = b.description;
      list.appendChild(dt);
      list.appendChild(dd);
    });
    panel.appendChild(list);
    var more = document.createElement("p");
    var link = document.createElement("a");
    link.href = "/about#shortcuts";
    link.textContent = "All shortcuts";
    more.appendChild(link);
    panel.appendChild(more);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "button";
    close.textContent = "Close";
    panel.appendChild(close);
    document.body.appendChild(panel);
    var returnTo = null;
    helpPanel = {
      toggle: function () {
        if (panel.hidden) {
          returnTo = document.activeElement;
          panel.hidden = false;
          close.focus();
        } else {
          helpPanel.hide();
        }
      },
      hide: function () {
        if (panel.hidden) return;
        panel.hidden = true;
        if (returnTo && returnTo.focus) returnTo.focus();
      }
    };
    close.addEventListener("click", helpPanel.hide);
    return helpPanel;
  }

  /** Whether an arrow key belongs to the element it was pressed in (a scrolled code block). */
  function arrowIsTaken(event) {
    var t = event.target;
    return !!(t && t.closest && t.closest("pre, table, .table-wrap, details.item-answer[open]"));
  }

  function setUpKeyboard() {
    var search = document.getElementById("site-search");
    if (search) {
      bindKey(["/"], "/", "focus the search box", function () {
        search.focus();
        search.select();
      });
    }
    bindKey(["?"], "?", "show or hide this list", function () {
      keyHelp().toggle();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        if (helpPanel) helpPanel.hide();
        return;
      }
      if (isTyping(event)) return;
      if (/^Arrow/.test(event.key) && arrowIsTaken(event)) return;
      for (var i = 0; i < bindings.length; i++) {
        if (bindings[i].keys.indexOf(event.key) !== -1) {
          if (bindings[i].run(event) !== false) event.preventDefault();
          return;
        }
      }
    });
  }

  // ---- progress, saved questions, review schedule and notes --------------------------------
  //
  // Maps keyed by question id, each entry stamped with the time it last changed so that
  // importing progress from another browser can keep the newer of two entries:
  //   progress: { "12": { status: "known" | "review" | "unseen", at: ms } }
  //   saved:    { "12": { saved: true | false, at: ms, title: "...", path: "/questions/12/..." } }
  //   review:   { "12": { stability, difficulty, due: ms, last: ms, reps, lapses, at: ms } },
  //             the question's memory state as srs.js schedules it from the grades given
  //   notes:    { "12": { text: "...", at: ms } }
  //   answers:  { "12": { attempts: [...], at: ms } }, the typed answers, ticks and grades of
  //             the last attempts at the question (static/answer.js; recordings are not here)
  //   log:      { "12": { reviews: [[ms, grade, days], ...], at: ms } }, every review of the
  //             question, oldest first: when, the grade (1 to 4) and the interval in whole days
  //             it had been scheduled for before that review (0 when new or learning), which
  //             says whether the question was mature; the statistics are drawn from it
  // Entries are kept (as "unseen", saved: false or an empty note) rather than deleted, so an
  // import cannot bring back a mark that was taken off later.

  var STORES = {
    progress: {
      key: "drillbook:progress",
      valid: function (e) {
        return /^(known|review|unseen)$/.test(e.status);
      }
    },
    saved: {
      key: "drillbook:saved",
      valid: function (e) {
        return typeof e.saved === "boolean" && typeof e.title === "string" &&
          typeof e.path === "string" && /^\/questions\/\d+(\/[a-z0-9-]*)?$/.test(e.path);
      }
    },
    review: {
      key: "drillbook:review",
      valid: function (e) {
        // Without the scheduler an entry cannot be judged; keeping it loses nothing.
        return SRS ? SRS.readState(e) !== null : true;
      }
    },
    notes: {
      key: "drillbook:notes",
      valid: function (e) {
        return typeof e.text === "string" && e.text.length <= NOTE_LIMIT;
      }
    },
    answers: {
      key: "drillbook:answers",
      valid: function (e) {
        return ANSWERS ? ANSWERS.validEntry(e) : true;
      }
    },
    log: {
      key: "drillbook:log",
      valid: function (e) {
        return isReviewLog(e.reviews);
      },
      // Two browsers' logs of one question are both true: an import keeps every review of each.
      merge: function (mine, theirs) {
        var seen = {};
        var reviews = mine.reviews.concat(theirs.reviews).filter(function (r) {
          if (seen[r[0]]) return false;
          seen[r[0]] = true;
          return true;
        }).sort(function (a, b) { return a[0] - b[0]; });
        return { reviews: reviews.slice(-LOG_LIMIT), at: Math.max(mine.at, theirs.at) };
      }
    }
  };
  // Files exported before the review and notes stores existed hold only progress and saved;
  // importing one leaves those two stores as they are, so the format stays at version 1.
  var EXPORT_FORMAT = "drillbook-progress";
  /** Longest note kept, in characters: a page of text, far below what localStorage holds. */
  var NOTE_LIMIT = 20000;
  /** Reviews kept per question: years of daily practice, a few kilobytes. */
  var LOG_LIMIT = 1000;

  /** Whether `reviews` is a review log as `log` entries hold it: [ms, grade, days] triples. */
  function isReviewLog(reviews) {
    return Array.isArray(reviews) && reviews.length <= LOG_LIMIT && reviews.every(function (r) {
      return Array.isArray(r) && r.length === 3 && isFinite(r[0]) && r[1] >= 1 && r[1] <= 4 &&
        r[1] % 1 === 0 && r[2] >= 0 && r[2] % 1 === 0;
    });
  }

  /** The typed attempts, as static/answer.js reads and writes them. */
  var answerStore = {
    read: function () { return entries("answers"); },
    write: function (all) { return save(STORES.answers.key, all); }
  };

  /** A store's entries, without any that are malformed. */
  function entries(name) {
    var store = STORES[name];
    var raw = load(store.key, {});
    var clean = {};
    if (!raw || typeof raw !== "object") return clean;
    Object.keys(raw).forEach(function (id) {
      var e = raw[id];
      if (/^\d+$/.test(id) && e && typeof e === "object" && isFinite(e.at) && store.valid(e)) {
        clean[id] = e;
      }
    });
    return clean;
  }

  function statusOf(id) {
    var e = entries("progress")[id];
    return e ? e.status : "unseen";
  }

  /** Marks question `id`; says whether the mark was kept. */
  function setStatus(id, status) {
    var all = entries("progress");
    all[id] = { status: status, at: Date.now() };
    return save(STORES.progress.key, all);
  }

  function isSaved(id) {
    var e = entries("saved")[id];
    return !!(e && e.saved);
  }

  /** Saves question `id` or takes it off the saved list; says whether that was kept. */
  function setSaved(id, saved, title, path) {
    var all = entries("saved");
    all[id] = { saved: saved, at: Date.now(), title: title, path: path };
    return save(STORES.saved.key, all);
  }

  var STATUS_TEXT = { known: "Known", review: "To review" };
  var STATUS_MARK = { known: "✓", review: "↻" };

  /** Marks every listed question with its status, in a gutter the stylesheet reserves. */
  function markListedQuestions() {
    var progress = entries("progress");
    document.querySelectorAll(".question-item[data-question-id]").forEach(function (item) {
      var e = progress[item.dataset.questionId];
      var status = e ? e.status : "unseen";
      item.dataset.status = status;
      var mark = item.querySelector(".status-mark");
      if (!mark) {
        mark = document.createElement("span");
        mark.className = "status-mark";
        mark.innerHTML = '<span aria-hidden="true"></span><span class="visually-hidden"></span>';
        item.insertBefore(mark, item.firstChild);
      }
      mark.firstChild.textContent = STATUS_MARK[status] || "";
      mark.lastChild.textContent = STATUS_TEXT[status] ? STATUS_TEXT[status] + ": " : "";
    });
  }

  function fill(root, name, value) {
    var slot = root.querySelector('[data-count="' + name + '"]');
    if (slot) slot.textContent = String(value);
  }

  /** Fills in the counts that pages show: whole bank, this list, each category card. */
  function showCounts() {
    var progress = entries("progress");
    var saved = entries("saved");
    var count = function (ids, status) {
      return ids.filter(function (id) {
        return progress[id] && progress[id].status === status;
      }).length;
    };
    var everyId = Object.keys(progress);
    document.querySelectorAll("[data-progress-summary]").forEach(function (summary) {
      fill(summary, "known", count(everyId, "known"));
      fill(summary, "review", count(everyId, "review"));
      fill(summary, "saved", Object.keys(saved).filter(function (id) {
        return saved[id].saved;
      }).length);
    });
    var listed = Array.prototype.map.call(
      document.querySelectorAll(".question-item[data-question-id]"),
      function (item) { return item.dataset.questionId; }
    );
    document.querySelectorAll("[data-list-progress]").forEach(function (summary) {
      var known = count(listed, "known");
      var review = count(listed, "review");
      fill(summary, "known", known);
      fill(summary, "review", review);
      fill(summary, "unseen", listed.length - known - review);
    });
    document.querySelectorAll("[data-progress-ids]").forEach(function (card) {
      fill(card, "known", count(card.dataset.progressIds.split(" "), "known"));
    });
  }

  /** "Mark as known", "Review again" and "Save" under a question's answer. */
  function setUpQuestionActions(article) {
    var id = article.dataset.questionId;
    var path = article.dataset.questionPath;
    var title = article.querySelector("h1").textContent.trim();
    var note = article.querySelector("[data-action-status]");
    var markButtons = article.querySelectorAll("button[data-mark]");
    var saveButton = article.querySelector("button[data-save]");

    function render() {
      var status = statusOf(id);
      markButtons.forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.dataset.mark === status));
      });
      var saved = isSaved(id);
      saveButton.setAttribute("aria-pressed", String(saved));
      saveButton.textContent = saved ? "Saved" : "Save";
    }

    markButtons.forEach(function (button) {
      button.addEventListener("click", function () {
        var undo = statusOf(id) === button.dataset.mark;
        if (!setStatus(id, undo ? "unseen" : button.dataset.mark)) {
          note.textContent = notSaved();
        } else {
          note.textContent = undo ? "Mark removed." :
            button.dataset.mark === "known" ? "Marked as known." : "Marked to review again.";
        }
        render();
      });
    });
    saveButton.addEventListener("click", function () {
      var saved = !isSaved(id);
      if (!setSaved(id, saved, title, path)) {
        note.textContent = notSaved();
      } else {
        note.textContent = saved ? "Saved: see Saved in the menu." : "Removed from saved questions.";
      }
      render();
    });
    render();
    return render;
  }

  /** The /saved page: the saved questions, newest first, each with a way to remove it. */
  function setUpSavedList(list) {
    var empty = document.querySelector("[data-saved-empty]");
    var message = document.querySelector("[data-saved-message]");
    function render() {
      var saved = entries("saved");
      var ids = Object.keys(saved)
        .filter(function (id) { return saved[id].saved; })
        .sort(function (a, b) { return saved[b].at - saved[a].at; });
      list.textContent = "";
      ids.forEach(function (id) {
        var item = document.createElement("li");
        item.className = "question-item";
        item.dataset.questionId = id;
        var link = document.createElement("a");
        link.className = "question-link";
        link.href = saved[id].path;
        link.textContent = saved[id].title;
        item.appendChild(link);
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "button button-small";
        remove.textContent = "Remove";
        remove.setAttribute("aria-label", "Remove " + saved[id].title);
        remove.addEventListener("click", function () {
          var kept = setSaved(id, false, saved[id].title, saved[id].path);
          message.textContent = kept ? "Removed " + saved[id].title + "." : notSaved();
          render();
        });
        item.appendChild(document.createTextNode(" "));
        item.appendChild(remove);
        list.appendChild(item);
      });
      empty.hidden = ids.length > 0;
      markListedQuestions();
    }
    render();
    return render;
  }

  // ---- review schedule and notes -----------------------------------------------------------
  //
  // Grading a question (Again, Hard, Good, Easy) hands its memory state to srs.js, which works
  // out when it is next due. A grade also sets the question's progress mark, so that lists,
  // counts and the schedule agree: Good and Easy mark it known, Again and Hard to review.

  var GRADE_NAMES = [null, "Again", "Hard", "Good", "Easy"];

  /**
   * Grades question `id` now from its state `before` (null if never graded): re-grading on one
   * visit passes the same `before`, so a corrected grade replaces the first rather than counting
   * as a second review. Returns the new state.
   */
  function gradeQuestion(id, grade, before) {
    var now = Date.now();
    var state = SRS.schedule(before, grade, now);
    state.at = now;
    var all = entries("review");
    all[id] = state;
    var marks = entries("progress");
    marks[id] = { status: grade >= 3 ? "known" : "review", at: now };
    var kept = saveAll([
      [STORES.review.key, all],
      [STORES.log.key, withReview(id, grade, before, now)],
      [STORES.progress.key, marks]
    ]);
    return kept ? state : null;
  }

  /**
   * The review logs with a review of question `id` added. A corrected grade replaces the one it
   * corrects: the reviews logged after `before` was made are this visit's own.
   */
  function withReview(id, grade, before, now) {
    var logs = entries("log");
    var since = before ? before.last : -Infinity;
    var reviews = (logs[id] ? logs[id].reviews : []).filter(function (r) { return r[0] <= since; });
    var days = before ? Math.round((before.due - before.last) / SRS.DAY_MS) : 0;
    reviews.push([now, grade, days]);
    logs[id] = { reviews: reviews.slice(-LOG_LIMIT), at: now };
    return logs;
  }

  /**
   * When each graded question is due, as { id: { due, pulled } }: its own date, or earlier when
   * the study plan followed here brings it forward to the interview (static/plan.js).
   */
  function dueTimes(plan) {
    var review = entries("review");
    var now = Date.now();
    var times = {};
    Object.keys(review).forEach(function (id) {
      times[id] = PLAN ? PLAN.dueUnder(plan, id, review[id], now) :
        { due: review[id].due, pulled: false };
    });
    return times;
  }

  /** Ids of the questions due today, soonest first; only those in `known` when it is given. */
  function dueIds(known) {
    var times = dueTimes(activePlan());
    var end = SRS.endOfDay(Date.now());
    return Object.keys(times)
      .filter(function (id) { return (!known || known[id]) && times[id].due <= end; })
      .sort(function (a, b) { return times[a].due - times[b].due || a - b; });
  }

  /** "today", "tomorrow" or "in 3 days", counted in calendar days. */
  function whenText(due, now) {
    var days = SRS.daysBetween(now, due);
    if (days <= 0) return "today";
    return days === 1 ? "tomorrow" : "in " + days + " days";
  }

  /** A <time> for a day ("Thursday, March 13" in the reader's locale; the year if not this one). */
  function dayElement(ms) {
    var date = new Date(ms);
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    var options = { weekday: "long", month: "long", day: "numeric" };
    if (date.getFullYear() !== new Date().getFullYear()) options.year = "numeric";
    var time = document.createElement("time");
    time.dateTime = date.getFullYear() + "-" + two(date.getMonth() + 1) + "-" + two(date.getDate());
    time.textContent = date.toLocaleDateString(undefined, options);
    return time;
  }

  /** Replaces an element's content with text and elements, in order. */
  function compose(element, parts) {
    element.textContent = "";
    parts.forEach(function (part) {
      element.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
    });
  }

  /**
   * Again / Hard / Good / Easy under a question's answer, and keys 1 to 4. Opened from the
   * review queue (#review in the URL), it then says how many are left and links to the next.
   */
  function setUpGrading(article, afterGrading, answering) {
    var group = article.querySelector("[data-grade]");
    if (!group) return;
    if (!SRS) {
      group.hidden = true;
      return;
    }
    var id = article.dataset.questionId;
    var buttons = group.querySelectorAll("button[data-grade]");
    var status = group.querySelector("[data-grade-status]");
    var step = group.querySelector("[data-review-step]");
    var reviewing = window.location.hash === "#review";
    var planning = window.location.hash === "#plan" && !!PLAN;
    var before = entries("review")[id] || null;

    function showStep(graded) {
      var left = dueIds().length;
      var link = document.createElement("a");
      if (!graded) {
        compose(step, ["Review: " + left + " due today."]);
      } else if (left > 0) {
        link.href = "/review#next";
        link.className = "button primary";
        link.textContent = "Next due question";
        compose(step, [left + " left today. ", link]);
      } else {
        link.href = "/review";
        link.textContent = "Back to the review queue";
        compose(step, ["That was the last one due today. ", link]);
      }
      step.hidden = false;
      return link;
    }

    function grade(value) {
      var state = gradeQuestion(id, value, before);
      if (!state) {
        compose(status, [notSaved()]);
        return;
      }
      written = state;
      var now = Date.now();
      if (answering) answering.graded(GRADE_NAMES[value]);
      buttons.forEach(function (button) {
        button.setAttribute("aria-pressed", String(Number(button.dataset.grade) === value));
      });
      compose(status, [
        GRADE_NAMES[value] + ". Next review: " + whenText(state.due, now) + ", ",
        dayElement(state.due),
        "."
      ]);
      if (reviewing) showStep(true).focus();
      if (planning) {
        var next = showPlanStep(step, true);
        if (next) next.focus();
      }
      afterGrading();
    }

    buttons.forEach(function (button) {
      button.addEventListener("click", function () { grade(Number(button.dataset.grade)); });
    });
    bindKey(["1", "2", "3", "4"], "1 to 4", "grade your answer: Again, Hard, Good, Easy",
      function (event) { grade(Number(event.key)); });

    /** Says when the question is due, as `state` (graded before, here or elsewhere) has it. */
    function showScheduled(state, prefix) {
      var now = Date.now();
      if (SRS.isDue(state, now)) {
        compose(status, [prefix + "Due for review today."]);
      } else {
        compose(status, [
          prefix + "Next review: " + whenText(state.due, now) + ", ", dayElement(state.due), "."
        ]);
      }
    }
    if (before) showScheduled(before, "");
    if (reviewing) showStep(false);
    if (planning) showPlanStep(step, false);

    // The state this page last wrote. Another tab grading the question writes a newer one: it
    // becomes the state a grade here starts from, so this page cannot overwrite that review.
    var written = null;
    return function render() {
      var stored = entries("review")[id] || null;
      var mine = written || before;
      if (!stored || (mine && stored.at === mine.at)) return;
      before = stored;
      written = null;
      buttons.forEach(function (button) { button.setAttribute("aria-pressed", "false"); });
      showScheduled(stored, "Graded in another tab. ");
    };
  }

  /**
   * Saves what is typed in `field` a moment after typing stops, and when the field is left or
   * the page hidden: `write(text)` stores it and says whether it was kept, and `status` says
   * so. `read()` gives the text stored now: when another tab stored a change while this one was
   * being typed, the two are merged (static/storage.js) rather than one overwriting the other.
   * Returns { flush, pending, show }: flush saves now, pending says whether typing is unsaved,
   * show(text) puts the stored text in the field unless typing is unsaved.
   */
  function saveAsTyped(field, status, write, read) {
    var pending = false;
    var timer = 0;
    // The stored text the field was last filled from or saved as.
    var base = field.value;
    function flush() {
      clearTimeout(timer);
      if (!pending) return;
      pending = false;
      var typed = field.value;
      var text = typed;
      var merged = false;
      if (read && STORAGE) {
        var result = STORAGE.mergeText(base, typed, read());
        text = result.text;
        merged = result.merged;
      }
      if (merged && field.maxLength > 0 && text.length > field.maxLength) {
        // Cutting the two to fit would lose the end of one: the other tab's text stays stored.
        status.textContent = "Not saved: another tab changed this at the same time, and the " +
          "two together are longer than " + field.maxLength.toLocaleString("en") +
          " characters. The other tab's text is kept; shorten this one to save both.";
        return;
      }
      if (!write(text)) {
        status.textContent = notSaved();
        return;
      }
      base = text;
      if (text !== typed) field.value = text;
      status.textContent = merged ? "Saved. Another tab changed this at the same time: both " +
        "texts are kept, this one first, with a marked line between them." :
        text !== typed ? "Saved, with the changes another tab made." : "Saved.";
    }
    field.addEventListener("input", function () {
      pending = true;
      status.textContent = "";
      clearTimeout(timer);
      timer = setTimeout(flush, 600);
    });
    field.addEventListener("blur", flush);
    window.addEventListener("pagehide", flush);
    return {
      flush: flush,
      pending: function () { return pending; },
      show: function (text) {
        if (pending) return;
        base = text;
        if (field.value !== text) field.value = text;
      }
    };
  }

  /** The private note under a question: saved as it is typed. */
  function setUpNote(article) {
    var box = article.querySelector("[data-note]");
    if (!box) return null;
    var id = article.dataset.questionId;
    var field = box.querySelector("[data-note-text]");

    function stored() {
      var e = entries("notes")[id];
      return e ? e.text : "";
    }

    field.value = stored();
    var typing = saveAsTyped(field, box.querySelector("[data-note-status]"), function (text) {
      var all = entries("notes");
      all[id] = { text: text.slice(0, NOTE_LIMIT), at: Date.now() };
      return save(STORES.notes.key, all);
    }, stored);
    return function render() { typing.show(stored()); };
  }

  /**
   * The /review page: the questions due today, soonest first, and a link that starts with the
   * first. Opened as /review#next (from a question just graded) it goes straight on to the next
   * due question.
   */
  function setUpReviewQueue(root) {
    if (!SRS) return null;
    var list = root.querySelector("[data-review-list]");
    var empty = root.querySelector("[data-review-empty]");
    var done = root.querySelector("[data-review-done]");
    var next = root.querySelector("[data-review-next]");
    var startRow = root.querySelector("[data-review-start-row]");
    var start = root.querySelector("[data-review-start]");
    var items = {};
    list.querySelectorAll(".question-item[data-question-id]").forEach(function (item) {
      var link = item.querySelector(".question-link");
      item.dataset.path = link.getAttribute("href");
      link.href = item.dataset.path + "#review";
      items[item.dataset.questionId] = item;
    });
    var forward = window.location.hash === "#next";

    function render() {
      var review = entries("review");
      var times = dueTimes(activePlan());
      var now = Date.now();
      var due = dueIds(items);
      if (forward) {
        forward = false;
        if (due.length > 0) {
          window.location.replace(items[due[0]].dataset.path + "#review");
          return;
        }
      }
      fill(root, "due", due.length);
      Object.keys(items).forEach(function (id) { items[id].hidden = true; });
      due.forEach(function (id) {
        var item = items[id];
        var late = SRS.daysBetween(times[id].due, now);
        item.querySelector("[data-review-when]").textContent = (late > 0 ?
          " · due " + (late === 1 ? "yesterday" : late + " days ago") : " · due today") +
          (times[id].pulled ? ", brought forward for your interview" : "");
        item.hidden = false;
        list.appendChild(item);
      });
      var later = Object.keys(review)
        .filter(function (id) { return items[id] && due.indexOf(id) === -1; })
        .sort(function (a, b) { return times[a].due - times[b].due; });
      empty.hidden = due.length > 0 || later.length > 0;
      done.hidden = due.length > 0 || later.length === 0;
      if (later.length > 0) {
        var first = times[later[0]].due;
        compose(next, [
          "The next question is due " + whenText(first, now) + ", ", dayElement(first), "."
        ]);
      }
      startRow.hidden = due.length === 0;
      if (due.length > 0) start.href = items[due[0]].dataset.path + "#review";
      else start.removeAttribute("href");
    }
    render();
    return render;
  }

  /** The home page's "7 due for review today", once anything has been graded. */
  function showDueCount() {
    document.querySelectorAll("[data-review-due]").forEach(function (slot) {
      var graded = !!SRS && Object.keys(entries("review")).length > 0;
      slot.hidden = !graded;
      if (graded) fill(slot, "due", dueIds().length);
    });
  }

  // ---- study plan ---------------------------------------------------------------------------
  //
  // The plan followed in this browser, under "drillbook:plan": its link's choices, the day it
  // was followed and its questions in the plan's order with the page each opens on:
  //   { code, date: "YYYY-MM-DD", start: "YYYY-MM-DD", pace: { unit, amount }, includeKnown,
  //     questions: [[id, path], ...], at: ms }
  // static/plan.js says which of them are new on which day and when reviews are brought forward.

  var PLAN_KEY = "drillbook:plan";

  /** The plan followed here, checked, with `order` (ids) and `paths`; null without one. */
  function activePlan() {
    if (!PLAN) return null;
    var p = load(PLAN_KEY, null);
    var ok = !!p && typeof p === "object" && typeof p.code === "string" &&
      /^[A-Za-z0-9_-]{1,700}$/.test(p.code) && PLAN.isDay(p.start) && PLAN.isDay(p.date) &&
      !!p.pace && /^(minutes|questions)$/.test(p.pace.unit) && p.pace.amount > 0 &&
      typeof p.includeKnown === "boolean" && Array.isArray(p.questions) &&
      p.questions.every(function (q) {
        return Array.isArray(q) && /^\d+$/.test(String(q[0])) && typeof q[1] === "string" &&
          /^\/questions\/\d+\/[a-z0-9-]*(\?study=1)?$/.test(q[1]);
      });
    if (!ok) return null;
    var paths = {};
    p.questions.forEach(function (q) { paths[String(q[0])] = q[1]; });
    return {
      code: p.code,
      date: p.date,
      start: p.start,
      pace: { unit: p.pace.unit, amount: Number(p.pace.amount) },
      includeKnown: p.includeKnown,
      order: p.questions.map(function (q) { return String(q[0]); }),
      place: PLAN.places(p.questions.map(function (q) { return String(q[0]); })),
      paths: paths
    };
  }

  /** What the plan needs of this browser's progress: when each question was first graded. */
  function planProgress() {
    var review = entries("review");
    var logs = entries("log");
    var marks = entries("progress");
    var firstSeen = {};
    var known = {};
    Object.keys(review).forEach(function (id) { firstSeen[id] = review[id].last; });
    Object.keys(logs).forEach(function (id) {
      if (logs[id].reviews.length > 0) firstSeen[id] = logs[id].reviews[0][0];
    });
    Object.keys(marks).forEach(function (id) {
      if (marks[id].status === "known") known[id] = true;
    });
    return { firstSeen: firstSeen, known: known };
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  /** "Thursday, December 24" for a day key, in the reader's locale. */
  function dayName(key) {
    return new Date(PLAN.startOf(key))
      .toLocaleDateString(undefined, { weekday: "long", month: "long", day: "numeric" });
  }

  /** A link made for a plan's line or step. */
  function planLink(href, text, primary) {
    var link = document.createElement("a");
    link.href = href;
    link.textContent = text;
    if (primary) link.className = "button primary";
    return link;
  }

  /** "Day 6 of 21: 7 new (3 done), 12 to review." for `day` (what PLAN.today says). */
  function dayText(day, due) {
    var done = day.doneToday.length;
    return "Day " + day.day + " of " + day.days + ": " + day.newToday.length + " new" +
      (done > 0 ? " (" + done + " done)" : "") + ", " + due + " to review.";
  }

  /** The first of today's new questions not yet studied, or null. */
  function nextNew(day) {
    var next = day.newToday.filter(function (id) { return day.doneToday.indexOf(id) === -1; });
    return next.length > 0 ? next[0] : null;
  }

  /** The home page's and the review queue's line for the plan followed, if there is one. */
  function showPlanLine() {
    var plan = activePlan();
    document.querySelectorAll("[data-plan-line]").forEach(function (line) {
      line.hidden = !plan;
      if (!plan) return;
      var day = PLAN.today(plan, planProgress(), Date.now());
      var open = planLink("/plan/" + plan.code, "Your plan");
      if (day.phase !== "studying") {
        compose(line, [day.phase === "interview" ? "Your interview is today. Good luck! " :
          "Your plan's interview date has passed. ", open, "."]);
        return;
      }
      var parts = [dayText(day, dueIds().length), " "];
      var next = nextNew(day);
      if (next) parts.push(planLink(plan.paths[next] + "#plan", "Next new question"), " · ");
      parts.push(open);
      compose(line, parts);
    });
  }

  /**
   * On a question page opened from the plan (#plan in the URL), where it stands among today's
   * new questions, and once graded, a link to the next.
   */
  function showPlanStep(step, graded) {
    var plan = activePlan();
    if (!plan) return null;
    var day = PLAN.today(plan, planProgress(), Date.now());
    if (day.phase !== "studying") return null;
    var total = day.newToday.length;
    var next = nextNew(day);
    var link = null;
    if (!graded) {
      compose(step, ["Your plan: " + day.doneToday.length + " of " + total +
        " new questions done today."]);
    } else if (next) {
      link = planLink(plan.paths[next] + "#plan", "Next new question", true);
      compose(step, [day.doneToday.length + " of " + total + " new questions done today. ", link]);
    } else {
      link = planLink("/review", "Go to the review queue", true);
      compose(step, ["All " + plural(total, "new question", "new questions") +
        " of today are done; " + plural(dueIds().length, "review is", "reviews are") +
        " due. ", link]);
    }
    step.hidden = false;
    return link;
  }

  /** A plan's query with some choices replaced: a link to the form, which makes that plan. */
  function planQuery(query, changes) {
    var params = new URLSearchParams(query);
    Object.keys(changes).forEach(function (name) { params.set(name, changes[name]); });
    return "/plan?" + params.toString();
  }

  /** The /plan/{code} page: the plan day by day, following or dropping it, or why it cannot fit. */
  function setUpPlanPage(root) {
    if (!PLAN || !SRS) return null;
    var code = root.dataset.planCode;
    var date = root.dataset.planDate;
    var query = root.dataset.planQuery;
    var shown = {
      code: code,
      date: date,
      pace: { unit: root.dataset.planUnit, amount: Number(root.dataset.planAmount) },
      includeKnown: root.dataset.planKnown === "1"
    };
    var list = document.querySelector("[data-plan-questions]");
    var items = {};
    var questions = [];
    list.querySelectorAll(".question-item[data-question-id]").forEach(function (item) {
      var id = item.dataset.questionId;
      items[id] = item;
      questions.push({ id: id, difficulty: item.dataset.difficulty, category: item.dataset.category });
    });
    var order = PLAN.order(questions);
    order.forEach(function (id) { list.appendChild(items[id]); });
    var status = root.querySelector("[data-plan-status]");
    var problem = root.querySelector("[data-plan-problem]");
    var follow = root.querySelector("[data-plan-follow]");
    var start = root.querySelector("[data-plan-start]");
    var review = root.querySelector("[data-plan-review]");
    var drop = root.querySelector("[data-plan-drop]");
    var days = root.querySelector("[data-plan-days]");
    var heading = root.querySelector("[data-plan-heading]");

    function titleOf(id) {
      return items[id].querySelector(".question-link").textContent;
    }

    /** Reviews due on each day from today, as the schedule stands, under `plan`. */
    function reviewsByDay(plan, today) {
      var counts = {};
      var times = dueTimes(plan);
      Object.keys(times).forEach(function (id) {
        var key = PLAN.dayKey(times[id].due);
        if (PLAN.daysFrom(today, key) < 0) key = today;
        counts[key] = (counts[key] || 0) + 1;
      });
      return counts;
    }

    function drawDay(key, number, ids, done, reviews, isToday) {
      var item = document.createElement("li");
      item.className = "plan-day" + (isToday ? " plan-today" : "");
      var head = document.createElement("p");
      head.className = "plan-day-head";
      var when = document.createElement("strong");
      compose(when, ["Day " + number + ", ", dayElement(PLAN.startOf(key))]);
      head.appendChild(when);
      var parts = [];
      if (ids.length > 0) parts.push(plural(ids.length, "new question", "new questions"));
      if (reviews > 0) parts.push(plural(reviews, "review", "reviews"));
      head.appendChild(document.createTextNode((isToday ? " (today)" : "") + ": " +
        (parts.length > 0 ? parts.join(", ") : "rest, or review what is due") + "."));
      item.appendChild(head);
      if (ids.length > 0) {
        var questionsOfDay = document.createElement("ul");
        questionsOfDay.className = "plan-day-questions";
        ids.forEach(function (id) {
          var li = document.createElement("li");
          var link = planLink(items[id].dataset.study + "#plan", titleOf(id));
          li.appendChild(link);
          if (done.indexOf(id) !== -1) li.appendChild(document.createTextNode(" ✓ done"));
          questionsOfDay.appendChild(li);
        });
        item.appendChild(questionsOfDay);
      }
      days.appendChild(item);
    }

    function drawDays(plan, day) {
      days.textContent = "";
      var reviews = reviewsByDay(plan, day.today);
      drawDay(day.today, day.day, day.newToday, day.doneToday, reviews[day.today] || 0, true);
      day.upcoming.forEach(function (d) {
        drawDay(d.day, d.number, d.newIds, [], reviews[d.day] || 0, false);
      });
    }

    /** Says why the plan, started today, does not fit, with links to plans that would. */
    function showMisfit(f, count) {
      var pace = shown.pace.unit === "minutes" ?
        shown.pace.amount + " minutes a day allow " + f.capacity : "you chose " + f.capacity;
      var options = [
        planLink(planQuery(query, { pace: "questions", questions: f.questionsPerDay }),
          f.questionsPerDay + " new questions a day"),
        ", ",
        planLink(planQuery(query, { pace: "minutes", minutes: Math.min(480, f.minutesPerDay) }),
          Math.min(480, f.minutesPerDay) + " minutes a day")
      ];
      if (f.earliestDate) {
        options.push(", ", planLink(planQuery(query, { date: f.earliestDate }),
          "an interview on or after " + dayName(f.earliestDate)));
      }
      compose(problem, [
        "This plan does not fit: " + plural(count, "new question", "new questions") + " over " +
        plural(f.introDays, "day", "days") + " need " + f.perDay + " a day, and " + pace +
        ". What would fit: ", ].concat(options).concat([
        ", or this pace with the hardest " + f.fitting + " (fewer categories)."
      ]));
      problem.hidden = false;
    }

    function render() {
      var now = Date.now();
      var today = PLAN.dayKey(now);
      var active = activePlan();
      var progress = planProgress();
      var following = !!active && active.code === code;
      problem.hidden = true;
      follow.hidden = following;
      drop.hidden = !following;
      start.hidden = true;
      review.hidden = !following;
      if (following) {
        var day = PLAN.today(active, progress, now);
        heading.textContent = "Your days";
        if (day.phase !== "studying") {
          compose(status, [day.phase === "interview" ? "Your interview is today. Good luck!" :
            "This plan's interview date has passed: drop it, or make a new one."]);
          days.textContent = "";
          return;
        }
        compose(status, [dayText(day, dueIds().length)]);
        if (day.behind) {
          compose(problem, ["You have fallen behind: " + plural(day.newToday.length,
            "new question is", "new questions are") + " due today, more than your " +
            plural(day.capacity, "question", "questions") + " a day. Study more today, or " +
            "change the plan below to a later date or fewer categories."]);
          problem.hidden = false;
        }
        var next = nextNew(day);
        start.hidden = !next;
        if (next) start.href = items[next].dataset.study + "#plan";
        drawDays(active, day);
        return;
      }
      heading.textContent = "If you start today";
      follow.textContent = active ? "Follow this plan instead of your plan to " +
        dayName(active.date) : "Follow this plan";
      var left = PLAN.daysFrom(today, date);
      if (left <= 0) {
        compose(problem, [left === 0 ? "This plan's interview is today: there is no day left " +
          "to plan. Good luck!" : "This plan's interview date has passed. ",
          planLink("/plan", "Make a new plan"), "."]);
        problem.hidden = false;
        follow.hidden = true;
        status.textContent = "";
        days.textContent = "";
        return;
      }
      var preview = {
        code: code, date: date, start: today, pace: shown.pace,
        includeKnown: shown.includeKnown, order: order, place: PLAN.places(order)
      };
      var day0 = PLAN.today(preview, progress, now);
      var count = day0.newToday.length + day0.upcoming.reduce(function (n, d) {
        return n + d.newIds.length;
      }, 0);
      var f = PLAN.fit(shown.pace, count, today, date);
      compose(status, [plural(f.days, "study day", "study days") + " from today: " +
        plural(count, "new question", "new questions") + ", about " + f.perDay + " a day."]);
      if (!f.fits) showMisfit(f, count);
      drawDays(preview, day0);
    }

    follow.addEventListener("click", function () {
      var now = Date.now();
      var kept = save(PLAN_KEY, {
        code: code,
        date: date,
        start: PLAN.dayKey(now),
        pace: shown.pace,
        includeKnown: shown.includeKnown,
        questions: order.map(function (id) { return [Number(id), items[id].dataset.study]; }),
        at: now
      });
      refresh();
      if (!kept) {
        compose(problem, [notSaved()]);
        problem.hidden = false;
      }
      status.focus();
    });
    drop.addEventListener("click", function () {
      if (!window.confirm("Drop this plan? Your marks, reviews and notes stay as they are.")) return;
      forget(PLAN_KEY);
      refresh();
    });
    render();
    return render;
  }

  /** The /plan form: the plan followed now, and a date field that starts three weeks ahead. */
  function setUpPlanForm() {
    var current = document.querySelector("[data-plan-current]");
    var plan = activePlan();
    if (current && plan) {
      var day = PLAN.today(plan, planProgress(), Date.now());
      compose(current, ["You are following a plan to ", dayElement(PLAN.startOf(plan.date)),
        day.phase === "studying" ? ": day " + day.day + " of " + day.days + ". " : ". ",
        planLink("/plan/" + plan.code, "Open it"), ", or make another below."]);
      current.hidden = false;
    }
    var today = PLAN.dayKey(Date.now());
    document.querySelectorAll("[data-plan-date-input]").forEach(function (input) {
      input.min = PLAN.addDays(today, 1);
      if (!input.value) input.value = PLAN.addDays(today, 21);
    });
  }

  // ---- backups -------------------------------------------------------------------------------
  //
  // When a copy of the progress last left this browser, and the reminder's own dates, under
  // "drillbook:backup": { at: ms, how: "file" | "link", shown: ms, dismissed: ms }. It belongs
  // to this browser, so no export carries it.

  var BACKUP_KEY = "drillbook:backup";

  function backupRecord() {
    return STORAGE ? STORAGE.readBackup(load(BACKUP_KEY, null)) : null;
  }

  /** Changes the backup record (`change` edits it); says whether that was kept. */
  function updateBackup(change) {
    var record = backupRecord();
    if (!record) return false;
    change(record);
    return save(BACKUP_KEY, record);
  }

  /** Notes that a copy was made, as a file or a transfer link: the reminder waits again. */
  function backedUp(how) {
    updateBackup(function (record) {
      record.at = Date.now();
      record.how = how;
    });
    if (renderNudge) renderNudge();
    if (renderStorageState) renderStorageState();
  }

  /**
   * Downloads the progress as a file and notes the backup; returns what was exported and the
   * file's name, as { data, file }.
   */
  function downloadExport() {
    var data = exportData();
    var blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "drillbook-progress-" + data.exported.slice(0, 10) + ".json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    backedUp("file");
    return { data: data, file: link.download };
  }

  /**
   * The reminder on the home page and the review queue (`box`): shown when there is progress
   * that has no copy elsewhere and the browser may clear it, or the last copy is old
   * (static/storage.js says when, and that it comes at most one day a week).
   */
  function setUpBackupNudge(box) {
    if (!STORAGE) return null;
    var text = box.querySelector("[data-backup-nudge-text]");
    var ways = box.querySelector("[data-backup-ways]");
    var done = false;

    function render() {
      if (done) return;
      var record = backupRecord();
      var stores = {};
      Object.keys(STORES).forEach(function (name) { stores[name] = entries(name); });
      var changes = STORAGE.changesSince(stores, record.at);
      STORAGE.persistedIn(navigator.storage).then(function (persisted) {
        var reminder = STORAGE.nudge({
          persisted: persisted, changes: changes, backup: record, now: Date.now()
        });
        box.hidden = !reminder;
        if (!reminder) return;
        text.textContent = STORAGE.nudgeText(reminder);
        ways.hidden = false;
        if (reminder.start) updateBackup(function (r) { r.shown = Date.now(); });
      });
    }

    box.querySelector("[data-backup-export]").addEventListener("click", function () {
      var exported = downloadExport();
      done = true;
      ways.hidden = true;
      text.textContent = "Exported " + exported.file + ". Keep it somewhere safe: importing it " +
        "on the About page brings everything back.";
    });
    box.querySelector("[data-backup-dismiss]").addEventListener("click", function () {
      updateBackup(function (r) { r.dismissed = Date.now(); });
      box.hidden = true;
    });
    // The start-up refresh draws it: drawing here too would ask the browser twice, and could
    // record the same reminder's showing twice.
    return render;
  }

  /** The about page's account of this browser's storage: persistence, space used, last copy. */
  function setUpStorageState(root) {
    var persistence = root.querySelector("[data-storage-persistence]");
    var usage = root.querySelector("[data-storage-usage]");
    var backup = root.querySelector("[data-storage-backup]");
    var ask = root.querySelector("[data-storage-persist]");
    var answer = root.querySelector("[data-storage-answer]");
    if (!STORAGE) return null;

    function render() {
      var record = backupRecord();
      backup.textContent = STORAGE.backupText(record, record.at === null ? "" :
        new Date(record.at).toLocaleDateString(undefined,
          { year: "numeric", month: "long", day: "numeric" }));
      STORAGE.persistedIn(navigator.storage).then(function (persisted) {
        persistence.textContent = STORAGE.persistenceText(persisted);
        root.dataset.persisted = String(persisted);
        ask.hidden = persisted !== false;
      });
      STORAGE.estimateIn(navigator.storage).then(function (e) {
        var said = STORAGE.usageText(e);
        usage.hidden = !said;
        usage.textContent = said || "";
      });
    }

    ask.addEventListener("click", function () {
      Promise.resolve(navigator.storage.persist()).then(function (granted) {
        answer.textContent = granted ? "This browser will now keep drillbook's storage." :
          "This browser declined for now (Chromium decides from how the site is used, for " +
          "example once it is installed or bookmarked); keep a copy of your progress instead.";
        render();
      }, function () {
        answer.textContent = "This browser could not be asked.";
      });
    });
    // The start-up refresh draws it, once.
    return render;
  }

  /** Export, import and reset on the about page. */
  function setUpProgressTools(root) {
    var message = root.querySelector("[data-progress-message]");
    root.querySelector("[data-progress-export]").addEventListener("click", function () {
      var data = downloadExport().data;
      message.textContent = "Exported " + Object.keys(data.progress).length + " marks, " +
        Object.keys(data.saved).length + " saved questions, " +
        Object.keys(data.review).length + " review dates, " +
        Object.keys(data.notes).length + " notes, the typed answers to " +
        Object.keys(data.answers).length + " questions and the review history of " +
        Object.keys(data.log).length + " (recordings stay in this browser).";
    });

    var input = root.querySelector("[data-progress-import]");
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) return;
      file.text().then(function (text) {
        message.textContent = importProgress(text);
        input.value = "";
        refresh();
      }, function () {
        message.textContent = "That file could not be read.";
      });
    });

    root.querySelector("[data-progress-reset]").addEventListener("click", function () {
      var question = "Forget every mark, saved question, review date and history, note, typed " +
        "answer, recording and the study plan in this browser?";
      if (!window.confirm(question)) return;
      Object.keys(STORES).forEach(function (name) { forget(STORES[name].key); });
      forget(PLAN_KEY);
      forget(BACKUP_KEY);
      message.textContent = "All progress in this browser was forgotten.";
      if (ANSWERS) ANSWERS.forgetRecordings(answerStore).then(refresh, refresh);
      refresh();
    });
  }

  /** Everything the export carries: what a file or a transfer link moves to another browser. */
  function exportData() {
    var data = { format: EXPORT_FORMAT, version: 1, exported: new Date().toISOString() };
    Object.keys(STORES).forEach(function (name) { data[name] = entries(name); });
    return data;
  }

  /** Merges an exported file into this browser's stores; returns what happened, for people. */
  function importProgress(text) {
    var data;
    try {
      data = JSON.parse(text);
    } catch (e) {
      return "That file is not JSON, so it is not a drillbook progress export.";
    }
    if (!data || data.format !== EXPORT_FORMAT || data.version !== 1) {
      return "That file is not a drillbook progress export (version 1).";
    }
    return mergeProgress(data);
  }

  /**
   * Merges an export (from a file or a transfer link) into this browser's stores, keeping the
   * newer of two entries for each question; returns what happened, for people.
   */
  /** JSON of `value` with every object's keys in order: the same entry read from a file that
   * put its keys in another order (as many JSON tools write them) is the same text. */
  function canonical(value) {
    if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
    if (value && typeof value === "object") {
      return "{" + Object.keys(value).sort().map(function (key) {
        return JSON.stringify(key) + ":" + canonical(value[key]);
      }).join(",") + "}";
    }
    return JSON.stringify(value);
  }

  function mergeProgress(data) {
    var changed = 0;
    var writes = [];
    Object.keys(STORES).forEach(function (name) {
      var store = STORES[name];
      var incoming = data[name];
      if (!incoming || typeof incoming !== "object") return;
      var mine = entries(name);
      Object.keys(incoming).forEach(function (id) {
        var e = incoming[id];
        var ok = /^\d+$/.test(id) && e && typeof e === "object" && isFinite(e.at) &&
          store.valid(e);
        if (!ok) return;
        if (mine[id] && store.merge) {
          var merged = store.merge(mine[id], e);
          if (canonical(merged) !== canonical(mine[id])) changed += 1;
          mine[id] = merged;
        } else if (!mine[id] || mine[id].at < e.at) {
          mine[id] = e;
          changed += 1;
        }
      });
      writes.push([store.key, mine]);
    });
    // Every store or none: a half-imported file would mix two browsers' schedules.
    if (!saveAll(writes)) return "Nothing was imported. " + notSaved();
    return changed === 1 ? "Imported 1 newer entry." : "Imported " + changed + " newer entries.";
  }

  // ---- lists and question pages ------------------------------------------------------------

  /** j / k move through a list of questions; Enter then opens the focused one. */
  function setUpListKeys() {
    var links = function () {
      return Array.prototype.filter.call(
        document.querySelectorAll(".question-item .question-link"),
        function (link) { return !link.closest("[hidden]"); }
      );
    };
    if (links().length === 0) return;
    function move(step) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      var to = at === -1 ? (step > 0 ? 0 : all.length - 1) :
        Math.min(all.length - 1, Math.max(0, at + step));
      all[to].focus();
    }
    bindKey(["j"], "j", "next question in the list", function () { move(1); });
    bindKey(["k"], "k", "previous question in the list", function () { move(-1); });
  }

  /**
   * j / k / arrows to walk the category, r to reveal. The keys follow the pager's links as a
   * click would, so that a recording under way is kept before the page goes (static/answer.js).
   */
  function setUpQuestionKeys(article) {
    var answer = article.querySelector("details.answer");
    var next = article.querySelector(".pager a.pager-next");
    var prev = article.querySelector(".pager a.pager-prev");
    if (next) {
      bindKey(["j", "ArrowRight"], "j or →", "next question", function () {
        next.click();
      });
    }
    if (prev) {
      bindKey(["k", "ArrowLeft"], "k or ←", "previous question", function () {
        prev.click();
      });
    }
    bindKey(["r"], "r", "reveal or hide the answer", function () {
      answer.open = !answer.open;
      answer.querySelector("summary").focus();
    });
  }

  /** A category prints as a study sheet: every answer open while printing, as it was after. */
  function setUpPrinting() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      opened = [];
      document.querySelectorAll("details.item-answer:not([open])").forEach(function (d) {
        d.open = true;
        opened.push(d);
      });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (d) { d.open = false; });
      opened = [];
    });
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // ---- mock interview ----------------------------------------------------------------------

  function mockKey(code) {
    return "drillbook:mock:" + code;
  }

  /**
   * A mock interview's self-grades as review grades: it has no Easy, so solid counts as Good.
   * The grade the ticked key points suggest on a question page is the same mapping.
   */
  var MOCK_GRADES = { missed: 1, partial: 2, solid: 3 };

  /**
   * "Your answer" on a question page or, with `mock` ({ tag, attempt, remember }), a mock
   * interview's question; returns its controller, or null without static/answer.js.
   */
  function setUpAnswering(root, mock) {
    var section = root.querySelector("[data-answer-first]");
    if (!ANSWERS || !section) return null;
    return ANSWERS.setUp(section, {
      questionId: root.dataset.questionId,
      store: answerStore,
      answer: root.querySelector("details.answer"),
      compare: root.querySelector("[data-compare]"),
      bindKey: bindKey,
      saveAsTyped: saveAsTyped,
      notSaved: notSaved,
      gradeOf: MOCK_GRADES,
      mock: mock
    });
  }

  /** One question of a mock interview: the countdown, ticked points, grade and shortcuts. */
  function setUpMockQuestion(root) {
    var key = mockKey(root.dataset.mockCode);
    var number = root.dataset.mockNumber;
    var progress = load(key, {});
    progress.answers = progress.answers || {};
    // When the interview was first opened and how many questions it has, for its history.
    if (!isFinite(progress.started)) progress.started = Date.now();
    progress.total = Number(root.dataset.mockTotal) || 0;
    var entry = progress.answers[number] || {};
    entry.spent = Number(entry.spent) || 0;
    entry.points = Array.isArray(entry.points) ? entry.points : [];
    progress.answers[number] = entry;

    var timer = root.querySelector(".timer");
    var announce = timer.querySelector(".timer-announce");
    var allotted = Number(timer.dataset.seconds) || 0;
    var openedAt = Date.now();
    var base = entry.spent;
    var warned = base >= allotted - 30;
    var over = base >= allotted;

    function spent() {
      return base + (Date.now() - openedAt) / 1000;
    }

    function render() {
      var left = allotted - spent();
      showCountdown(timer, left, false);
      if (!warned && left <= 30 && left > 0) {
        warned = true;
        announce.textContent = "30 seconds left.";
      }
      if (!over && left <= 0) {
        over = true;
        announce.textContent = "Time is up.";
      }
    }

    /** Keeps the interview's record; says whether it was kept. */
    function persist() {
      entry.spent = Math.round(spent() * 10) / 10;
      return save(key, progress);
    }

    /** Says, beside the ticks and grades, that what was just chosen could not be kept. */
    var suggestion = root.querySelector("[data-suggestion]");
    function persistChoice() {
      if (!persist() && suggestion) suggestion.textContent = notSaved();
    }

    render();
    persist();
    setInterval(render, 250);
    setInterval(persist, 1000);
    window.addEventListener("pagehide", persist);
    document.addEventListener("visibilitychange", persist);

    root.querySelectorAll("input[name=point]").forEach(function (box) {
      box.checked = entry.points.indexOf(Number(box.value)) !== -1;
      box.addEventListener("change", function () {
        entry.points = Array.prototype.filter
          .call(root.querySelectorAll("input[name=point]"), function (b) { return b.checked; })
          .map(function (b) { return Number(b.value); });
        persistChoice();
      });
    });
    var answering = setUpAnswering(root, {
      tag: root.dataset.mockCode + "/" + number,
      attempt: typeof entry.attempt === "string" ? entry.attempt : null,
      remember: function (id) {
        if (id) entry.attempt = id;
        else delete entry.attempt;
        persist();
      }
    });
    // A grade also schedules the question's next review, as Again, Hard or Good would on its
    // page; changing it replaces the grade given before on this visit.
    var questionId = root.dataset.questionId || "";
    var schedules = !!SRS && /^\d+$/.test(questionId);
    var reviewBefore = schedules ? entries("review")[questionId] || null : null;
    root.querySelectorAll("input[name=grade]").forEach(function (radio) {
      radio.checked = entry.grade === radio.value;
      radio.addEventListener("change", function () {
        if (radio.checked) {
          entry.grade = radio.value;
          persistChoice();
          if (answering) answering.graded(radio.value);
          if (schedules && MOCK_GRADES[radio.value] &&
              !gradeQuestion(questionId, MOCK_GRADES[radio.value], reviewBefore) && suggestion) {
            suggestion.textContent = notSaved();
          }
        }
      });
    });

    var answer = root.querySelector("details.answer");
    var next = root.querySelector("[data-key-next]");
    bindKey(["r", " "], "r or Space", "reveal the answer", function (event) {
      if (event.key === " " && spaceIsTaken(event)) return false;
      answer.open = true;
      answer.querySelector("summary").focus();
    });
    bindKey(["n", "ArrowRight"], "n or →", "next question", function () {
      persist();
      next.click();
    });
  }

  /** The results page: fills in time, points and grade from what this browser recorded. */
  /** "3 solid, 1 partial, 0 missed", or "not graded". */
  function gradeSummary(grades, graded) {
    return graded
      ? grades.solid + " solid, " + grades.partial + " partial, " + grades.missed + " missed"
      : "not graded";
  }

  /**
   * The results page: fills in time, points and grade from what this browser recorded, a score
   * per category, and ticks the questions graded missed or partial for "Retry".
   */
  function setUpMockResults(root) {
    var key = mockKey(root.dataset.mockCode);
    var answers = load(key, {}).answers || {};
    var totalSpent = 0;
    var all = { ticked: 0, possible: 0, grades: { solid: 0, partial: 0, missed: 0 }, graded: 0 };
    root.querySelectorAll("tbody[data-category-group]").forEach(function (group) {
      var sum = { ticked: 0, possible: 0, grades: { solid: 0, partial: 0, missed: 0 }, graded: 0 };
      group.querySelectorAll("tr[data-number]").forEach(function (row) {
        var entry = answers[row.dataset.number] || {};
        var points = Number(row.dataset.points) || 0;
        var count = Array.isArray(entry.points) ? entry.points.length : 0;
        sum.possible += points;
        sum.ticked += count;
        if (entry.spent) {
          totalSpent += Number(entry.spent) || 0;
          row.querySelector(".result-spent").textContent = clock(entry.spent);
        }
        row.querySelector(".result-points").textContent = count + " / " + points;
        if (sum.grades.hasOwnProperty(entry.grade)) {
          sum.grades[entry.grade] += 1;
          sum.graded += 1;
          var cell = row.querySelector(".result-grade");
          cell.textContent = entry.grade.charAt(0).toUpperCase() + entry.grade.slice(1);
          cell.className = "result-grade grade-" + entry.grade;
          row.querySelector("input[name=q]").checked = entry.grade !== "solid";
        }
      });
      group.querySelector(".category-points").textContent = sum.ticked + " / " + sum.possible;
      group.querySelector(".category-grades").textContent = gradeSummary(sum.grades, sum.graded);
      all.ticked += sum.ticked;
      all.possible += sum.possible;
      all.graded += sum.graded;
      Object.keys(all.grades).forEach(function (g) { all.grades[g] += sum.grades[g]; });
    });
    root.querySelector(".total-spent").textContent = clock(totalSpent);
    root.querySelector(".total-points").textContent = all.ticked + " / " + all.possible;
    root.querySelector(".total-grades").textContent = gradeSummary(all.grades, all.graded);

    // Retrying nothing is not an interview: the button waits for a ticked box.
    var retry = root.querySelector("[data-mock-retry]");
    var boxes = root.querySelectorAll("input[name=q]");
    function enableRetry() {
      retry.disabled = !Array.prototype.some.call(boxes, function (box) { return box.checked; });
    }
    boxes.forEach(function (box) { box.addEventListener("change", enableRetry); });
    enableRetry();

    var answersSection = root.querySelector("[data-mock-answers]");
    if (ANSWERS && answersSection) {
      ANSWERS.showResults(answersSection, answerStore, function (n) { return answers[n]; });
    }

    var retake = root.querySelector("[data-mock-retake]");
    retake.addEventListener("click", function () {
      forget(key);
    });
  }

  // ---- start -------------------------------------------------------------------------------

  var renderActions = null;
  var renderSaved = null;
  var renderNote = null;
  var renderReview = null;
  var renderAnswer = null;
  var renderAnswerTools = null;
  var renderPlan = null;
  var renderGrading = null;
  var renderStorageState = null;
  var renderNudge = null;

  /** Redraws everything that shows progress (after an import, or a change in another tab). */
  function refresh() {
    if (renderReview) renderReview();
    markListedQuestions();
    showCounts();
    showDueCount();
    showPlanLine();
    if (renderPlan) renderPlan();
    if (renderActions) renderActions();
    if (renderGrading) renderGrading();
    if (renderNudge) renderNudge();
    if (renderStorageState) renderStorageState();
    if (renderSaved) renderSaved();
    if (renderNote) renderNote();
    if (renderAnswer) renderAnswer();
    if (renderAnswerTools) renderAnswerTools();
  }

  setUpCopyLinks();
  setUpKeyboard();
  setUpPrinting();
  var article = document.querySelector("article.question[data-question-id]");
  if (article) {
    renderActions = setUpQuestionActions(article);
    setUpQuestionKeys(article);
    var answering = setUpAnswering(article, null);
    if (answering) renderAnswer = answering.render;
    renderGrading = setUpGrading(article, renderActions, answering);
    renderNote = setUpNote(article);
  } else {
    setUpListKeys();
  }
  var savedList = document.querySelector("[data-saved-list]");
  if (savedList) renderSaved = setUpSavedList(savedList);
  var reviewQueue = document.querySelector("[data-review]");
  if (reviewQueue) renderReview = setUpReviewQueue(reviewQueue);
  var planPage = document.querySelector("[data-plan]");
  if (planPage) renderPlan = setUpPlanPage(planPage);
  if (PLAN && document.querySelector("[data-plan-date-input]")) setUpPlanForm();
  var tools = document.querySelector("[data-progress-tools]");
  if (tools) setUpProgressTools(tools);
  var storageState = document.querySelector("[data-storage-state]");
  if (storageState) renderStorageState = setUpStorageState(storageState);
  var nudgeBox = document.querySelector("[data-backup-nudge]");
  if (nudgeBox) renderNudge = setUpBackupNudge(nudgeBox);
  var transfer = document.querySelector("[data-transfer]");
  if (transfer && TRANSFER) {
    TRANSFER.setUp(transfer, {
      exportData: exportData,
      merge: mergeProgress,
      valid: function (name, e) { return STORES[name].valid(e); },
      refresh: refresh,
      backedUp: function () { backedUp("link"); }
    }, window.qrcode || null);
  }
  var answerTools = document.querySelector("[data-answer-storage]");
  if (answerTools && ANSWERS) renderAnswerTools = ANSWERS.setUpStorageTools(answerTools, answerStore);
  var mockQuestion = document.querySelector(".mock[data-mock-code]");
  if (mockQuestion) setUpMockQuestion(mockQuestion);
  if (SCORECARD) {
    SCORECARD.setUp({ load: load, save: save, notSaved: notSaved, showCountdown: showCountdown });
  }
  var mockResults = document.querySelector(".mock-results[data-mock-code]");
  if (mockResults) setUpMockResults(mockResults);
  var stats = document.querySelector("[data-stats]");
  if (stats && STATS) {
    // The forecast counts reviews on the days the plan followed here brings them to.
    var statsPlan = activePlan();
    STATS.setUp(stats, {
      entries: entries, load: load, save: save,
      dueOf: PLAN && statsPlan ? function (id, state) {
        return PLAN.dueUnder(statsPlan, id, state, Date.now()).due;
      } : null
    });
  }
  refresh();
  // Another tab changed what this one shows (a mark, a saved question, a grade, a note, a
  // typed answer, the plan or a backup): redraw from storage. Recordings live in IndexedDB,
  // which raises no such event; answer.js hears of them on a BroadcastChannel.
  window.addEventListener("storage", function (event) {
    if (!event.key || PROGRESS_KEYS.test(event.key) || event.key === BACKUP_KEY) refresh();
  });
  if (ANSWERS) {
    ANSWERS.onRecordingsChange(function () {
      if (renderAnswer) renderAnswer();
      if (renderAnswerTools) renderAnswerTools();
    });
  }
})();
