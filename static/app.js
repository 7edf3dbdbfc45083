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

  // ---- keyboard help -----------------------------------------------------------------------

  /** A panel listing the page's shortcuts, toggled by "?" and closed by Escape. */
  function keyHelp(keys) {
    var panel = document.createElement("section");
    panel.className = "key-help";
    panel.hidden = true;
    panel.setAttribute("aria-label", "Keyboard shortcuts");
    var heading = document.createElement("h2");
    heading.textContent = "Keyboard shortcuts";
    panel.appendChild(heading);
    var list = document.createElement("dl");
    keys.forEach(function (pair) {
      var dt = document.createElement("dt");
      dt.textContent = pair[0];
      var dd = document.createElement("dd");
      dd.textContent = pair[1];
      list.appendChild(dt);
      list.appendChild(dd);
    });
    panel.appendChild(list);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", function () { panel.hidden = true; });
    panel.appendChild(close);
    document.body.appendChild(panel);
    return {
      toggle: function () {
        panel.hidden = !panel.hidden;
        if (!panel.hidden) close.focus();
      },
      hide: function () { panel.hidden = true; }
    };
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
    var help = keyHelp([
      ["r or Space", "reveal the answer"],
      ["n or →", "next question"],
      ["?", "show or hide this list"],
      ["Esc", "close this list"]
    ]);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        help.hide();
        return;
      }
      if (isTyping(event)) return;
      if (event.key === "r" || (event.key === " " && !spaceIsTaken(event))) {
        event.preventDefault();
        answer.open = true;
        answer.querySelector("summary").focus();
      } else if (event.key === "n" || event.key === "ArrowRight") {
        event.preventDefault();
        persist();
        window.location.href = next.href;
      } else if (event.key === "?") {
        event.preventDefault();
        help.toggle();
      }
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

  setUpCopyLinks();
  var mockQuestion = document.querySelector(".mock[data-mock-code]");
  if (mockQuestion) setUpMockQuestion(mockQuestion);
  var mockResults = document.querySelector(".mock-results[data-mock-code]");
  if (mockResults) setUpMockResults(mockResults);
})();
