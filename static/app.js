// drillbook: small enhancements over pages that already work without script.
// Progress lives only in this browser (localStorage); the server never sees it.
"use strict";

(function () {
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

  function save(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      // Private mode or a full store: the page still works, it just forgets.
    }
  }

  function forget(key) {
    try {
      window.localStorage.removeItem(key);
    } catch (e) {
      // Nothing to do.
    }
  }

  // ---- shared helpers ----------------------------------------------------------------------

  /** 75 -> "1:15". */
  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    var rest = s % 60;
    return Math.floor(s / 60) + ":" + (rest < 10 ? "0" : "") + rest;
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

  // ---- progress and saved questions --------------------------------------------------------
  //
  // Two maps keyed by question id, each entry stamped with the time it last changed so that
  // importing progress from another browser can keep the newer of two entries:
  //   progress: { "12": { status: "known" | "review" | "unseen", at: ms } }
  //   saved:    { "12": { saved: true | false, at: ms, title: "...", path: "/questions/12/..." } }
  // Entries are kept (as "unseen" or saved: false) rather than deleted, so an import cannot
  // bring back a mark that was taken off later.

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
    }
  };
  var EXPORT_FORMAT = "drillbook-progress";

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

  function setStatus(id, status) {
    var all = entries("progress");
    all[id] = { status: status, at: Date.now() };
    save(STORES.progress.key, all);
  }

  function isSaved(id) {
    var e = entries("saved")[id];
    return !!(e && e.saved);
  }

  function setSaved(id, saved, title, path) {
    var all = entries("saved");
    all[id] = { saved: saved, at: Date.now(), title: title, path: path };
    save(STORES.saved.key, all);
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
        setStatus(id, undo ? "unseen" : button.dataset.mark);
        note.textContent = undo ? "Mark removed." :
          button.dataset.mark === "known" ? "Marked as known." : "Marked to review again.";
        render();
      });
    });
    saveButton.addEventListener("click", function () {
      var saved = !isSaved(id);
      setSaved(id, saved, title, path);
      note.textContent = saved ? "Saved: see Saved in the menu." : "Removed from saved questions.";
      render();
    });
    render();
    return render;
  }

  /** The /saved page: the saved questions, newest first, each with a way to remove it. */
  function setUpSavedList(list) {
    var empty = document.querySelector("[data-saved-empty]");
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
          setSaved(id, false, saved[id].title, saved[id].path);
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

  /** Export, import and reset on the about page. */
  function setUpProgressTools(root) {
    var message = root.querySelector("[data-progress-message]");
    root.querySelector("[data-progress-export]").addEventListener("click", function () {
      var data = { format: EXPORT_FORMAT, version: 1, exported: new Date().toISOString() };
      Object.keys(STORES).forEach(function (name) { data[name] = entries(name); });
      var blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "drillbook-progress-" + data.exported.slice(0, 10) + ".json";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
      message.textContent = "Exported " + Object.keys(data.progress).length +
        " marks and " + Object.keys(data.saved).length + " saved questions.";
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
      if (!window.confirm("Forget every mark and saved question in this browser?")) return;
      Object.keys(STORES).forEach(function (name) { forget(STORES[name].key); });
      message.textContent = "All progress in this browser was forgotten.";
      refresh();
    });
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
    var changed = 0;
    Object.keys(STORES).forEach(function (name) {
      var store = STORES[name];
      var incoming = data[name];
      if (!incoming || typeof incoming !== "object") return;
      var mine = entries(name);
      Object.keys(incoming).forEach(function (id) {
        var e = incoming[id];
        var ok = /^\d+$/.test(id) && e && typeof e === "object" && isFinite(e.at) &&
          store.valid(e);
        if (ok && (!mine[id] || mine[id].at < e.at)) {
          mine[id] = e;
          changed += 1;
        }
      });
      save(store.key, mine);
    });
    return changed === 1 ? "Imported 1 newer entry." : "Imported " + changed + " newer entries.";
  }

  // ---- lists and question pages ------------------------------------------------------------

  /** j / k move through a list of questions; Enter then opens the focused one. */
  function setUpListKeys() {
    var links = function () {
      return Array.prototype.slice.call(document.querySelectorAll(".question-item .question-link"));
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

  /** j / k / arrows to walk the category, r to reveal. */
  function setUpQuestionKeys(article) {
    var answer = article.querySelector("details.answer");
    var next = article.querySelector(".pager a.pager-next");
    var prev = article.querySelector(".pager a.pager-prev");
    if (next) {
      bindKey(["j", "ArrowRight"], "j or →", "next question", function () {
        window.location.href = next.href;
      });
    }
    if (prev) {
      bindKey(["k", "ArrowLeft"], "k or ←", "previous question", function () {
        window.location.href = prev.href;
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

  /** One question of a mock interview: the countdown, ticked points, grade and shortcuts. */
  function setUpMockQuestion(root) {
    var key = mockKey(root.dataset.mockCode);
    var number = root.dataset.mockNumber;
    var progress = load(key, {});
    progress.answers = progress.answers || {};
    var entry = progress.answers[number] || {};
    entry.spent = Number(entry.spent) || 0;
    entry.points = Array.isArray(entry.points) ? entry.points : [];
    progress.answers[number] = entry;

    var timer = root.querySelector(".timer");
    var value = timer.querySelector(".timer-value");
    var label = timer.querySelector(".timer-label");
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
      if (left > 0) {
        label.textContent = "Time left";
        value.textContent = clock(Math.ceil(left));
      } else {
        label.textContent = "Time is up: overtime";
        value.textContent = "+" + clock(-left);
      }
      timer.classList.toggle("timer-warning", left > 0 && left <= 30);
      timer.classList.toggle("timer-over", left <= 0);
      if (!warned && left <= 30 && left > 0) {
        warned = true;
        announce.textContent = "30 seconds left.";
      }
      if (!over && left <= 0) {
        over = true;
        announce.textContent = "Time is up.";
      }
    }

    function persist() {
      entry.spent = Math.round(spent() * 10) / 10;
      save(key, progress);
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
        persist();
      });
    });
    root.querySelectorAll("input[name=grade]").forEach(function (radio) {
      radio.checked = entry.grade === radio.value;
      radio.addEventListener("change", function () {
        if (radio.checked) {
          entry.grade = radio.value;
          persist();
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
      window.location.href = next.href;
    });
  }

  /** The results page: fills in time, points and grade from what this browser recorded. */
  function setUpMockResults(root) {
    var key = mockKey(root.dataset.mockCode);
    var answers = load(key, {}).answers || {};
    var totalSpent = 0;
    var ticked = 0;
    var possible = 0;
    var grades = { solid: 0, partial: 0, missed: 0 };
    var graded = 0;
    root.querySelectorAll("tbody tr[data-number]").forEach(function (row) {
      var entry = answers[row.dataset.number] || {};
      var points = Number(row.dataset.points) || 0;
      var count = Array.isArray(entry.points) ? entry.points.length : 0;
      possible += points;
      if (entry.spent) {
        totalSpent += Number(entry.spent) || 0;
        row.querySelector(".result-spent").textContent = clock(entry.spent);
      }
      ticked += count;
      row.querySelector(".result-points").textContent = count + " / " + points;
      if (grades.hasOwnProperty(entry.grade)) {
        grades[entry.grade] += 1;
        graded += 1;
        var cell = row.querySelector(".result-grade");
        cell.textContent = entry.grade.charAt(0).toUpperCase() + entry.grade.slice(1);
        cell.className = "result-grade grade-" + entry.grade;
      }
    });
    root.querySelector(".total-spent").textContent = clock(totalSpent);
    root.querySelector(".total-points").textContent = ticked + " / " + possible;
    root.querySelector(".total-grades").textContent = graded
      ? grades.solid + " solid, " + grades.partial + " partial, " + grades.missed + " missed"
      : "not graded";

    var retake = root.querySelector("[data-mock-retake]");
    retake.addEventListener("click", function () {
      forget(key);
    });
  }

  // ---- start -------------------------------------------------------------------------------

  var renderActions = null;
  var renderSaved = null;

  /** Redraws everything that shows progress (after an import, or a change in another tab). */
  function refresh() {
    markListedQuestions();
    showCounts();
    if (renderActions) renderActions();
    if (renderSaved) renderSaved();
  }

  setUpCopyLinks();
  setUpKeyboard();
  setUpPrinting();
  var article = document.querySelector("article.question[data-question-id]");
  if (article) {
    renderActions = setUpQuestionActions(article);
    setUpQuestionKeys(article);
  } else {
    setUpListKeys();
  }
  var savedList = document.querySelector("[data-saved-list]");
  if (savedList) renderSaved = setUpSavedList(savedList);
  var tools = document.querySelector("[data-progress-tools]");
  if (tools) setUpProgressTools(tools);
  var mockQuestion = document.querySelector(".mock[data-mock-code]");
  if (mockQuestion) setUpMockQuestion(mockQuestion);
  var mockResults = document.querySelector(".mock-results[data-mock-code]");
  if (mockResults) setUpMockResults(mockResults);
  refresh();
  window.addEventListener("storage", function (event) {
    if (!event.key || /^drillbook:(progress|saved)$/.test(event.key)) refresh();
  });
})();
