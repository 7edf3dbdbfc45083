// drillbook: answer first, then compare. On a question page and in a mock interview the
// candidate types or records an answer before the reveal; once ours is open, they tick the key
// points they covered, the ticks suggest a grade, and "Try again" keeps the attempt for later.
//
// Everything stays in this browser and nothing here makes a request:
//   typed answers, ticks and grades: localStorage, through the page script's stores (so export
//     and import carry them), as { "12": { at: ms, attempts: [attempt, ...] } }, oldest first,
//     at most ATTEMPTS_KEPT per question. An attempt is
//       { id, started: ms, text, points: [index, ...], grade?, mock?: "CODE/2", done?,
//         audio?: { type, ms, bytes, dropped? } }
//   recordings: IndexedDB ("drillbook", store "recordings"), one Blob per attempt, keyed by the
//     attempt's id, all of them together kept under RECORDINGS_BUDGET bytes, oldest dropped
//     first. localStorage cannot hold audio, and a progress file is no place for it.
// Speech is never turned into text: the browsers' speech recognition sends audio to a service.
"use strict";

(function (root, factory) {
  var isModule = typeof module === "object" && module && module.exports;
  var api = factory(isModule ? require("./storage.js") : root.DrillbookStorage);
  if (isModule) {
    module.exports = api;
  } else {
    root.DrillbookAnswers = api;
  }
})(typeof self !== "undefined" ? self : this, function (STORAGE) {
  /** Attempts kept per question; the oldest goes when another starts. */
  var ATTEMPTS_KEPT = 3;
  /** Longest typed answer kept, in characters (as the box's maxlength). */
  var TEXT_LIMIT = 20000;
  /** Bytes all recordings may take together: about 7 hours at the bit rate below. */
  var RECORDINGS_BUDGET = 100 * 1000 * 1000;
  /** Opus at 32 kbit/s: clear speech, about 14 MB an hour. */
  var BITS_PER_SECOND = 32000;
  /** A recording stops by itself after this long, so a forgotten one cannot fill the budget. */
  var LONGEST_RECORDING_MS = 30 * 60 * 1000;
  /** Record as Opus where the browser can; otherwise whatever it records by default. */
  var PREFERRED_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4"];

  // ---- what the ticks suggest ---------------------------------------------------------------

  /**
   * The grade the ticked key points suggest: all of them "solid", at least half "partial",
   * fewer "missed"; null when there is nothing to tick. Ticks say what was covered, not how
   * easily, so Easy is left to the candidate.
   */
  function suggest(ticked, total) {
    if (!(total > 0)) return null;
    if (ticked >= total) return "solid";
    return ticked * 2 >= total ? "partial" : "missed";
  }

  // ---- stored attempts -----------------------------------------------------------------------

  function isIndexList(list) {
    return Array.isArray(list) && list.length <= 64 && list.every(function (n) {
      return Number.isInteger(n) && n >= 0 && n < 64;
    });
  }

  function validAudio(audio) {
    return audio === undefined || (!!audio && typeof audio === "object" &&
      typeof audio.type === "string" && audio.type.length <= 100 &&
      isFinite(audio.ms) && audio.ms >= 0 && isFinite(audio.bytes) && audio.bytes >= 0 &&
      (audio.dropped === undefined || typeof audio.dropped === "boolean"));
  }

  function validAttempt(a) {
    return !!a && typeof a === "object" &&
      typeof a.id === "string" && /^[a-z0-9-]{1,60}$/.test(a.id) &&
      isFinite(a.started) &&
      typeof a.text === "string" && a.text.length <= TEXT_LIMIT &&
      isIndexList(a.points) &&
      (a.grade === undefined || /^(Again|Hard|Good|Easy|missed|partial|solid)$/.test(a.grade)) &&
      (a.mock === undefined || (typeof a.mock === "string" && /^[A-Za-z0-9_-]{1,80}\/\d{1,3}$/.test(a.mock))) &&
      (a.done === undefined || typeof a.done === "boolean") &&
      validAudio(a.audio);
  }

  /** Whether a stored entry (one question's attempts) is well formed. */
  function validEntry(e) {
    return Array.isArray(e.attempts) && e.attempts.length <= ATTEMPTS_KEPT &&
      e.attempts.every(validAttempt);
  }

  /**
   * Which recordings to delete so that the rest fit in `budget` bytes: the oldest first, never
   * the newest (a single recording is far below the budget).
   */
  function recordingsToDrop(records, budget) {
    var sorted = records.slice().sort(function (a, b) { return a.at - b.at; });
    var total = sorted.reduce(function (sum, r) { return sum + r.bytes; }, 0);
    var drop = [];
    for (var i = 0; i < sorted.length - 1 && total > budget; i++) {
      total -= sorted[i].bytes;
      drop.push(sorted[i].id);
    }
    return drop;
  }

  /** 1,234,567 bytes -> "1.2 MB", as the about page's account of storage says it. */
  var sizeText = STORAGE.sizeText;

  /** 75,400 ms -> "1:15". */
  function clock(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var rest = s % 60;
    return Math.floor(s / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  // ---- recordings in IndexedDB ----------------------------------------------------------------

  var DB_NAME = "drillbook";
  var STORE = "recordings";
  var opened = null;

  /** The database, opened once; rejects where IndexedDB is missing or refused. */
  function database() {
    if (opened) return opened;
    opened = new Promise(function (resolve, reject) {
      if (typeof indexedDB === "undefined") {
        reject(new Error("no IndexedDB"));
        return;
      }
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
      request.onblocked = function () { reject(new Error("IndexedDB is blocked")); };
    });
    opened.catch(function () { opened = null; });
    return opened;
  }

  /** Runs `work(store)` in one transaction; resolves with what `work` returns once committed. */
  function transaction(mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result;
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
        result = work(tx.objectStore(STORE));
      });
    });
  }

  /** Every recording's id, size and time, without reading any audio. */
  function recordingSizes() {
    return transaction("readonly", function (store) {
      var found = [];
      store.openCursor().onsuccess = function (event) {
        var cursor = event.target.result;
        if (!cursor) return;
        found.push({ id: cursor.value.id, bytes: cursor.value.bytes, at: cursor.value.at });
        cursor.continue();
      };
      return found;
    });
  }

  function deleteRecordings(ids) {
    if (ids.length === 0) return Promise.resolve();
    return transaction("readwrite", function (store) {
      ids.forEach(function (id) { store.delete(id); });
    }).then(announceRecordings);
  }

  /** Keeps a recording; resolves with the ids of older ones deleted to stay in the budget. */
  function putRecording(record) {
    return transaction("readwrite", function (store) { store.put(record); })
      .then(recordingSizes)
      .then(function (sizes) {
        var drop = recordingsToDrop(sizes, RECORDINGS_BUDGET);
        return deleteRecordings(drop).then(function () { return drop; });
      });
  }

  /** The recording of attempt `id`, or null. */
  function getRecording(id) {
    return transaction("readonly", function (store) {
      var holder = { value: null };
      store.get(id).onsuccess = function (event) { holder.value = event.target.result || null; };
      return holder;
    }).then(function (holder) { return holder.value; });
  }

  function clearRecordings() {
    return transaction("readwrite", function (store) { store.clear(); }).then(announceRecordings);
  }

  // ---- other tabs ------------------------------------------------------------------------------
  //
  // localStorage tells other tabs of a change (the "storage" event); IndexedDB does not, so a
  // change to the recordings is announced on a BroadcastChannel, which every tab of the site
  // hears but the one that speaks.

  var CHANNEL_NAME = "drillbook-recordings";
  var channel = null;

  /** The channel, opened the first time a page uses it (never under Node's tests). */
  function recordingsChannel() {
    if (!channel && typeof BroadcastChannel !== "undefined") {
      channel = new BroadcastChannel(CHANNEL_NAME);
    }
    return channel;
  }

  function announceRecordings() {
    var open = recordingsChannel();
    if (open) open.postMessage("recordings changed");
  }

  /** Calls `listener` when another tab keeps or deletes a recording. */
  function onRecordingsChange(listener) {
    var open = recordingsChannel();
    if (open) open.addEventListener("message", function () { listener(); });
  }

  // ---- the recorder --------------------------------------------------------------------------

  /** Why recording cannot work here, for people; null when it can. */
  function recordingUnavailable() {
    if (typeof window.MediaRecorder === "undefined") {
      return "This browser cannot record audio here. Typing your answer works.";
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return window.isSecureContext ? "This browser gives this page no microphone. Typing your answer works." :
        "Recording needs a secure (https) connection to this site. Typing your answer works.";
    }
    return null;
  }

  /** What to tell the candidate when the microphone cannot be had. */
  function microphoneProblem(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") {
      return "The microphone was refused, so nothing is being recorded. Typing still works; " +
        "to record, allow the microphone for this site in the browser's settings, then press " +
        "Record again.";
    }
    if (name === "NotFoundError" || name === "OverconstrainedError") {
      return "No microphone was found. Typing still works; connect one and press Record again.";
    }
    return "The microphone could not be started (" + (name || "unknown error") + "). " +
      "Typing still works.";
  }

  function recorderOptions() {
    var options = { audioBitsPerSecond: BITS_PER_SECOND };
    var type = PREFERRED_TYPES.filter(function (t) {
      return window.MediaRecorder.isTypeSupported && window.MediaRecorder.isTypeSupported(t);
    })[0];
    if (type) options.mimeType = type;
    return options;
  }

  /**
   * Records from the microphone. `show` is called every tenth of a second while recording with
   * the milliseconds so far and the input level (0 to 1, or null without a meter); `done` with
   * { blob, ms } when it stops, { error } when the microphone cannot be had, or { cancelled }
   * when stopped before the microphone was granted.
   */
  function Recorder(show, done) {
    var recorder = null;
    var stream = null;
    var context = null;
    var ticker = 0;
    var startedAt = 0;
    this.active = false;

    var self = this;

    function level(analyser, samples) {
      if (!analyser) return null;
      analyser.getFloatTimeDomainData(samples);
      var sum = 0;
      for (var i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
      // Speech peaks around 0.1-0.3 RMS; scale so that ordinary speaking fills most of the bar.
      return Math.min(1, Math.sqrt(sum / samples.length) * 4);
    }

    function release() {
      clearInterval(ticker);
      if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
      if (context && context.close) context.close().catch(function () {});
      stream = null;
      context = null;
    }

    this.start = function () {
      self.active = true;
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (granted) {
        if (!self.active) {
          granted.getTracks().forEach(function (track) { track.stop(); });
          return;
        }
        stream = granted;
        var chunks = [];
        try {
          recorder = new window.MediaRecorder(stream, recorderOptions());
        } catch (e) {
          recorder = new window.MediaRecorder(stream);
        }
        recorder.ondataavailable = function (event) {
          if (event.data && event.data.size > 0) chunks.push(event.data);
        };
        recorder.onstop = function () {
          var ms = Math.round(performance.now() - startedAt);
          var type = recorder.mimeType || (chunks[0] && chunks[0].type) || "audio/webm";
          release();
          self.active = false;
          done({ blob: new Blob(chunks, { type: type }), ms: ms });
        };
        var analyser = null;
        var samples = null;
        try {
          var Context = window.AudioContext || window.webkitAudioContext;
          context = new Context();
          analyser = context.createAnalyser();
          analyser.fftSize = 1024;
          samples = new Float32Array(analyser.fftSize);
          context.createMediaStreamSource(stream).connect(analyser);
        } catch (e) {
          analyser = null;
        }
        recorder.start(1000);
        startedAt = performance.now();
        ticker = setInterval(function () {
          var ms = performance.now() - startedAt;
          show(ms, level(analyser, samples));
          if (ms >= LONGEST_RECORDING_MS) self.stop();
        }, 100);
        show(0, 0);
      }, function (error) {
        self.active = false;
        release();
        done({ error: error });
      });
    };

    this.stop = function () {
      if (recorder && recorder.state !== "inactive") {
        recorder.stop();
      } else {
        // Still waiting for the microphone: the grant, when it comes, is handed straight back.
        self.active = false;
        release();
        done({ cancelled: true });
      }
    };
  }

  // ---- players ---------------------------------------------------------------------------------

  /**
   * An <audio> player for a recording. Chromium's WebM from MediaRecorder has no duration in
   * its header, so the player would show none: seeking past the end once makes the browser read
   * the file through and learn it, then the player goes back to the start.
   */
  function player(blob, label) {
    var audio = document.createElement("audio");
    audio.controls = true;
    audio.preload = "metadata";
    audio.setAttribute("aria-label", label);
    audio.addEventListener("loadedmetadata", function () {
      if (audio.duration !== Infinity) return;
      var back = function () {
        if (!isFinite(audio.duration)) return;
        audio.removeEventListener("durationchange", back);
        audio.currentTime = 0;
      };
      audio.addEventListener("durationchange", back);
      audio.currentTime = 1e101;
    });
    audio.src = URL.createObjectURL(blob);
    return audio;
  }

  /** Replaces `slot`'s content with the player of attempt `attempt`'s recording, if kept. */
  function showRecording(slot, attempt, label) {
    slot.textContent = "";
    var audio = attempt && attempt.audio;
    if (!audio) {
      slot.hidden = true;
      return Promise.resolve();
    }
    slot.hidden = false;
    var caption = document.createElement("p");
    caption.className = "recording-caption";
    slot.appendChild(caption);
    if (audio.dropped) {
      caption.textContent = "Recording (" + clock(audio.ms) + ") deleted to keep recordings under " +
        sizeText(RECORDINGS_BUDGET) + ".";
      return Promise.resolve();
    }
    caption.textContent = label + ", " + clock(audio.ms) + ":";
    return getRecording(attempt.id).then(function (record) {
      if (!record || !record.blob) {
        caption.textContent = "Recording (" + clock(audio.ms) + ") not in this browser: " +
          "recordings stay where they were made.";
        return;
      }
      slot.appendChild(player(record.blob, label + ", " + clock(audio.ms)));
    }, function () {
      caption.textContent = "Recording (" + clock(audio.ms) + ") cannot be read: this browser's " +
        "storage is turned off.";
    });
  }

  /** A typed answer as a paragraph that keeps its line breaks, or a note that there is none. */
  function typedText(text) {
    var p = document.createElement("p");
    if (text.trim()) {
      p.className = "typed-answer";
      p.textContent = text;
    } else {
      p.className = "note";
      p.textContent = "Nothing typed.";
    }
    return p;
  }

  function dateText(ms) {
    return new Date(ms).toLocaleString(undefined, {
      weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit"
    });
  }

  // ---- the loop on a page ------------------------------------------------------------------------

  /**
   * Sets up "Your answer" (`section`) for question `hooks.questionId`:
   *   hooks.store    { read(): all entries, write(all): whether kept }, the page script's store
   *   hooks.answer   the <details> holding our answer
   *   hooks.compare  the element that lays the two side by side once revealed
   *   hooks.bindKey  the page script's shortcut registry
   *   hooks.saveAsTyped  the page script's saving of a field as it is typed (merging a change
   *                  another tab stored meanwhile)
   *   hooks.notSaved the sentence for a write the browser refused
   *   hooks.gradeOf  suggested grade -> review grade (missed 1, partial 2, solid 3)
   *   hooks.mock     in a mock interview, { tag: "CODE/2", attempt: id or null, remember(id) }
   * Returns { graded(name) }, for the page script to call when a grade is given.
   */
  function setUp(section, hooks) {
    var id = hooks.questionId;
    var mock = hooks.mock || null;
    var field = section.querySelector("[data-answer-text]");
    var status = section.querySelector("[data-answer-status]");
    var recordButton = section.querySelector("[data-record]");
    var recordClock = section.querySelector("[data-record-clock]");
    var meter = section.querySelector("[data-record-level]");
    var recordStatus = section.querySelector("[data-record-status]");
    var recordingSlot = section.querySelector("[data-recording]");
    var check = section.querySelector("[data-answer-check]");
    var boxes = section.querySelectorAll("input[name=point]");
    var suggestion = section.querySelector("[data-suggestion]");
    var actions = section.querySelector("[data-attempt-actions]");
    var tryAgain = section.querySelector("[data-try-again]");
    var earlier = section.querySelector("[data-attempts]");
    var earlierList = section.querySelector("[data-attempt-list]");
    var current = null;
    var gradeChosen = false;

    function attempts() {
      var e = hooks.store.read()[id];
      return e ? e.attempts.slice() : [];
    }

    /** The attempt the box holds: this interview's, or the newest one still open. */
    function findCurrent() {
      var all = attempts();
      if (mock) {
        return all.filter(function (a) { return a.id === mock.attempt; })[0] || null;
      }
      var last = all[all.length - 1];
      return last && !last.done && !last.mock ? last : null;
    }

    /**
     * Applies `change` to the current attempt (starting one if there is none) and stores it;
     * the store is read afresh, so another tab's changes to other questions survive.
     */
    function update(change) {
      var all = hooks.store.read();
      var entry = all[id] || { attempts: [] };
      var list = entry.attempts.slice();
      var at = -1;
      if (current) {
        list.forEach(function (a, i) { if (a.id === current.id) at = i; });
      }
      if (at === -1) {
        if (!current) {
          var now = Date.now();
          current = { id: id + "-" + now.toString(36) + "-" + Math.floor(Math.random() * 1e6).toString(36),
            started: now, text: "", points: [] };
          if (mock) {
            current.mock = mock.tag;
            mock.attempt = current.id;
            mock.remember(current.id);
          }
        }
        list.push(current);
        at = list.length - 1;
      }
      change(list[at]);
      current = list[at];
      var dropped = list.splice(0, Math.max(0, list.length - ATTEMPTS_KEPT));
      all[id] = { attempts: list, at: Date.now() };
      var kept = hooks.store.write(all);
      deleteRecordings(dropped.map(function (a) { return a.id; })).catch(function () {});
      if (dropped.length > 0) renderEarlier();
      actions.hidden = false;
      return kept;
    }

    /** The current attempt's text as stored now, which another tab may have changed. */
    function storedText() {
      var stored = current && attempts().filter(function (a) { return a.id === current.id; })[0];
      return stored ? stored.text : "";
    }

    // Typing: saved a moment after it stops, and when the box is left or the page hidden.
    var typing = hooks.saveAsTyped(field, status, function (text) {
      return update(function (a) { a.text = text.slice(0, TEXT_LIMIT); });
    }, storedText);
    var flush = typing.flush;

    // Recording.
    var recorder = new Recorder(function (ms, level) {
      if (ms === 0) {
        recordStatus.textContent = current && current.audio && !current.audio.dropped ?
          "Recording: this replaces the attempt's earlier recording. Press Stop or m to finish." :
          "Recording. Press Stop or m to finish.";
      }
      recordClock.textContent = clock(ms);
      if (level === null) meter.hidden = true;
      else meter.value = level;
    }, finishRecording);

    function setRecording(on) {
      recordButton.textContent = on ? "Stop" : current && current.audio && !current.audio.dropped ?
        "Record again" : "Record";
      recordButton.classList.toggle("recording-now", on);
      recordClock.hidden = !on;
      meter.hidden = !on;
      if (!on) meter.value = 0;
    }

    function toggleRecording() {
      if (recordButton.disabled) return;
      if (recorder.active) {
        recorder.stop();
        return;
      }
      recordStatus.textContent = "Asking for the microphone…";
      recordClock.textContent = "0:00";
      setRecording(true);
      recorder.start();
    }

    // Following a link while recording stops the recording and keeps it, then goes on; closing
    // or reloading the page asks first, as the browser can keep nothing after it.
    var leaving = null;
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href]");
      if (!link || !recorder.active || event.defaultPrevented || link.target ||
          event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      leaving = link.href;
      recordStatus.textContent = "Keeping your recording…";
      recorder.stop();
    });
    window.addEventListener("beforeunload", function (event) {
      if (!recorder.active) return;
      event.preventDefault();
      event.returnValue = "";
    });
    function goOn() {
      if (leaving) window.location.href = leaving;
    }

    function finishRecording(result) {
      setRecording(false);
      if (result.error || result.cancelled) {
        recordStatus.textContent = result.error ? microphoneProblem(result.error) : "";
        goOn();
        return;
      }
      var blob = result.blob;
      var audio = { type: blob.type, ms: result.ms, bytes: blob.size };
      flush();
      var previous = current && current.audio ? current.audio : null;
      update(function (a) { a.audio = audio; });
      var attemptId = current.id;
      setRecording(false);
      var said = "Recorded " + clock(result.ms) + ".";
      recordStatus.textContent = said;
      putRecording({ id: attemptId, question: Number(id), at: Date.now(), ms: result.ms,
        bytes: blob.size, type: blob.type, blob: blob }).then(function (dropped) {
        // Read it back: a recording is only reported kept once the database returns it whole.
        return getRecording(attemptId).then(function (record) {
          if (!record || !record.blob || record.blob.size !== blob.size) {
            throw new Error("the recording read back is not the one stored");
          }
          announceRecordings();
          return dropped;
        });
      }).then(function (dropped) {
        if (dropped.length > 0) {
          markDropped(hooks.store, dropped);
          recordStatus.textContent = said + " " + (dropped.length === 1 ? "The oldest recording was" :
            "The " + dropped.length + " oldest recordings were") + " deleted to keep recordings under " +
            sizeText(RECORDINGS_BUDGET) + ".";
          renderEarlier();
        }
        goOn();
        return showRecording(recordingSlot, current, "Your recording");
      }, function () {
        // The attempt goes back to the recording it had, which the failed write left in place.
        if (current && current.id === attemptId) {
          update(function (a) {
            if (previous) a.audio = previous;
            else delete a.audio;
          });
          setRecording(false);
        }
        recordStatus.textContent = said + " It could not be kept: this browser's storage is full " +
          "or turned off. You can listen to it until you leave the page.";
        recordingSlot.textContent = "";
        recordingSlot.hidden = false;
        recordingSlot.appendChild(player(blob, "Your recording, " + clock(result.ms)));
        goOn();
      });
    }

    var unavailable = recordingUnavailable();
    if (unavailable) {
      recordButton.disabled = true;
      recordStatus.textContent = unavailable;
    } else {
      recordButton.addEventListener("click", toggleRecording);
      hooks.bindKey(["m"], "m", "start or stop recording your answer", toggleRecording);
    }

    // The reveal: ours beside yours, the key points to tick, the grade they suggest.
    function ticked() {
      return Array.prototype.filter.call(boxes, function (b) { return b.checked; })
        .map(function (b) { return Number(b.value); });
    }

    function showSuggestion(fromTick) {
      var points = ticked();
      var name = suggest(points.length, boxes.length);
      var counted = points.length + " of " + boxes.length + " key points";
      section.querySelectorAll("button[data-grade]").forEach(function (b) {
        b.classList.toggle("suggested", !!name && Number(b.dataset.grade) === hooks.gradeOf[name]);
      });
      if (!name || (points.length === 0 && !fromTick)) {
        suggestion.textContent = "";
        return;
      }
      if (mock) {
        suggestion.textContent = "Suggested: " + name + ", for " + counted + ".";
        var radio = section.querySelector("input[name=grade][value=" + name + "]");
        if (fromTick && radio && !gradeChosen && !radio.checked) {
          radio.checked = true;
          radio.dispatchEvent(new Event("change", { bubbles: true }));
        }
      } else {
        var label = ["", "Again", "Hard", "Good", "Easy"][hooks.gradeOf[name]];
        suggestion.textContent = "Suggested: " + label + ", for " + counted + "." +
          (name === "solid" ? " Press Easy if it came easily." : " Press a grade to schedule it.");
      }
    }

    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        var points = ticked();
        var kept = update(function (a) { a.points = points; });
        showSuggestion(true);
        if (!kept) suggestion.textContent = hooks.notSaved();
      });
    });
    section.querySelectorAll("input[name=grade]").forEach(function (radio) {
      radio.addEventListener("change", function (event) {
        if (event.isTrusted) gradeChosen = true;
      });
    });

    function showRevealed() {
      var open = hooks.answer.open;
      check.hidden = !open;
      hooks.compare.classList.toggle("revealed", open);
      document.body.classList.toggle("comparing", open);
      if (open) showSuggestion(false);
    }
    hooks.answer.addEventListener("toggle", showRevealed);

    // Try again: this attempt joins the list below, the box and the ticks start empty.
    tryAgain.addEventListener("click", function () {
      if (recorder.active) recorder.stop();
      flush();
      if (current) update(function (a) { a.done = true; });
      current = null;
      if (mock) {
        mock.attempt = null;
        mock.remember(null);
      }
      field.value = "";
      boxes.forEach(function (b) { b.checked = false; });
      gradeChosen = false;
      section.querySelectorAll("input[name=grade]").forEach(function (r) { r.checked = false; });
      section.querySelectorAll("button[data-grade]").forEach(function (b) {
        b.setAttribute("aria-pressed", "false");
      });
      suggestion.textContent = "";
      recordStatus.textContent = "";
      showRecording(recordingSlot, null, "");
      setRecording(false);
      hooks.answer.open = false;
      showRevealed();
      actions.hidden = true;
      renderEarlier();
      status.textContent = "Your last attempt is kept below. Answer again.";
      field.focus();
    });

    function renderEarlier() {
      var list = attempts().filter(function (a) { return !current || a.id !== current.id; })
        .reverse();
      earlierList.textContent = "";
      list.forEach(function (a, i) {
        var item = document.createElement("li");
        item.className = "attempt";
        var head = document.createElement("p");
        head.className = "attempt-head";
        var time = document.createElement("time");
        time.dateTime = new Date(a.started).toISOString();
        time.textContent = dateText(a.started);
        head.appendChild(time);
        var facts = [];
        if (a.mock) facts.push("in a mock interview");
        facts.push(a.points.length + " key point" + (a.points.length === 1 ? "" : "s") + " ticked");
        if (a.grade) facts.push("graded " + a.grade);
        head.appendChild(document.createTextNode(": " + facts.join(", ")));
        item.appendChild(head);
        item.appendChild(typedText(a.text));
        var slot = document.createElement("div");
        slot.className = "recording";
        item.appendChild(slot);
        showRecording(slot, a, "Recording of attempt " + (list.length - i)).catch(function () {});
        earlierList.appendChild(item);
      });
      earlier.hidden = list.length === 0;
    }

    function render() {
      current = findCurrent();
      typing.show(current ? current.text : "");
      // In an interview the page script restores the ticks, from the interview's own record.
      if (!mock) {
        var points = current ? current.points : [];
        boxes.forEach(function (b) { b.checked = points.indexOf(Number(b.value)) !== -1; });
      }
      actions.hidden = !current;
      setRecording(recorder.active);
      if (!recorder.active) showRecording(recordingSlot, current, "Your recording").catch(function () {});
      renderEarlier();
      showRevealed();
    }
    render();

    return {
      // A grade joins the attempt under way; grading without answering here starts none.
      graded: function (name) {
        if (current) update(function (a) { a.grade = name; });
      },
      render: render
    };
  }

  /** Whether an attempt still holds anything: text, a kept recording, ticks or a grade. */
  function hasContent(a) {
    return !!(a.text.trim() || (a.audio && !a.audio.dropped) || a.points.length || a.grade);
  }

  /** Marks the recordings of attempts `ids` as deleted in the typed store. */
  function markDropped(store, ids) {
    var all = store.read();
    Object.keys(all).forEach(function (qid) {
      var touched = false;
      all[qid].attempts.forEach(function (a) {
        if (a.audio && ids.indexOf(a.id) !== -1) {
          a.audio.dropped = true;
          touched = true;
        }
      });
      if (touched) all[qid].at = Date.now();
    });
    store.write(all);
  }

  // ---- the mock interview's results ----------------------------------------------------------

  /**
   * Fills in "Your answers" on a results page: `answerOf(number)` gives the interview's record
   * of question `number` ({ attempt, points, grade }), `store` the typed attempts.
   */
  function showResults(section, store, answerOf) {
    var all = store.read();
    section.querySelectorAll("article[data-number]").forEach(function (article) {
      var given = answerOf(article.dataset.number) || {};
      var entry = all[article.dataset.questionId];
      var attempt = entry && given.attempt ? entry.attempts.filter(function (a) {
        return a.id === given.attempt;
      })[0] : null;
      var body = article.querySelector("[data-answer-body]");
      if (attempt) {
        body.textContent = "";
        body.appendChild(typedText(attempt.text));
        var slot = document.createElement("div");
        slot.className = "recording";
        body.appendChild(slot);
        showRecording(slot, attempt, "Your recording for question " + article.dataset.number)
          .catch(function () {});
      } else if (given.attempt) {
        body.querySelector("p").textContent = "Not kept: each question keeps its last " +
          ATTEMPTS_KEPT + " attempts, and this one was older.";
      }
      var points = Array.isArray(given.points) ? given.points : [];
      article.querySelector("[data-answer-ticked]").textContent = String(points.length);
      article.querySelectorAll("li[data-point]").forEach(function (li) {
        var said = points.indexOf(Number(li.dataset.point)) !== -1;
        li.classList.toggle("point-ticked", said);
        li.querySelector(".point-mark").textContent = said ? "✓" : "○";
        li.querySelector("[data-point-said]").textContent = said ? "Ticked: " : "Not ticked: ";
      });
      if (/^(missed|partial|solid)$/.test(given.grade)) {
        var grade = article.querySelector("[data-answer-grade]");
        grade.textContent = "Graded " + given.grade;
        grade.className = "mock-answer-grade grade-" + given.grade;
      }
    });
  }

  // ---- the about page: space used, delete all ---------------------------------------------------

  /** The space used and the two delete buttons; `store` is the typed attempts' store. */
  function setUpStorageTools(section, store) {
    var usage = section.querySelector("[data-answer-usage]");
    var message = section.querySelector("[data-answer-message]");

    function typedCount() {
      var all = store.read();
      var count = 0;
      var chars = 0;
      Object.keys(all).forEach(function (qid) {
        all[qid].attempts.forEach(function (a) {
          if (a.text.trim()) {
            count += 1;
            chars += a.text.length;
          }
        });
      });
      return { count: count, chars: chars };
    }

    function render() {
      var typed = typedCount();
      var typedPart = typed.count + " typed answer" + (typed.count === 1 ? "" : "s") + " (" +
        sizeText(typed.chars * 2) + ")";
      return recordingSizes().then(function (sizes) {
        var bytes = sizes.reduce(function (sum, r) { return sum + r.bytes; }, 0);
        usage.textContent = sizes.length + " recording" + (sizes.length === 1 ? "" : "s") +
          " (" + sizeText(bytes) + " of the " + sizeText(RECORDINGS_BUDGET) + " they may use) and " +
          typedPart + " in this browser.";
        usage.dataset.recordings = String(sizes.length);
      }, function () {
        usage.textContent = typedPart + " in this browser; recordings cannot be kept here " +
          "(this browser's IndexedDB is turned off).";
        usage.dataset.recordings = "0";
      });
    }

    section.querySelector("[data-delete-recordings]").addEventListener("click", function () {
      if (!window.confirm("Delete every recording of your answers in this browser?")) return;
      forgetRecordings(store).then(function () {
        message.textContent = "Every recording was deleted.";
        return render();
      }, function () {
        message.textContent = "The recordings could not be deleted: this browser's storage is turned off.";
      });
    });
    section.querySelector("[data-delete-answers]").addEventListener("click", function () {
      if (!window.confirm("Delete every typed answer in this browser? Recordings stay.")) return;
      var all = store.read();
      Object.keys(all).forEach(function (qid) {
        all[qid].attempts.forEach(function (a) { a.text = ""; });
        all[qid].attempts = all[qid].attempts.filter(hasContent);
        all[qid].at = Date.now();
      });
      message.textContent = store.write(all) ? "Every typed answer was deleted." :
        "The typed answers could not be deleted: this browser's storage is turned off.";
      render();
    });
    render();
    return render;
  }

  /** Deletes every recording, and says so in the attempts that had one. */
  function forgetRecordings(store) {
    return clearRecordings().then(function () {
      var all = store.read();
      Object.keys(all).forEach(function (qid) {
        all[qid].attempts.forEach(function (a) { delete a.audio; });
        all[qid].attempts = all[qid].attempts.filter(hasContent);
        all[qid].at = Date.now();
      });
      store.write(all);
    });
  }

  return Object.freeze({
    ATTEMPTS_KEPT: ATTEMPTS_KEPT,
    RECORDINGS_BUDGET: RECORDINGS_BUDGET,
    suggest: suggest,
    validEntry: validEntry,
    recordingsToDrop: recordingsToDrop,
    sizeText: sizeText,
    setUp: setUp,
    showResults: showResults,
    setUpStorageTools: setUpStorageTools,
    forgetRecordings: forgetRecordings,
    onRecordingsChange: onRecordingsChange
  });
});
