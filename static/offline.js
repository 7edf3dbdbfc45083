// drillbook: studying offline. Registers the site's worker (/sw.js), which keeps the pages a
// person opens; drives "Keep this category offline" and "Keep everything offline"; fills in the
// offline page's list of what is kept; and keeps a mock interview's pages once it starts.
// Nothing here sends what a person types, says or grades anywhere.
"use strict";

(function () {
  var KEEP = window.DrillbookKeep || null;
  /** Asking the browser to keep what is stored (static/storage.js). */
  var STORAGE = window.DrillbookStorage || null;
  var workers = navigator.serviceWorker;
  if (!KEEP || !workers || !window.caches) return;

  var version = document.documentElement.getAttribute("data-version") || "";

  workers.register("/sw.js").catch(function () {
    // No worker (a private window, storage turned off): pages simply need the network.
  });
  workers.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type === "version") reloadIfOlder(data.version);
    else if (/^keep-/.test(data.type || "")) showKept(data);
  });
  workers.addEventListener("controllerchange", function () {
    if (workers.controller) workers.controller.postMessage({ type: "version" });
  });

  /** The worker in charge, once there is one. */
  function worker() {
    return workers.ready.then(function (registration) {
      return registration.active;
    });
  }

  // ---- a new version of the site -------------------------------------------------------------

  /**
   * A new worker took charge with a newer version of the site than this page shows (the
   * content was changed): opens the page again, from the new version, unless the person is
   * typing, in which case it offers to.
   */
  function reloadIfOlder(current) {
    if (!current || current === version) return;
    var key = "drillbook:reloaded:" + current + ":" + location.pathname + location.search;
    var typing = document.activeElement && /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    var once = true;
    try {
      once = !window.sessionStorage.getItem(key);
      window.sessionStorage.setItem(key, "1");
    } catch (e) {
      // Without session storage a reload could repeat: offer it instead.
      once = false;
    }
    if (once && !typing) {
      location.reload();
      return;
    }
    if (document.querySelector("[data-newer-version]")) return;
    var notice = document.createElement("p");
    notice.className = "newer-version";
    notice.setAttribute("role", "status");
    notice.setAttribute("data-newer-version", "");
    notice.textContent = "This page has been updated since it was kept. ";
    var again = document.createElement("a");
    again.href = location.href;
    again.textContent = "Open the new version";
    notice.appendChild(again);
    var main = document.getElementById("main");
    if (main) main.insertBefore(notice, main.firstChild);
  }

  // ---- kept sets -----------------------------------------------------------------------------

  var boxes = Array.prototype.slice.call(document.querySelectorAll("[data-keep]"));

  function boxOf(set) {
    return boxes.filter(function (box) {
      return box.getAttribute("data-keep") === set;
    })[0] || null;
  }

  function part(box, name) {
    return box.querySelector("[data-keep-" + name + "]");
  }

  function dateText(ms) {
    return new Date(ms).toLocaleDateString(undefined, { day: "numeric", month: "long" });
  }

  /** Shows a set as kept, or not, from the kept list. */
  function showState(box, list) {
    var set = box.getAttribute("data-keep");
    var kept = list[set];
    var everything = set !== KEEP.EVERYTHING && list[KEEP.EVERYTHING];
    var status = part(box, "status");
    part(box, "progress").hidden = true;
    part(box, "start").disabled = false;
    if (kept) {
      status.textContent = "Kept on this device: " + kept.pages + " files, " +
        KEEP.sizeText(kept.bytes) + ", on " + dateText(kept.at) + ".";
    } else if (everything) {
      status.textContent = "Kept on this device with everything else (" +
        KEEP.sizeText(everything.bytes) + "); About can remove it.";
    } else {
      status.textContent = box.getAttribute("data-keep-what");
    }
    part(box, "start").hidden = Boolean(kept || everything);
    part(box, "remove").hidden = !kept;
  }

  function showAll() {
    return KEEP.keptList(caches).then(function (list) {
      boxes.forEach(function (box) {
        showState(box, list);
      });
    });
  }

  /** A message from the worker about a set being kept or removed. */
  function showKept(data) {
    var box = boxOf(data.set);
    if (!box) return;
    var status = part(box, "status");
    var progress = part(box, "progress");
    if (data.type === "keep-progress") {
      part(box, "start").disabled = true;
      progress.hidden = false;
      progress.max = Math.max(1, data.total);
      progress.value = data.done;
      status.textContent = "Downloading: " + data.done + " of " + data.total + " files, " +
        KEEP.sizeText(data.bytes) + " so far.";
    } else if (data.type === "keep-failed") {
      showAll().then(function () {
        status.textContent = "Keeping stopped after " + data.done + " of " + data.total +
          " files: " + data.reason + ". Nothing was kept; try again when you can.";
        part(box, "start").hidden = false;
      });
    } else {
      showAll();
    }
  }

  boxes.forEach(function (box) {
    box.setAttribute("data-keep-what", part(box, "status").textContent);
    box.hidden = false;
    part(box, "start").addEventListener("click", function () {
      var set = box.getAttribute("data-keep");
      // Kept pages are in Cache Storage, which a browser clears with the rest of the site's
      // storage unless it is persistent: keeping a set is a moment that matters.
      if (STORAGE) {
        STORAGE.askToPersist(navigator.storage,
          STORAGE.askedIn(function () { return window.localStorage; }), Date.now());
      }
      part(box, "start").disabled = true;
      part(box, "status").textContent = "Starting the download…";
      worker().then(function (active) {
        active.postMessage({ type: "keep", set: set });
      });
    });
    part(box, "remove").addEventListener("click", function () {
      var set = box.getAttribute("data-keep");
      part(box, "remove").disabled = true;
      worker().then(function (active) {
        active.postMessage({ type: "remove", set: set });
      }).then(function () {
        part(box, "remove").disabled = false;
      });
    });
  });
  if (boxes.length) showAll();

  // ---- the offline page ----------------------------------------------------------------------

  /** Why this page is the offline page, by the address that could not be opened. */
  function reasonFor(path) {
    if (path === "/offline") return "This is what this browser keeps to read without a connection.";
    if (path === "/mock") {
      return "Starting a new mock interview needs a connection, to pick its questions. An " +
        "interview you started online can still be finished: its pages were kept when it began.";
    }
    if (path === "/search") return "Searching needs a connection. These pages are kept on this device:";
    return "This page is not kept on this device, so it cannot open without a connection. " +
      "It will open once you are back online; meanwhile these pages are kept:";
  }

  function link(url, text) {
    var item = document.createElement("li");
    var a = document.createElement("a");
    a.href = url;
    a.textContent = text;
    item.appendChild(a);
    return item;
  }

  function isKept(url) {
    return caches.match(url, { ignoreVary: true }).then(function (found) {
      return Boolean(found);
    }).catch(function () {
      return false;
    });
  }

  function keptOf(entries) {
    return Promise.all(entries.map(function (entry) {
      return isKept(entry.url);
    })).then(function (kept) {
      return entries.filter(function (entry, at) {
        return kept[at];
      });
    });
  }

  /** "3 questions and 1 other page are kept on this device." */
  function keptText(questions, pages) {
    var parts = [];
    if (questions) parts.push(questions + (questions === 1 ? " question" : " questions"));
    if (pages) {
      var noun = questions ? " other page" : " page";
      parts.push(pages + noun + (pages === 1 ? "" : "s"));
    }
    if (!parts.length) return "Nothing is kept on this device yet.";
    var plural = parts.length > 1 || (questions || pages) > 1;
    return parts.join(" and ") + (plural ? " are" : " is") + " kept on this device.";
  }

  function listKept(root) {
    root.querySelector("[data-offline-reason]").textContent = reasonFor(location.pathname);
    var summary = root.querySelector("[data-offline-summary]");
    var pagesList = root.querySelector("[data-offline-pages]");
    var categoriesRoot = root.querySelector("[data-offline-categories]");
    caches.match("/offline.json", { ignoreVary: true }).then(function (found) {
      return found ? found.json() : null;
    }).then(function (index) {
      if (!index) {
        summary.textContent = "Nothing is kept on this device yet.";
        return;
      }
      var categories = Array.isArray(index.categories) ? index.categories : [];
      return Promise.all([
        keptOf(Array.isArray(index.pages) ? index.pages : []),
        Promise.all(categories.map(function (category) {
          return keptOf([category].concat(category.questions || []));
        }))
      ]).then(function (found) {
        var pages = found[0];
        var questions = 0;
        pages.forEach(function (page) {
          pagesList.appendChild(link(page.url, page.title));
        });
        pagesList.hidden = pages.length === 0;
        found[1].forEach(function (kept, at) {
          var category = categories[at];
          var keptQuestions = kept.filter(function (entry) {
            return entry !== category;
          });
          if (!kept.length) return;
          questions += keptQuestions.length;
          var heading = document.createElement("h3");
          heading.textContent = category.title + ": " + keptQuestions.length + " of " +
            (category.questions || []).length + " questions";
          var list = document.createElement("ul");
          list.className = "offline-questions";
          if (kept.indexOf(category) >= 0) list.appendChild(link(category.url, "All of " + category.title));
          keptQuestions.forEach(function (question) {
            list.appendChild(link(question.url, question.title));
          });
          categoriesRoot.appendChild(heading);
          categoriesRoot.appendChild(list);
        });
        summary.textContent = keptText(questions, pages.length);
      });
    }).catch(function () {
      summary.textContent = "This browser would not say what it keeps.";
    });
  }

  var offlineRoot = document.querySelector("[data-offline-page]");
  if (offlineRoot) listKept(offlineRoot);

  // ---- mock interviews -----------------------------------------------------------------------

  /** Keeps every page of the interview on screen, so that it can be finished offline. */
  var mock = document.querySelector(".mock[data-mock-code][data-mock-total]");
  if (mock) {
    var code = mock.getAttribute("data-mock-code");
    var total = Math.min(100, parseInt(mock.getAttribute("data-mock-total"), 10) || 0);
    var urls = ["/mock/" + code + "/results"];
    for (var n = 1; n <= total; n++) urls.push("/mock/" + code + "/" + n);
    worker().then(function (active) {
      active.postMessage({ type: "prefetch", urls: urls });
    });
  }

  /** Starting an interview offline: says so on the form instead of failing. */
  var setup = document.querySelector("form.mock-setup");
  if (setup) {
    setup.addEventListener("submit", function (event) {
      if (navigator.onLine !== false) return;
      event.preventDefault();
      var note = setup.querySelector("[data-offline-note]");
      if (!note) {
        note = document.createElement("p");
        note.className = "form-problem";
        note.setAttribute("role", "alert");
        note.setAttribute("data-offline-note", "");
        setup.appendChild(note);
      }
      note.textContent = "You are offline: starting a new mock interview needs a connection, " +
        "to pick its questions. Try again once you are back online.";
    });
  }
})();
