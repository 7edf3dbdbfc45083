// drillbook: pair practice. The interviewer's pages keep their ticks, ratings, notes and timer
// in their own browser; at the end they become a scorecard link whose fragment (after "#", a
// part of the URL browsers never send) holds it all, so the server sees none of it. The
// candidate's scorecard page reads the fragment back.
//
// The fragment is base64url of these bytes:
//   0       format version (1)
//   1-4     FNV-1a (32-bit) of the interview code: a scorecard opens only on its interview
//   5       number of questions N
//   6       number of rubric dimensions K (0 to 6)
//   then per question, in the order asked:
//           key points heard, a bit per point (LEB128 varint)
//           follow-ups asked, a bit per follow-up (varint)
//           K ratings, 0 (not rated) to 4, two to a byte (high half first)
//           the note: its length in UTF-8 bytes (varint), then the bytes
//   then    the overall note, the same way
//   last 4  FNV-1a (32-bit) of every byte before: a damaged or cut-off link is refused
// Notes are at most NOTES_LIMIT characters in all, so the link stays short enough for any chat.
"use strict";

(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module && module.exports) {
    module.exports = api;
  } else {
    root.DrillbookScorecard = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  var VERSION = 1;
  /** Characters of notes a scorecard holds, all notes together. */
  var NOTES_LIMIT = 1500;
  var MAX_DIMENSIONS = 6;
  var MAX_LEVEL = 4;
  /** Key points or follow-ups a question may have and still fit a varint of 5 bytes. */
  var MAX_ITEMS = 32;

  // ---- bytes ---------------------------------------------------------------------------------

  function fnv1a(bytes) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      hash ^= bytes[i];
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
  }

  function utf8(text) {
    return new TextEncoder().encode(text);
  }

  function codeHash(code) {
    return fnv1a(utf8(code));
  }

  /** Characters as people count them (code points, so an emoji is one). */
  function characters(text) {
    return Array.from(text).length;
  }

  function writeVarint(out, value) {
    var v = value >>> 0;
    do {
      var byte = v & 0x7f;
      v >>>= 7;
      out.push(v ? byte | 0x80 : byte);
    } while (v);
  }

  function writeUint32(out, value) {
    out.push((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
  }

  function bits(indexes) {
    return indexes.reduce(function (mask, i) { return (mask | (1 << i)) >>> 0; }, 0);
  }

  function toBase64Url(bytes) {
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function fromBase64Url(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
    var binary;
    try {
      binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    } catch (e) {
      return null;
    }
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  // ---- encode ---------------------------------------------------------------------------------

  /** The notes' characters, all together. */
  function notesLength(card) {
    return card.questions.reduce(function (sum, q) { return sum + characters(q.note || ""); },
      characters(card.overall || ""));
  }

  /**
   * The fragment for a scorecard { code, dimensions, questions: [{ points, followUps, ratings,
   * note }], overall }, without the "#". Throws when it cannot be written (notes too long).
   */
  function encode(card) {
    if (notesLength(card) > NOTES_LIMIT) {
      throw new Error("The notes are over " + NOTES_LIMIT + " characters in all.");
    }
    var out = [VERSION];
    writeUint32(out, codeHash(card.code));
    out.push(card.questions.length, card.dimensions);
    card.questions.forEach(function (q) {
      writeVarint(out, bits(q.points || []));
      writeVarint(out, bits(q.followUps || []));
      for (var d = 0; d < card.dimensions; d += 2) {
        var high = (q.ratings && q.ratings[d]) || 0;
        var low = (q.ratings && q.ratings[d + 1]) || 0;
        out.push((high << 4) | low);
      }
      var note = utf8(q.note || "");
      writeVarint(out, note.length);
      for (var i = 0; i < note.length; i++) out.push(note[i]);
    });
    var overall = utf8(card.overall || "");
    writeVarint(out, overall.length);
    for (var j = 0; j < overall.length; j++) out.push(overall[j]);
    writeUint32(out, fnv1a(out));
    return toBase64Url(out);
  }

  // ---- decode ---------------------------------------------------------------------------------

  var DAMAGED = "This scorecard link is damaged or cut short: ask for the whole link again.";

  /** Reads bytes in order; every read past the end or out of bounds throws DAMAGED. */
  function Reader(bytes) {
    var at = 0;
    this.byte = function () {
      if (at >= bytes.length) throw new Error(DAMAGED);
      return bytes[at++];
    };
    this.varint = function () {
      var value = 0;
      for (var shift = 0; shift < 35; shift += 7) {
        var byte = this.byte();
        value += (byte & 0x7f) * Math.pow(2, shift);
        if (!(byte & 0x80)) {
          if (value > 0xffffffff) throw new Error(DAMAGED);
          return value;
        }
      }
      throw new Error(DAMAGED);
    };
    this.text = function () {
      var length = this.varint();
      if (at + length > bytes.length) throw new Error(DAMAGED);
      var slice = bytes.subarray(at, at + length);
      at += length;
      try {
        return new TextDecoder("utf-8", { fatal: true }).decode(slice);
      } catch (e) {
        throw new Error(DAMAGED);
      }
    };
    this.done = function () { return at === bytes.length; };
  }

  /** The indexes of the bits set in `mask`, refused if any is `count` or beyond. */
  function indexes(mask, count) {
    if (mask >= Math.pow(2, count)) throw new Error(DAMAGED);
    var list = [];
    for (var i = 0; i < count; i++) if ((mask >>> i) & 1) list.push(i);
    return list;
  }

  /**
   * Reads a fragment (without the "#") against the interview it should belong to: `expect` is
   * { code, dimensions, points: [count per question], followUps: [count per question] }.
   * Returns { card } or { error }, a sentence for the candidate; never throws.
   */
  function decode(text, expect) {
    try {
      return { card: read(text, expect) };
    } catch (e) {
      return { error: e && e.message ? e.message : DAMAGED };
    }
  }

  function read(text, expect) {
    if (text.length === 0) {
      throw new Error("This link holds no scorecard: it ends before the ratings (the part " +
        "after #). Ask for the whole link again.");
    }
    var bytes = fromBase64Url(text);
    if (!bytes || bytes.length < 11) throw new Error(DAMAGED);
    var body = bytes.subarray(0, bytes.length - 4);
    var sum = bytes.subarray(bytes.length - 4);
    var stored = ((sum[0] << 24) | (sum[1] << 16) | (sum[2] << 8) | sum[3]) >>> 0;
    if (stored !== fnv1a(body)) throw new Error(DAMAGED);
    var r = new Reader(body);
    var version = r.byte();
    if (version !== VERSION) {
      throw new Error("This scorecard was made by a newer version of the site (format " +
        version + ") than this one reads.");
    }
    var hash = ((r.byte() << 24) | (r.byte() << 16) | (r.byte() << 8) | r.byte()) >>> 0;
    if (hash !== codeHash(expect.code)) {
      throw new Error("This scorecard belongs to a different interview: open it from the " +
        "link the interviewer sent, unchanged.");
    }
    var count = r.byte();
    if (count !== expect.points.length) throw new Error(DAMAGED);
    var dimensions = r.byte();
    if (dimensions !== expect.dimensions) {
      throw new Error("This scorecard was rated on a rubric of " + dimensions + " dimension" +
        (dimensions === 1 ? "" : "s") + "; this site now rates on " + expect.dimensions +
        ", so its ratings cannot be shown.");
    }
    var questions = [];
    for (var q = 0; q < count; q++) {
      var points = indexes(r.varint(), Math.min(expect.points[q], MAX_ITEMS));
      var followUps = indexes(r.varint(), Math.min(expect.followUps[q], MAX_ITEMS));
      var ratings = [];
      for (var d = 0; d < dimensions; d += 2) {
        var byte = r.byte();
        ratings.push(byte >> 4);
        if (d + 1 < dimensions) ratings.push(byte & 0x0f);
        else if (byte & 0x0f) throw new Error(DAMAGED);
      }
      if (ratings.some(function (x) { return x > MAX_LEVEL; })) throw new Error(DAMAGED);
      questions.push({ points: points, followUps: followUps, ratings: ratings, note: r.text() });
    }
    var card = { code: expect.code, dimensions: dimensions, questions: questions, overall: r.text() };
    if (!r.done() || notesLength(card) > NOTES_LIMIT) throw new Error(DAMAGED);
    return card;
  }

  // ---- what is weak ---------------------------------------------------------------------------

  /**
   * The numbers (1-based) of the questions that went worst: the lowest mean rating, or, where
   * nothing was rated, the lowest share of key points heard. Empty when every question got the
   * best of everything.
   */
  function weakest(card, pointCounts) {
    var rated = card.questions.some(function (q) { return q.ratings.some(Boolean); });
    var scores = card.questions.map(function (q, i) {
      if (rated) {
        var given = q.ratings.filter(Boolean);
        return given.length ? given.reduce(function (a, b) { return a + b; }, 0) / given.length / MAX_LEVEL : null;
      }
      return pointCounts[i] ? q.points.length / pointCounts[i] : null;
    });
    var known = scores.filter(function (s) { return s !== null; });
    if (known.length === 0) return [];
    var low = Math.min.apply(null, known);
    if (low >= 1) return [];
    return scores.map(function (s, i) { return s === low ? i + 1 : 0; }).filter(Boolean);
  }

  // ---- the pages --------------------------------------------------------------------------------

  /**
   * The page script's helpers: { load(key, fallback), save(key, value) } for localStorage,
   * notSaved(), the sentence for a write the browser refused, and showCountdown(timer, left,
   * paused), which draws a question's timer.
   */
  var helpers = null;

  function storeKey(code) {
    return "drillbook:interviewer:" + code;
  }

  /** The interviewer's record of an interview: { questions: { "1": {...} }, overall }. */
  function record(code) {
    var kept = helpers.load(storeKey(code), {});
    kept = kept && typeof kept === "object" ? kept : {};
    kept.questions = kept.questions && typeof kept.questions === "object" ? kept.questions : {};
    kept.overall = typeof kept.overall === "string" ? kept.overall : "";
    return kept;
  }

  function questionRecord(kept, number) {
    var q = kept.questions[number];
    q = q && typeof q === "object" ? q : {};
    q.points = Array.isArray(q.points) ? q.points.filter(Number.isInteger) : [];
    q.followUps = Array.isArray(q.followUps) ? q.followUps.filter(Number.isInteger) : [];
    q.ratings = Array.isArray(q.ratings) ? q.ratings.map(Number) : [];
    q.note = typeof q.note === "string" ? q.note : "";
    q.spent = Number(q.spent) || 0;
    kept.questions[number] = q;
    return q;
  }

  /** Notes' characters across the whole interview, this interviewer's record. */
  function recordNotes(kept) {
    return Object.keys(kept.questions).reduce(function (sum, n) {
      return sum + characters(kept.questions[n].note || "");
    }, characters(kept.overall || ""));
  }

  /** Keeps a notes box within what is left of NOTES_LIMIT, and says how much that is. */
  function limitNotes(field, room, kept, current) {
    var others = recordNotes(kept) - characters(current());
    var left = NOTES_LIMIT - others;
    field.maxLength = Math.max(0, left);
    var remaining = left - characters(field.value);
    room.textContent = remaining.toLocaleString() + " characters left for notes (" +
      NOTES_LIMIT.toLocaleString() + " in all, so the scorecard link fits in a chat).";
    room.classList.toggle("note-room-low", remaining < 100);
  }

  /** One question of the interviewer's view: ticks, ratings, note, and a start/pause timer. */
  function setUpInterviewer(root) {
    var code = root.dataset.interviewerCode;
    var number = root.dataset.interviewerNumber;
    var kept = record(code);
    var q = questionRecord(kept, number);
    function persist() {
      kept.at = Date.now();
      return helpers.save(storeKey(code), kept);
    }

    root.querySelectorAll("input[name=point]").forEach(function (box) {
      box.checked = q.points.indexOf(Number(box.value)) !== -1;
    });
    root.querySelectorAll("input[name=follow-up]").forEach(function (box) {
      box.checked = q.followUps.indexOf(Number(box.value)) !== -1;
    });
    root.querySelectorAll("fieldset.rating input[type=radio]").forEach(function (radio) {
      var d = Number(radio.closest("fieldset").dataset.dimension);
      radio.checked = q.ratings[d] === Number(radio.value);
    });
    var status = root.querySelector("[data-interviewer-status]");
    /** Keeps the record, or says beside the note that the browser refused it. */
    function persistChoice() {
      if (!persist()) status.textContent = helpers.notSaved();
    }
    root.addEventListener("change", function (event) {
      var t = event.target;
      if (t.name === "point" || t.name === "follow-up") {
        var list = Array.prototype.filter.call(root.querySelectorAll("input[name='" + t.name + "']"),
          function (b) { return b.checked; }).map(function (b) { return Number(b.value); });
        if (t.name === "point") q.points = list;
        else q.followUps = list;
        persistChoice();
      } else if (t.type === "radio" && t.closest("fieldset.rating")) {
        q.ratings[Number(t.closest("fieldset").dataset.dimension)] = Number(t.value);
        for (var i = 0; i < q.ratings.length; i++) q.ratings[i] = q.ratings[i] || 0;
        persistChoice();
      }
    });

    var field = root.querySelector("[data-interviewer-note]");
    var room = root.querySelector("[data-note-room]");
    field.value = q.note;
    var current = function () { return q.note; };
    limitNotes(field, room, kept, current);
    field.addEventListener("input", function () {
      q.note = field.value;
      status.textContent = persist() ? "" : helpers.notSaved();
      limitNotes(field, room, kept, current);
    });

    // The timer counts only while started, so the interviewer can pause for a break.
    var timer = root.querySelector("[data-interviewer-timer]");
    var toggle = timer.querySelector("[data-timer-toggle]");
    var allotted = Number(timer.dataset.seconds) || 0;
    var startedAt = null;
    function spent() {
      return q.spent + (startedAt === null ? 0 : (Date.now() - startedAt) / 1000);
    }
    function render() {
      helpers.showCountdown(timer, allotted - spent(), startedAt === null);
    }
    function pause() {
      if (startedAt === null) return;
      q.spent = Math.round(spent() * 10) / 10;
      startedAt = null;
      persist();
    }
    toggle.addEventListener("click", function () {
      if (startedAt === null) {
        startedAt = Date.now();
        toggle.textContent = "Pause";
      } else {
        pause();
        toggle.textContent = "Start";
      }
      render();
    });
    if (q.spent > 0) toggle.textContent = "Start";
    window.addEventListener("pagehide", pause);
    setInterval(render, 250);
    render();
  }

  /** The interviewer's last page: a summary, the overall note and the scorecard link. */
  function setUpScorecardMaker(root) {
    var code = root.dataset.interviewerCode;
    var dimensions = Number(root.dataset.dimensions) || 0;
    var kept = record(code);
    var items = root.querySelectorAll("[data-scorecard-summary] li[data-number]");
    items.forEach(function (item) {
      var q = questionRecord(kept, item.dataset.number);
      var parts = [q.points.length + " of " + item.dataset.points + " key points"];
      var rated = q.ratings.filter(Boolean);
      parts.push(rated.length ? "rated " + rated.join(", ") : "not rated");
      if (q.followUps.length) parts.push(q.followUps.length + " follow-up" + (q.followUps.length === 1 ? "" : "s") + " asked");
      if (q.note.trim()) parts.push("a note");
      item.querySelector("[data-summary-line]").textContent = parts.join(" · ");
    });
    var field = root.querySelector("[data-overall-note]");
    var room = root.querySelector("[data-note-room]");
    var current = function () { return kept.overall; };
    field.value = kept.overall;
    limitNotes(field, room, kept, current);
    field.addEventListener("input", function () {
      kept.overall = field.value;
      kept.at = Date.now();
      helpers.save(storeKey(code), kept);
      limitNotes(field, room, kept, current);
    });

    var share = root.querySelector("[data-scorecard-share]");
    var link = root.querySelector("[data-scorecard-link]");
    var copy = root.querySelector("[data-scorecard-copy]");
    var message = root.querySelector("[data-scorecard-message]");
    root.querySelector("[data-make-scorecard]").addEventListener("click", function () {
      var card = {
        code: code,
        dimensions: dimensions,
        overall: kept.overall,
        questions: Array.prototype.map.call(items, function (item) {
          var q = questionRecord(kept, item.dataset.number);
          var count = Number(item.dataset.points) || 0;
          var asked = Number(item.dataset.followUps) || 0;
          return {
            points: q.points.filter(function (i) { return i >= 0 && i < count; }),
            followUps: q.followUps.filter(function (i) { return i >= 0 && i < asked; }),
            ratings: Array.from({ length: dimensions }, function (_, d) {
              var r = q.ratings[d];
              return r >= 1 && r <= MAX_LEVEL ? r : 0;
            }),
            note: q.note
          };
        })
      };
      var url;
      try {
        url = root.dataset.scorecardBase + "#" + encode(card);
      } catch (e) {
        message.textContent = e.message + " Shorten them, then make the link again.";
        return;
      }
      link.href = url;
      link.textContent = url;
      share.hidden = false;
      message.textContent = "The link is " + url.length.toLocaleString() + " characters. " +
        "Send it as it is: the candidate's browser reads it; the server never sees the part after #.";
      if (navigator.clipboard && window.isSecureContext) {
        copy.hidden = false;
        copy.onclick = function () {
          navigator.clipboard.writeText(url).then(
            function () { copy.textContent = "Link copied"; },
            function () { copy.textContent = "Copy failed: select the link instead"; }
          );
        };
      }
    });
  }

  /** The candidate's scorecard: everything from the fragment, or why it cannot be read. */
  function showScorecard(root) {
    var code = root.dataset.interviewerCode;
    var dimensions = Number(root.dataset.dimensions) || 0;
    var articles = Array.prototype.slice.call(root.querySelectorAll("article[data-number]"));
    var expect = {
      code: code,
      dimensions: dimensions,
      points: articles.map(function (a) { return a.querySelectorAll("li[data-point]").length; }),
      followUps: articles.map(function (a) { return a.querySelectorAll("li[data-follow-up]").length; })
    };
    var problem = root.querySelector("[data-scorecard-problem]");
    var overall = root.querySelector("[data-scorecard-overall]");
    var result = decode(window.location.hash.replace(/^#/, ""), expect);
    if (result.error) {
      problem.textContent = result.error;
      problem.hidden = false;
      overall.hidden = true;
      articles.forEach(function (a) { a.hidden = true; });
      return;
    }
    problem.hidden = true;
    var card = result.card;
    var heard = 0;
    var possible = 0;
    var sums = [];
    var counts = [];
    articles.forEach(function (article, i) {
      var q = card.questions[i];
      article.hidden = false;
      article.querySelectorAll("[data-dimension]").forEach(function (row) {
        var d = Number(row.dataset.dimension);
        var rating = q.ratings[d];
        var level = rating ? row.querySelector("template[data-level='" + rating + "']") : null;
        row.querySelector("[data-rating]").textContent = level ?
          rating + " of " + MAX_LEVEL + ": " + level.content.textContent : "Not rated";
        if (rating) {
          sums[d] = (sums[d] || 0) + rating;
          counts[d] = (counts[d] || 0) + 1;
        }
      });
      var points = article.querySelectorAll("li[data-point]");
      points.forEach(function (li) {
        var said = q.points.indexOf(Number(li.dataset.point)) !== -1;
        li.classList.toggle("point-ticked", said);
        li.querySelector(".point-mark").textContent = said ? "✓" : "○";
        li.querySelector("[data-point-said]").textContent = said ? "Heard: " : "Missed: ";
      });
      heard += q.points.length;
      possible += points.length;
      article.querySelector("[data-hit]").textContent = String(q.points.length);
      var asked = article.querySelectorAll("li[data-follow-up]");
      asked.forEach(function (li) {
        li.hidden = q.followUps.indexOf(Number(li.dataset.followUp)) === -1;
      });
      var none = article.querySelector("[data-none-asked]");
      if (none) none.hidden = q.followUps.length > 0;
      var note = article.querySelector("[data-question-note]");
      note.textContent = q.note;
      note.hidden = !q.note.trim();
    });
    overall.hidden = false;
    root.querySelector("[data-overall-points]").textContent = "Key points heard: " + heard +
      " of " + possible + ".";
    root.querySelectorAll("[data-overall-ratings] li[data-dimension]").forEach(function (li) {
      var d = Number(li.dataset.dimension);
      li.querySelector("[data-average]").textContent = counts[d] ?
        (Math.round(sums[d] / counts[d] * 10) / 10) + " of " + MAX_LEVEL + " on average" : "not rated";
    });
    var overallNote = root.querySelector("[data-overall-note]");
    overallNote.textContent = card.overall;
    overallNote.hidden = !card.overall.trim();
    var weak = weakest(card, expect.points);
    var practise = root.querySelector("[data-practise-weak]");
    practise.hidden = weak.length === 0;
    if (weak.length) {
      practise.href = "/mock/" + encodeURIComponent(code) + "/retry?" +
        weak.map(function (n) { return "q=" + n; }).join("&");
    }
  }

  /** Sets up whichever pair-practice page this is; `helpers` are the page script's. */
  function setUp(given) {
    helpers = given;
    var interviewer = document.querySelector(".interviewer[data-interviewer-code]");
    if (interviewer) setUpInterviewer(interviewer);
    var maker = document.querySelector("[data-scorecard-maker]");
    if (maker) setUpScorecardMaker(maker);
    var scorecard = document.querySelector("[data-scorecard]");
    if (scorecard) {
      showScorecard(scorecard);
      window.addEventListener("hashchange", function () { showScorecard(scorecard); });
    }
  }

  return Object.freeze({
    VERSION: VERSION,
    NOTES_LIMIT: NOTES_LIMIT,
    MAX_DIMENSIONS: MAX_DIMENSIONS,
    encode: encode,
    decode: decode,
    weakest: weakest,
    codeHash: codeHash,
    setUp: setUp
  });
});
