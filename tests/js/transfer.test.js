// The transfer link (static/transfer.js) under Node's built-in test runner, with fast-check: every
// export survives the round trip, every cut-off or altered link and any other string or bytes
// are refused with the decoder's own error (never anything else), a compressed bomb is stopped,
// and the QR code it draws reads back (with jsQR) as the link, up to the limit one code holds.
// Property tests run from a fixed seed, so a failure repeats.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const zlib = require("node:zlib");
const fc = require("fast-check");
const jsQR = require("jsqr");
const Transfer = require("../../static/transfer.js");
const qrcode = require("../../static/qrcode-generator.js");

const SEED = 20261202;
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const RUNS = { seed: SEED, numRuns: 60 };

const time = fc.integer({ min: Date.UTC(2020, 0, 1), max: NOW });
const id = fc.integer({ min: 1, max: 99999 }).map(String);
const text = fc.string({ unit: "binary", maxLength: 300 });

function store(entry) {
  return fc.dictionary(id, entry, { maxKeys: 12 });
}

/** A progress export as static/app.js writes it, every store filled with plausible entries. */
const exportData = fc.record({
  format: fc.constant("drillbook-progress"),
  version: fc.constant(1),
  exported: time.map((ms) => new Date(ms).toISOString()),
  progress: store(fc.record({ status: fc.constantFrom("known", "review", "unseen"), at: time })),
  saved: store(
    fc.record({
      saved: fc.boolean(),
      at: time,
      title: text,
      path: id.map((n) => `/questions/${n}/a-slug`),
    }),
  ),
  review: store(
    fc.record({
      stability: fc.double({ min: 0.01, max: 36500, noNaN: true }),
      difficulty: fc.double({ min: 1, max: 10, noNaN: true }),
      due: time,
      last: time,
      reps: fc.nat(100),
      lapses: fc.nat(100),
      at: time,
    }),
  ),
  notes: store(fc.record({ text, at: time })),
  answers: store(
    fc.record({
      attempts: fc.array(fc.record({ text, at: time }), { maxLength: 3 }),
      at: time,
    }),
  ),
});

async function refused(payload, valid) {
  try {
    await Transfer.decode(payload, valid, NOW);
  } catch (e) {
    assert.ok(e instanceof Transfer.TransferError, `not the decoder's error: ${e}`);
    assert.ok(e.message.length > 20, "a sentence for people");
    return e.message;
  }
  assert.fail(`accepted ${String(payload).slice(0, 80)}`);
}

/** A payload of `json` bytes, compressed and framed as encode() frames it. */
function frame(json, { declared = json.length, crc = Transfer.crc32(json) } = {}) {
  const packed = zlib.deflateRawSync(json);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(declared, 0);
  head.writeUInt32BE(crc, 4);
  return Transfer.VERSION_PREFIX + Buffer.concat([head, packed]).toString("base64url");
}

function jsonFrame(value) {
  return frame(Buffer.from(JSON.stringify(value)));
}

const SAMPLE = {
  format: "drillbook-progress",
  version: 1,
  exported: "2026-12-01T10:00:00.000Z",
  progress: { 1: { status: "known", at: NOW - 1000 } },
  saved: { 1: { saved: true, at: NOW - 900, title: "What?", path: "/questions/1/what" } },
  review: {},
  notes: { 2: { text: "A note.", at: NOW - 800 } },
  answers: {},
};

/** SAMPLE as it reads back (ids as object keys are strings either way). */
const SAMPLE_READ = JSON.parse(JSON.stringify(SAMPLE));

test("every export survives the round trip, with its summary", async () => {
  await fc.assert(
    fc.asyncProperty(exportData, async (data) => {
      const payload = await Transfer.encode(data);
      assert.match(payload, /^v1\.[A-Za-z0-9_-]+$/);
      const read = await Transfer.decode(payload, undefined, NOW);
      assert.deepEqual(read.data, JSON.parse(JSON.stringify(data)));
      assert.equal(read.summary.exported.getTime(), Date.parse(data.exported));
      for (const name of ["progress", "saved", "review", "notes", "answers"]) {
        assert.equal(read.summary.counts[name], Object.keys(data[name]).length);
      }
    }),
    RUNS,
  );
});

test("the link carries the payload in its fragment, which the page finds again", async () => {
  const payload = await Transfer.encode(SAMPLE);
  const link = Transfer.link("https://drillbook.example", payload);
  const url = new URL(link);
  assert.equal(url.pathname, "/about");
  assert.equal(url.search, "");
  assert.equal(Transfer.fromFragment(url.hash), payload);
  assert.equal(Transfer.fromFragment("#transfer"), null);
  assert.equal(Transfer.fromFragment(""), null);
  assert.equal(Transfer.fromFragment("#progress"), null);
});

test("every truncation of a link is refused", async () => {
  await fc.assert(
    fc.asyncProperty(exportData, async (data) => {
      const payload = await Transfer.encode(data);
      for (let cut = 0; cut < payload.length; cut++) {
        await refused(payload.slice(0, cut));
      }
    }),
    { seed: SEED, numRuns: 8 },
  );
});

test("a link with any character changed is refused, or reads as exactly what was sent", async () => {
  // The checksum covers what the link unpacks to; the one change it cannot see is to the spare
  // bits after the compressed stream's last code, which change nothing that is read.
  const payload = await Transfer.encode(SAMPLE);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  let read = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.nat(payload.length - 1),
      fc.constantFrom(...alphabet),
      async (at, replacement) => {
        fc.pre(payload[at] !== replacement);
        const altered = payload.slice(0, at) + replacement + payload.slice(at + 1);
        const outcome = await Transfer.decode(altered, undefined, NOW).then(
          (result) => result,
          (e) => e,
        );
        if (outcome instanceof Transfer.TransferError) return;
        read += 1;
        assert.ok(at >= payload.length - 2, `a change at ${at} of ${payload.length} was read`);
        assert.deepEqual(outcome.data, SAMPLE_READ);
      },
    ),
    { seed: SEED, numRuns: 300 },
  );
  assert.ok(read < 30, `${read} of 300 altered links were read`);
});

test("random strings and random bytes are refused with the decoder's own error", async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: "binary", maxLength: 400 }), async (junk) => {
      await refused(junk);
      await refused(`v1.${junk}`);
    }),
    { seed: SEED, numRuns: 300 },
  );
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
      await refused(Transfer.VERSION_PREFIX + Buffer.from(bytes).toString("base64url"));
    }),
    { seed: SEED, numRuns: 300 },
  );
  for (const odd of [undefined, null, 12, {}, [], "v1.", "v1", "v", "transfer="]) {
    await refused(odd);
  }
});

test("well-framed bytes that are not an export are refused", async () => {
  // Any JSON at all, framed correctly: refused unless it is an export, which these never are.
  await fc.assert(
    fc.asyncProperty(fc.jsonValue(), async (value) => {
      await refused(jsonFrame(value));
    }),
    { seed: SEED, numRuns: 200 },
  );
  await refused(frame(Buffer.from([0xff, 0xfe, 0x7b, 0x7d])), undefined); // not UTF-8
  await refused(frame(Buffer.from("{not json")));
});

test("unknown versions, stores and ids, wrong shapes and absurd values are refused", async () => {
  const cases = {
    "a newer format": { ...SAMPLE, version: 2 },
    "another format": { ...SAMPLE, format: "somebody-else" },
    "an unknown store": { ...SAMPLE, recordings: { 1: { at: NOW } } },
    "a prototype key": JSON.parse(`{"format":"drillbook-progress","version":1,"exported":"${SAMPLE.exported}","__proto__":{}}`),
    "a store that is a list": { ...SAMPLE, notes: [] },
    "an id that is not a number": { ...SAMPLE, notes: { abc: { text: "x", at: NOW } } },
    "an id that is __proto__": JSON.parse(`{"format":"drillbook-progress","version":1,"exported":"${SAMPLE.exported}","notes":{"__proto__":{"text":"x","at":${NOW}}}}`),
    "an entry that is not an object": { ...SAMPLE, notes: { 1: "x" } },
    "an entry without a time": { ...SAMPLE, notes: { 1: { text: "x" } } },
    "an entry from the far future": { ...SAMPLE, notes: { 1: { text: "x", at: 8.64e15 } } },
    "an entry time that is not a number": { ...SAMPLE, notes: { 1: { text: "x", at: "1" } } },
    "an entry from before the site": { ...SAMPLE, notes: { 1: { text: "x", at: 0 } } },
    "no date": { ...SAMPLE, exported: undefined },
    "a date that is not one": { ...SAMPLE, exported: "yesterday" },
    "a list": [SAMPLE],
  };
  for (const [what, value] of Object.entries(cases)) {
    const message = await refused(jsonFrame(value));
    assert.match(message, /Nothing was changed here\./, what);
  }
  assert.match(await refused(jsonFrame({ ...SAMPLE, version: 2 })), /version 2/);
  assert.match(await refused(`v2.${(await Transfer.encode(SAMPLE)).slice(3)}`), /newer version/);
});

test("the page's own judgement of each entry is asked, and a refusal refuses the link", async () => {
  const payload = await Transfer.encode(SAMPLE);
  const asked = [];
  const read = await Transfer.decode(payload, (name, entry) => asked.push(name) > 0 && !!entry, NOW);
  assert.deepEqual(asked.sort(), ["notes", "progress", "saved"]);
  assert.equal(read.summary.counts.progress, 1);
  await refused(payload, (name) => name !== "notes");
});

test("a compressed bomb is refused, whatever length it declares", async () => {
  const huge = Buffer.alloc(64 * 1024 * 1024, 0x20);
  // Declares the truth: more than the decoder unpacks at all.
  assert.match(await refused(frame(huge)), /MiB/);
  // Declares a small length and unpacks to far more: stopped at the declared length.
  await refused(frame(huge, { declared: 100, crc: 0 }));
  // Declares just under the cap: stopped when the output passes it.
  await refused(frame(huge, { declared: Transfer.MAX_JSON_BYTES, crc: 0 }));
  // A payload longer than any compressed export is not even decoded.
  await refused(`v1.${"A".repeat(Transfer.MAX_PAYLOAD_CHARS + 4)}`);
});

test("a length or checksum that does not match the contents is refused", async () => {
  const json = Buffer.from(JSON.stringify(SAMPLE));
  await refused(frame(json, { declared: json.length - 1 }));
  await refused(frame(json, { declared: json.length + 1 }));
  await refused(frame(json, { crc: (Transfer.crc32(json) ^ 1) >>> 0 }));
  assert.equal(Transfer.crc32(Buffer.from("123456789")), 0xcbf43926);
});

/** Draws a path of qrPath's unit squares into a grey bitmap, `scale` pixels a module. */
function rasterise(qr, scale) {
  const side = qr.size * scale;
  const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
  for (const [, x, y] of qr.d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) {
    for (let dy = 0; dy < scale; dy++) {
      for (let dx = 0; dx < scale; dx++) {
        const at = ((Number(y) * scale + dy) * side + Number(x) * scale + dx) * 4;
        pixels.fill(0, at, at + 3);
      }
    }
  }
  return { pixels, side };
}

test("the QR code reads back as the link, up to the limit one code holds", async () => {
  const short = Transfer.link("http://127.0.0.1:8080", await Transfer.encode(SAMPLE));
  const longest = `https://drillbook.example/about#transfer=v1.${"x".repeat(Transfer.QR_LIMIT)}`.slice(
    0,
    Transfer.QR_LIMIT,
  );
  for (const link of [short, longest]) {
    assert.ok(Transfer.fitsQr(link));
    const qr = Transfer.qrPath(qrcode, link);
    const { pixels, side } = rasterise(qr, 3);
    const read = jsQR(pixels, side, side);
    assert.ok(read, `no QR code found in a code of ${qr.size} modules`);
    assert.equal(read.data, link);
  }
  // The limit is the encoder's: version 40 (177 modules and the quiet zone) at level L.
  assert.equal(Transfer.qrPath(qrcode, longest).size, 177 + 8);
  assert.equal(Transfer.QR_LEVEL, "L");
  assert.ok(!Transfer.fitsQr(`${longest}x`));
  assert.throws(() => Transfer.qrPath(qrcode, `${longest}x`));
});
