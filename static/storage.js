// drillbook: keeping what people build in this browser. Everything they do lives in the
// browser's storage, so the browser's rules for clearing it are the site's durability promise:
// this file holds the rules the page script (static/app.js) follows to manage them. When to ask
// the browser to keep the site's storage (persistence), when a backup reminder is worth showing,
// how a note changed in two tabs at once keeps both texts, and what a failed write tells the
// person. They are functions of what they are given, so tests/js/storage.test.js runs them under
// Node as they are served; the page script reads the browser and calls them.
"use strict";

(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module && module.exports) {
    module.exports = api;
  } else {
    root.DrillbookStorage = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  var DAY_MS = 24 * 60 * 60 * 1000;
  /**
   * Days after a backup before a reminder, while the browser may clear storage to free space:
   * a week of study is what a clean-up would take.
   */
  var BACKUP_DAYS_UNPROTECTED = 7;
  /** Days after a backup before a reminder once storage is persistent: a lost device remains. */
  var BACKUP_DAYS_PERSISTENT = 30;
  /** The reminder comes at most once in this many days, however often the site is opened. */
  var NUDGE_GAP_DAYS = 7;
  /** Questions whose progress changed since the last backup that make it worth a reminder. */
  var MIN_CHANGES = 5;
  /**
   * Days before asking for persistence again after the browser said no: Chromium grants it as a
   * site is used more (bookmarked, installed, visited often), so a later ask may succeed.
   */
  var ASK_AGAIN_DAYS = 1;
  /** The line a note merged from two tabs carries between the two texts. */
  var MERGE_MARKER = "--- Written in another tab at the same time ---";

  // ---- persistence ----------------------------------------------------------------------------

  /**
   * Asks the browser to keep the site's storage unless it already does. `manager` is
   * navigator.storage (absent in old browsers), `asked` remembers when it was last asked:
   * { get(): ms or null, set(ms) }. Resolves with true (persistent), false (not, this time) or
   * null (the browser cannot say).
   */
  function askToPersist(manager, asked, now) {
    if (!manager || typeof manager.persist !== "function") return Promise.resolve(null);
    return persistedIn(manager).then(function (persisted) {
      if (persisted !== false) return persisted;
      var last = asked.get();
      if (isFinite(last) && last !== null && now - last < ASK_AGAIN_DAYS * DAY_MS) return false;
      asked.set(now);
      return Promise.resolve(manager.persist()).then(function (granted) { return !!granted; });
    }).catch(function () { return null; });
  }

  /**
   * Whether `manager` (navigator.storage) keeps the site's storage: a promise of true, false or
   * null (the browser cannot say, or the call failed).
   */
  function persistedIn(manager) {
    if (!manager || typeof manager.persisted !== "function") return Promise.resolve(null);
    return Promise.resolve().then(function () { return manager.persisted(); })
      .then(function (persisted) { return !!persisted; }, function () { return null; });
  }

  /** `manager.estimate()` (navigator.storage), or null when the browser gives none. */
  function estimateIn(manager) {
    if (!manager || typeof manager.estimate !== "function") return Promise.resolve(null);
    return Promise.resolve().then(function () { return manager.estimate(); })
      .catch(function () { return null; });
  }

  /** Where the time of the last ask is kept, so that every page of the site asks at most daily. */
  var PERSIST_ASKED_KEY = "drillbook:persist-asked";

  /**
   * The last ask's time in `getStorage()` (a function, since reading window.localStorage itself
   * throws where storage is blocked), for askToPersist.
   */
  function askedIn(getStorage) {
    return {
      get: function () {
        try {
          var value = Number(getStorage().getItem(PERSIST_ASKED_KEY));
          return value > 0 ? value : null;
        } catch (e) {
          return null;
        }
      },
      set: function (ms) {
        try {
          getStorage().setItem(PERSIST_ASKED_KEY, String(ms));
        } catch (e) {
          // Then it is asked again next time, which does no harm.
        }
      }
    };
  }

  /**
   * What persistence means here, in one sentence for each case: `persisted` is true, false or
   * null (the browser cannot say).
   */
  function persistenceText(persisted) {
    if (persisted === true) {
      return "Storage here is persistent: this browser will not clear drillbook's data to " +
        "free space, so it goes only if you clear it yourself.";
    }
    if (persisted === false) {
      return "Storage here is not persistent: when the device runs short of space (or, in " +
        "Safari, after about a week of browsing without opening the site) this browser may " +
        "delete everything drillbook keeps here, your progress included, without asking.";
    }
    return "This browser does not say whether it may clear drillbook's data to free space, so " +
      "keep a copy of your progress now and then.";
  }

  /** 1,234,567 bytes -> "1.2 MB". */
  function sizeText(bytes) {
    if (bytes < 1000) return Math.round(bytes) + " bytes";
    if (bytes < 1000 * 1000) return Math.round(bytes / 1000) + " KB";
    if (bytes < 1000 * 1000 * 1000) return (Math.round(bytes / 100000) / 10) + " MB";
    return (Math.round(bytes / 100000000) / 10) + " GB";
  }

  /** The space used, from navigator.storage.estimate(); null when the browser gives none. */
  function usageText(estimate) {
    if (!estimate || !isFinite(estimate.usage)) return null;
    var text = "drillbook uses " + sizeText(estimate.usage) + " here (progress, recordings and " +
      "pages kept offline)";
    if (isFinite(estimate.quota) && estimate.quota > 0) {
      text += ", of the " + sizeText(estimate.quota) + " this browser lets it use";
    }
    return text + ".";
  }

  // ---- backups ----------------------------------------------------------------------------------

  /**
   * How many questions have an entry in `stores` ({ name: { id: { at } } }) changed after
   * `since` (ms, or null for ever): a grade touches three stores but is one question's progress.
   */
  function changesSince(stores, since) {
    var changed = {};
    Object.keys(stores).forEach(function (name) {
      var entries = stores[name] || {};
      Object.keys(entries).forEach(function (id) {
        var at = entries[id] && entries[id].at;
        if (isFinite(at) && at !== null && (since === null || since === undefined || at > since)) {
          changed[id] = true;
        }
      });
    });
    return Object.keys(changed).length;
  }

  /** The backup record as stored, checked: { at, how, shown?, dismissed? }, with junk dropped. */
  function readBackup(raw) {
    var record = { at: null, how: null, shown: null, dismissed: null };
    if (!raw || typeof raw !== "object") return record;
    if (isFinite(raw.at) && raw.at !== null && /^(file|link)$/.test(raw.how)) {
      record.at = Number(raw.at);
      record.how = raw.how;
    }
    if (isFinite(raw.shown) && raw.shown !== null) record.shown = Number(raw.shown);
    if (isFinite(raw.dismissed) && raw.dismissed !== null) record.dismissed = Number(raw.dismissed);
    return record;
  }

  /**
   * Whether to remind now that progress has no copy elsewhere, and why. `state`:
   *   persisted  true, false or null (the browser cannot say, taken as "may be cleared")
   *   changes    questions whose progress changed since the last backup (or ever, without one)
   *   backup     readBackup's record: when the last backup was made, when a reminder was last
   *              shown and when it was last dismissed
   *   now        ms
   * Returns null, or { reason: "unprotected" | "old", days: whole days since the backup or null,
   * changes, start: whether this showing starts a new reminder (to be recorded as `shown`) }.
   * A reminder, once shown, stays up for the day unless dismissed, then stays away for the
   * rest of the week: never more than one day of reminding in NUDGE_GAP_DAYS.
   */
  function nudge(state) {
    var backup = state.backup;
    var now = state.now;
    if (!(state.changes >= MIN_CHANGES)) return null;
    var protectedStorage = state.persisted === true;
    var waitDays = protectedStorage ? BACKUP_DAYS_PERSISTENT : BACKUP_DAYS_UNPROTECTED;
    var age = backup.at === null ? Infinity : now - backup.at;
    if (age < waitDays * DAY_MS) return null;
    var start = true;
    if (backup.shown !== null && now - backup.shown < NUDGE_GAP_DAYS * DAY_MS &&
        now >= backup.shown) {
      var dismissed = backup.dismissed !== null && backup.dismissed >= backup.shown;
      if (dismissed || now - backup.shown >= DAY_MS) return null;
      start = false;
    }
    return {
      reason: protectedStorage ? "old" : "unprotected",
      days: backup.at === null ? null : Math.floor(age / DAY_MS),
      changes: state.changes,
      start: start
    };
  }

  /** The reminder's sentence, before the ways to keep a copy. */
  function nudgeText(reminder) {
    var what = "Your progress on " + reminder.changes + " questions ";
    var since = reminder.days === null ? what + "exists only in this browser" :
      what + "changed since your last copy, " + reminder.days + " days ago";
    if (reminder.reason === "unprotected") {
      return since + ", and this browser may clear it to free space. Keep a copy:";
    }
    return since + ": a lost or reset device would take it with it. Keep a copy:";
  }

  /** The last backup, for the about page: "You last exported a file on …", given the date's text. */
  function backupText(backup, dayText) {
    if (backup.at === null) return "No copy of this browser's progress has been made yet.";
    return (backup.how === "file" ? "You last exported a file on " :
      "You last made a transfer link on ") + dayText + ".";
  }

  // ---- two tabs, one note -------------------------------------------------------------------------

  /**
   * The text to store when a field was edited from `base` to `mine` while another tab stored
   * `theirs`. When only one side changed, or one text holds the other whole, that text wins;
   * when both changed, both are kept, this tab's first, with MERGE_MARKER between, so nothing
   * typed in either tab is lost. Returns { text, merged: whether both were kept }.
   */
  function mergeText(base, mine, theirs) {
    if (mine === theirs || theirs === base) return { text: mine, merged: false };
    if (mine === base) return { text: theirs, merged: false };
    if (mine.indexOf(theirs) !== -1) return { text: mine, merged: false };
    if (theirs.indexOf(mine) !== -1) return { text: theirs, merged: false };
    return { text: mine + "\n\n" + MERGE_MARKER + "\n" + theirs, merged: true };
  }

  // ---- failed writes -------------------------------------------------------------------------------

  /** Why a write failed, for people: `error` is what the browser threw (or null). */
  function writeProblem(error) {
    var name = error && error.name;
    if (name === "QuotaExceededError" || name === "NS_ERROR_DOM_QUOTA_REACHED" ||
        (error && error.code === 22)) {
      return "this browser's storage for the site is full";
    }
    if (name === "SecurityError" || name === "InvalidAccessError") {
      return "this browser does not let the site store anything (storage is turned off or " +
        "blocked)";
    }
    return "this browser refused to store it";
  }

  /** The sentence shown where a person acted when what they did could not be kept. */
  function notSavedText(error) {
    return "Not saved: " + writeProblem(error) + ". What was saved before is unchanged.";
  }

  return Object.freeze({
    DAY_MS: DAY_MS,
    BACKUP_DAYS_UNPROTECTED: BACKUP_DAYS_UNPROTECTED,
    BACKUP_DAYS_PERSISTENT: BACKUP_DAYS_PERSISTENT,
    NUDGE_GAP_DAYS: NUDGE_GAP_DAYS,
    MIN_CHANGES: MIN_CHANGES,
    ASK_AGAIN_DAYS: ASK_AGAIN_DAYS,
    MERGE_MARKER: MERGE_MARKER,
    PERSIST_ASKED_KEY: PERSIST_ASKED_KEY,
    askToPersist: askToPersist,
    askedIn: askedIn,
    persistedIn: persistedIn,
    estimateIn: estimateIn,
    persistenceText: persistenceText,
    sizeText: sizeText,
    usageText: usageText,
    changesSince: changesSince,
    readBackup: readBackup,
    nudge: nudge,
    nudgeText: nudgeText,
    backupText: backupText,
    mergeText: mergeText,
    writeProblem: writeProblem,
    notSavedText: notSavedText
  });
});
