// drillbook: moving progress to another device in a link. The whole local state (the progress
// export that static/app.js writes to a file: marks, saved questions, review dates, notes and
// typed answers; never recordings) is compressed into the link's fragment, the part after "#"
// that browsers never send to a server, and shown as a QR code to scan with the other device.
//
// The link is <origin>/about#transfer=v1.<payload>, where the payload is base64url of:
//   0-3   the length in bytes of the export's JSON (big-endian), at most MAX_JSON_BYTES
//   4-7   CRC-32 of those bytes, so a damaged or cut-off link is refused
//   8-    the JSON, compressed (deflate-raw, the browser's own CompressionStream)
// Reading one never throws anything but a TransferError, whose message is a sentence for people;
// nothing is merged until the person has seen what the link holds and said yes.
"use strict";

(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module && module.exports) {
    module.exports = api;
  } else {
    root.DrillbookTransfer = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  var VERSION_PREFIX = "v1.";
  /** Where the payload sits in the fragment. */
  var FRAGMENT_PREFIX = "transfer=";
  /** The export's own format, as static/app.js writes and reads it. */
  var EXPORT_FORMAT = "drillbook-progress";
  var EXPORT_VERSION = 1;
  /** The stores a link may carry, in the order the summary lists them. */
  var STORES = ["progress", "saved", "review", "notes", "answers", "log"];
  /**
   * Largest JSON a link may unpack to: far beyond any real progress (a link that big could not
   * be a QR code anyway), small enough that a compressed bomb is stopped before it costs much.
   */
  var MAX_JSON_BYTES = 1024 * 1024;
  /** Longest payload read at all: deflate packs at most about 1,032 to 1, so 1 MiB needs less. */
  var MAX_PAYLOAD_CHARS = 2 * 1024 * 1024;
  /** Entries in all stores together: ten times the largest bank's questions in every store. */
  var MAX_ENTRIES = 500000;
  /**
   * Bytes of link one QR code holds: version 40 (177 by 177 modules) at error correction level L
   * (7% of the code may be lost), in byte mode. L because a link is long and is scanned from a
   * screen, where damage is rare; every higher level holds far fewer bytes.
   */
  var QR_LIMIT = 2953;
  var QR_LEVEL = "L";
  /** No entry, and no export, is dated before the site existed or far ahead of this clock. */
  var EARLIEST = Date.UTC(2020, 0, 1);
  var FUTURE_SLACK_MS = 2 * 24 * 60 * 60 * 1000;

  /** A link that cannot be read; its message says why, for the person who opened it. */
  function TransferError(message) {
    this.name = "TransferError";
    this.message = message;
  }
  TransferError.prototype = Object.create(Error.prototype);
  TransferError.prototype.constructor = TransferError;

  var DAMAGED = "This transfer link is damaged or cut short: make a new link on the other " +
    "device and open the whole of it. Nothing was changed here.";

  function refuse(message) {
    throw new TransferError(message || DAMAGED);
  }

  // ---- bytes ---------------------------------------------------------------------------------

  var CRC_TABLE = (function () {
    var table = new Uint32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();

  /** CRC-32 (IEEE 802.3, as zip and PNG use). */
  function crc32(bytes) {
    var crc = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  }

  function toBase64Url(bytes) {
    var binary = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function fromBase64Url(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) refuse();
    var binary;
    try {
      binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    } catch (e) {
      refuse();
    }
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    // Base64 leaves spare bits in its last character, which decoders ignore: a link that is
    // not exactly as it was made is refused, not read as if it were.
    if (toBase64Url(bytes) !== text) refuse();
    return bytes;
  }

  function writeUint32(bytes, at, value) {
    bytes[at] = (value >>> 24) & 0xff;
    bytes[at + 1] = (value >>> 16) & 0xff;
    bytes[at + 2] = (value >>> 8) & 0xff;
    bytes[at + 3] = value & 0xff;
  }

  function readUint32(bytes, at) {
    return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
  }

  /**
   * All of a stream's chunks as one array, refused as soon as they pass `limit` bytes: a link
   * that unpacks to more than it says is stopped there, whatever it would have grown to.
   */
  function collect(stream, limit) {
    var reader = stream.getReader();
    var chunks = [];
    var total = 0;
    function next() {
      return reader.read().then(function (step) {
        if (step.done) {
          var all = new Uint8Array(total);
          var at = 0;
          chunks.forEach(function (chunk) { all.set(chunk, at); at += chunk.length; });
          return all;
        }
        total += step.value.length;
        if (total > limit) {
          reader.cancel().catch(function () { /* already refused */ });
          refuse();
        }
        chunks.push(step.value);
        return next();
      });
    }
    return next();
  }

  function squeeze(bytes, stream) {
    return collect(new Blob([bytes]).stream().pipeThrough(stream), Infinity);
  }

  // ---- making a link ------------------------------------------------------------------------

  /** The payload (without "transfer=") of a progress export; a promise, as compression is. */
  function encode(data) {
    var json = new TextEncoder().encode(JSON.stringify(data));
    return squeeze(json, new CompressionStream("deflate-raw")).then(function (packed) {
      var bytes = new Uint8Array(8 + packed.length);
      writeUint32(bytes, 0, json.length);
      writeUint32(bytes, 4, crc32(json));
      bytes.set(packed, 8);
      return VERSION_PREFIX + toBase64Url(bytes);
    });
  }

  /** The link to open on the other device, for a site at `origin` (no trailing slash). */
  function link(origin, payload) {
    return origin + "/about#" + FRAGMENT_PREFIX + payload;
  }

  /** Whether one QR code holds the link (which is ASCII, a byte a character). */
  function fitsQr(text) {
    return text.length <= QR_LIMIT;
  }

  /**
   * The dark modules of the QR code of `text` as one SVG path (a unit square each, inside a
   * quiet zone of 4 modules), with the code's size in modules, quiet zone included. `qrcode` is
   * the vendored encoder (static/qrcode-generator.js).
   */
  function qrPath(qrcode, text) {
    var code = qrcode(0, QR_LEVEL);
    code.addData(text, "Byte");
    code.make();
    var count = code.getModuleCount();
    var path = [];
    for (var row = 0; row < count; row++) {
      for (var col = 0; col < count; col++) {
        if (code.isDark(row, col)) path.push("M" + (col + 4) + " " + (row + 4) + "h1v1h-1z");
      }
    }
    return { d: path.join(""), size: count + 8 };
  }

  // ---- reading a link -----------------------------------------------------------------------

  /** The payload of a page's fragment (`location.hash`), or null when it holds no transfer. */
  function fromFragment(hash) {
    var text = String(hash || "").replace(/^#/, "");
    return text.indexOf(FRAGMENT_PREFIX) === 0 ? text.slice(FRAGMENT_PREFIX.length) : null;
  }

  function isRecord(value) {
    return !!value && typeof value === "object" && !Array.isArray(value);
  }

  function plausibleTime(ms, now) {
    return typeof ms === "number" && isFinite(ms) && ms >= EARLIEST && ms <= now + FUTURE_SLACK_MS;
  }

  /**
   * Refuses anything but a progress export of known stores, question ids and plausible times;
   * `valid(store, entry)`, when given, judges each entry as the page's own stores do.
   */
  function check(data, valid, now) {
    if (!isRecord(data) || data.format !== EXPORT_FORMAT) {
      refuse("This link does not hold drillbook progress. Nothing was changed here.");
    }
    if (data.version !== EXPORT_VERSION) {
      refuse("This link holds progress in a format this page does not know (version " +
        String(data.version).slice(0, 20) + "). Nothing was changed here.");
    }
    var made = typeof data.exported === "string" ? Date.parse(data.exported) : NaN;
    if (!plausibleTime(made, now)) {
      refuse("This link's date is not a believable one. Nothing was changed here.");
    }
    var entries = 0;
    Object.keys(data).forEach(function (key) {
      if (key === "format" || key === "version" || key === "exported") return;
      if (STORES.indexOf(key) === -1) {
        refuse("This link holds something other than progress (" + key.slice(0, 40) +
          "). Nothing was changed here.");
      }
      var store = data[key];
      if (!isRecord(store)) refuse();
      Object.keys(store).forEach(function (id) {
        var entry = store[id];
        entries += 1;
        var ok = /^\d{1,9}$/.test(id) && isRecord(entry) && plausibleTime(entry.at, now) &&
          (!valid || valid(key, entry));
        if (!ok || entries > MAX_ENTRIES) {
          refuse("This link holds an entry that is not progress this page keeps. Nothing " +
            "was changed here.");
        }
      });
    });
  }

  /** What a checked export holds: when it was made and how many entries each store has. */
  function summarise(data) {
    var counts = {};
    STORES.forEach(function (name) {
      counts[name] = isRecord(data[name]) ? Object.keys(data[name]).length : 0;
    });
    return { exported: new Date(Date.parse(data.exported)), counts: counts };
  }

  function unpack(payload) {
    if (typeof payload !== "string" || payload.length === 0) refuse();
    if (payload.length > MAX_PAYLOAD_CHARS) {
      refuse("This transfer link is far longer than any progress: it was refused and nothing " +
        "was changed here.");
    }
    if (payload.indexOf(VERSION_PREFIX) !== 0) {
      refuse(/^v\d+\./.test(payload)
        ? "This transfer link was made by a newer version of the site. Nothing was changed here."
        : DAMAGED);
    }
    var bytes = fromBase64Url(payload.slice(VERSION_PREFIX.length));
    if (bytes.length < 9) refuse();
    var length = readUint32(bytes, 0);
    if (length > MAX_JSON_BYTES) {
      refuse("This transfer link says it unpacks to more than " + MAX_JSON_BYTES / 1024 / 1024 +
        " MiB, far more than any progress: it was refused and nothing was changed here.");
    }
    var stream;
    try {
      stream = new Blob([bytes.subarray(8)]).stream()
        .pipeThrough(new DecompressionStream("deflate-raw"));
    } catch (e) {
      refuse();
    }
    return collect(stream, length).then(function (json) {
      if (json.length !== length || crc32(json) !== readUint32(bytes, 4)) refuse();
      try {
        return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
      } catch (e) {
        return refuse();
      }
    });
  }

  /**
   * Reads a payload (the part after "#transfer="): a promise of { data, summary }, or rejected
   * with a TransferError and never anything else. `valid(store, entry)` is as for `check`.
   */
  function decode(payload, valid, now) {
    var at = typeof now === "number" ? now : Date.now();
    return Promise.resolve()
      .then(function () { return unpack(payload); })
      .then(function (data) {
        check(data, valid, at);
        return { data: data, summary: summarise(data) };
      })
      .catch(function (e) {
        throw e instanceof TransferError ? e : new TransferError(DAMAGED);
      });
  }

  // ---- the page -----------------------------------------------------------------------------

  var SVG = "http://www.w3.org/2000/svg";

  var COUNT_WORDS = {
    progress: ["mark", "marks"],
    saved: ["saved question", "saved questions"],
    review: ["review date", "review dates"],
    notes: ["note", "notes"],
    answers: ["question with typed answers", "questions with typed answers"],
    log: ["question's review history", "questions' review histories"]
  };

  /** "2 marks, 1 note and 3 review dates": the stores that hold anything, or "nothing". */
  function countsText(counts) {
    var parts = STORES.filter(function (name) { return counts[name] > 0; }).map(function (name) {
      var n = counts[name];
      return n + " " + COUNT_WORDS[name][n === 1 ? 0 : 1];
    });
    if (parts.length === 0) return "nothing";
    if (parts.length === 1) return parts[0];
    return parts.slice(0, -1).join(", ") + " and " + parts[parts.length - 1];
  }

  function total(counts) {
    return STORES.reduce(function (sum, name) { return sum + counts[name]; }, 0);
  }

  function drawQr(figure, qrcode, text) {
    var qr = qrPath(qrcode, text);
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + qr.size + " " + qr.size);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "QR code of the transfer link");
    svg.setAttribute("shape-rendering", "crispEdges");
    svg.setAttribute("class", "transfer-qr");
    var background = document.createElementNS(SVG, "rect");
    background.setAttribute("width", String(qr.size));
    background.setAttribute("height", String(qr.size));
    background.setAttribute("fill", "#ffffff");
    var modules = document.createElementNS(SVG, "path");
    modules.setAttribute("d", qr.d);
    modules.setAttribute("fill", "#000000");
    svg.appendChild(background);
    svg.appendChild(modules);
    figure.replaceChildren(svg);
  }

  /**
   * The "Move to another device" section of the about page. `progress` is the page script's:
   * { exportData(), merge(data) -> sentence, valid(store, entry), refresh(), backedUp() }:
   * a link made is a copy of the progress, as an exported file is.
   */
  function setUp(section, progress, qrcode) {
    var make = section.querySelector("[data-transfer-make]");
    var made = section.querySelector("[data-transfer-made]");
    var field = section.querySelector("[data-transfer-link]");
    var copy = section.querySelector("[data-transfer-copy]");
    var figure = section.querySelector("[data-transfer-qr]");
    var message = section.querySelector("[data-transfer-message]");
    var arrival = section.querySelector("[data-transfer-arrival]");
    var arrivalText = section.querySelector("[data-transfer-summary]");
    var arrivalActions = section.querySelector("[data-transfer-choice]");
    var problem = section.querySelector("[data-transfer-problem]");
    var pending = null;

    make.addEventListener("click", function () {
      var data = progress.exportData();
      var counts = summarise(data).counts;
      if (total(counts) === 0) {
        made.hidden = true;
        message.textContent = "There is no progress in this browser to move yet.";
        return;
      }
      encode(data).then(function (payload) {
        var url = link(window.location.origin, payload);
        field.value = url;
        made.hidden = false;
        progress.backedUp();
        var what = "The link holds " + countsText(counts) + ". ";
        if (fitsQr(url) && qrcode) {
          drawQr(figure, qrcode, url);
          figure.hidden = false;
          message.textContent = what + "Scan the code with the other device, or send " +
            "yourself the link.";
        } else {
          figure.replaceChildren();
          figure.hidden = true;
          message.textContent = what + "At " + url.length.toLocaleString("en") +
            " characters it is too long for one QR code (the most one holds is " +
            QR_LIMIT.toLocaleString("en") + "): send yourself the link, or use Export " +
            "progress above and import the file on the other device.";
        }
      }, function () {
        message.textContent = "This browser could not compress the progress: use Export " +
          "progress above instead.";
      });
    });

    copy.addEventListener("click", function () {
      var done = function (text) { copy.textContent = text; };
      var label = copy.textContent;
      var copied = navigator.clipboard ? navigator.clipboard.writeText(field.value)
        : Promise.reject(new Error("no clipboard"));
      copied.then(function () { done("Link copied"); }, function () {
        field.select();
        done("Copy failed: select the link instead");
      });
      setTimeout(function () { done(label); }, 2500);
    });

    /** Takes the payload out of the address bar, so a reload does not ask again. */
    function settle() {
      pending = null;
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", window.location.pathname + "#transfer");
      }
    }

    section.querySelector("[data-transfer-accept]").addEventListener("click", function () {
      if (!pending) return;
      var data = pending;
      settle();
      arrivalActions.hidden = true;
      arrivalText.textContent = progress.merge(data) + " Newer marks in this browser were kept.";
      progress.refresh();
    });
    section.querySelector("[data-transfer-decline]").addEventListener("click", function () {
      settle();
      arrivalActions.hidden = true;
      arrivalText.textContent = "Nothing was merged; this browser's progress is as it was.";
    });

    function arrive() {
      var payload = fromFragment(window.location.hash);
      if (payload === null) return;
      pending = null;
      arrival.hidden = false;
      problem.hidden = true;
      arrivalActions.hidden = true;
      arrivalText.textContent = "Reading the link…";
      section.scrollIntoView();
      decode(payload, progress.valid).then(function (read) {
        pending = read.data;
        var when = read.summary.exported.toLocaleString(undefined, {
          dateStyle: "medium",
          timeStyle: "short"
        });
        arrivalText.textContent = "This link, made " + when + ", holds " +
          countsText(read.summary.counts) + ". Merge them into this browser? For each " +
          "question the newer entry wins, as when importing a file.";
        arrivalActions.hidden = false;
      }, function (e) {
        arrivalText.textContent = "";
        problem.textContent = e.message;
        problem.hidden = false;
      });
    }

    window.addEventListener("hashchange", arrive);
    arrive();
  }

  return {
    VERSION_PREFIX: VERSION_PREFIX,
    MAX_JSON_BYTES: MAX_JSON_BYTES,
    MAX_PAYLOAD_CHARS: MAX_PAYLOAD_CHARS,
    QR_LIMIT: QR_LIMIT,
    QR_LEVEL: QR_LEVEL,
    TransferError: TransferError,
    crc32: crc32,
    encode: encode,
    decode: decode,
    link: link,
    fitsQr: fitsQr,
    qrPath: qrPath,
    fromFragment: fromFragment,
    setUp: setUp
  };
});
