// Fuzzes the scorecard decoder (static/scorecard.js) for a number of seconds:
//
//   node tests/js/fuzz/scorecard.js [SECONDS]
//
// Mutation fuzzing from a corpus of real scorecards: flipped, inserted, deleted and spliced
// bytes, truncation, text-level edits of the fragment, and, half the time, a repaired checksum,
// so the mutations reach the parser behind it rather than stopping at the checksum. Every input
// must be read as a well-formed scorecard of the interview or refused with a sentence, within
// 100 ms, never a throw. (Not coverage-guided: Jazzer.js, the coverage-guided fuzzer for
// Node, ships an engine that needs a newer C library than Debian 12's.) A failing input is
// written to target/fuzz-scorecard-failure.txt and the script exits 1.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const Scorecard = require("../../../static/scorecard.js");

const seconds = Number(process.argv[2] || 60);
if (!(seconds > 0)) {
  console.error("usage: node tests/js/fuzz/scorecard.js [SECONDS]");
  process.exit(2);
}

let seed = 0x5eed;
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (n) => Math.floor(random() * n);

const expect = { code: "AwHvvq3eBQMCAM0V", dimensions: 4, points: [3, 5, 6], followUps: [2, 4, 0] };
const texts = ["", "ok", "Good <b>start</b> & more", "中文 😀", "x".repeat(300)];
const corpus = [];
for (let i = 0; i < 64; i++) {
  corpus.push(Buffer.from(Scorecard.encode({
    code: expect.code,
    dimensions: 4,
    questions: expect.points.map((count, q) => ({
      points: [...Array(count).keys()].filter(() => random() < 0.5),
      followUps: [...Array(expect.followUps[q]).keys()].filter(() => random() < 0.5),
      ratings: [0, 1, 2, 3].map(() => pick(5)),
      note: texts[pick(texts.length)],
    })),
    overall: texts[pick(texts.length)],
  }), "base64url"));
}

function fixChecksum(bytes) {
  if (bytes.length < 4) return bytes;
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length - 4; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
  bytes.writeUInt32BE(hash, bytes.length - 4);
  return bytes;
}

function mutate(bytes) {
  let out = Buffer.from(bytes);
  for (let n = 1 + pick(4); n > 0; n--) {
    const at = pick(out.length + 1);
    switch (pick(6)) {
      case 0: if (out.length) out[at % out.length] ^= 1 << pick(8); break;
      case 1: out = Buffer.concat([out.subarray(0, at), Buffer.from([pick(256)]), out.subarray(at)]); break;
      case 2: out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + pick(4))]); break;
      case 3: out = out.subarray(0, at); break;
      case 4: { const other = corpus[pick(corpus.length)]; out = Buffer.concat([out.subarray(0, at), other.subarray(pick(other.length))]); break; }
      default: if (out.length) out[at % out.length] = [0, 0x7f, 0x80, 0xff][pick(4)];
    }
  }
  return random() < 0.5 ? fixChecksum(Buffer.from(out)) : out;
}

function wellFormed(card) {
  return card.questions.length === expect.points.length &&
    card.questions.every((q, i) =>
      q.points.every((p) => p >= 0 && p < expect.points[i]) &&
      q.followUps.every((f) => f >= 0 && f < expect.followUps[i]) &&
      q.ratings.length === 4 && q.ratings.every((r) => r >= 0 && r <= 4) &&
      typeof q.note === "string") &&
    typeof card.overall === "string";
}

function check(text) {
  const started = process.hrtime.bigint();
  let read;
  try {
    read = Scorecard.decode(text, expect);
  } catch (e) {
    return `threw ${e}`;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (ms > 100) return `took ${ms} ms`;
  if (read.error !== undefined) return typeof read.error === "string" && read.error.length > 20 ? null : "an empty refusal";
  return wellFormed(read.card) ? null : `read as ${JSON.stringify(read.card)}`;
}

const deadline = Date.now() + seconds * 1000;
let runs = 0;
let accepted = 0;
while (Date.now() < deadline) {
  for (let i = 0; i < 500; i++) {
    const bytes = mutate(corpus[pick(corpus.length)]);
    let text = bytes.toString("base64url");
    if (random() < 0.1) text = text.replace(/./g, (c) => (random() < 0.05 ? "+/=#% é"[pick(7)] : c));
    const problem = check(text);
    runs += 1;
    if (problem) {
      const out = path.join(__dirname, "..", "..", "..", "target", "fuzz-scorecard-failure.txt");
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, text + "\n");
      console.error(`scorecard fuzz: ${problem}\n  input: ${text}\n  kept in ${out}`);
      process.exit(1);
    }
    if (Scorecard.decode(text, expect).card) accepted += 1;
  }
}
console.log(`scorecard: ${runs} inputs in ${seconds} s, ${accepted} read as scorecards, the rest refused; no failure`);
