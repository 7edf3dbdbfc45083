#!/usr/bin/env node
// Statistics and plan benchmark: how long /stats takes to work out its numbers, and the review
// queue its due dates under a followed plan, from stores as large as a browser can hold: the
// shipped bank's 150 questions each with a full review log (LOG_LIMIT, 1000 reviews, in
// static/app.js; some 4 MB of JSON, near localStorage's quota), and a bank of 10,000 questions
// with 10 reviews each. Pure calculations, under Node, with a fixed clock and a fixed
// pseudo-random history.
//
//     node scripts/bench-stats.js [--rounds 5]

"use strict";

const path = require("path");
const STATS = require(path.join(__dirname, "..", "static", "stats.js"));
const PLAN = require(path.join(__dirname, "..", "static", "plan.js"));

const DAY = 86400000;
const NOW = Date.UTC(2026, 11, 3, 12);
const LOG_LIMIT = 1000;

function sequence(seed) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** `questions` ids, each with `perQuestion` reviews over the last three years, and schedules. */
function stores(questions, perQuestion) {
  const random = sequence(questions);
  const log = {};
  const review = {};
  const progress = {};
  for (let id = 1; id <= questions; id++) {
    const reviews = [];
    for (let i = 0; i < perQuestion; i++) {
      const at = NOW - Math.floor((perQuestion - i) / perQuestion * 1095 * DAY * random());
      reviews.push([at, 1 + Math.floor(random() * 4), Math.floor(random() * 60)]);
    }
    reviews.sort((a, b) => a[0] - b[0]);
    const last = reviews[reviews.length - 1][0];
    log[id] = { reviews, at: last };
    review[id] = {
      stability: 10, difficulty: 5, due: last + Math.floor(random() * 40) * DAY, last,
      reps: perQuestion, lapses: 0, at: last,
    };
    progress[id] = { status: random() < 0.5 ? "known" : "review", at: last };
  }
  return { log, review, progress };
}

function median(values) {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(rounds, work) {
  const spent = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    work();
    spent.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(spent);
}

function bench(questions, perQuestion, rounds) {
  const s = stores(questions, perQuestion);
  const ids = Object.keys(s.review);
  const categories = [{ title: "All", slug: "all", ids }];
  const plan = {
    start: "2026-11-20", date: "2026-12-20",
    order: ids.map(Number),
  };
  plan.place = PLAN.places(plan.order);
  const statsMs = time(rounds, () => {
    const reviews = STATS.reviewsOf(s.log);
    STATS.heatmap(reviews, NOW);
    STATS.forecast(s.review, NOW, (id, state) => PLAN.dueUnder(plan, id, state, NOW).due);
    STATS.retention(reviews, NOW);
    STATS.streaks(reviews, NOW);
    STATS.categoryBars(categories, s.progress);
  });
  const queueMs = time(rounds, () => {
    ids.forEach((id) => PLAN.dueUnder(plan, id, s.review[id], NOW));
  });
  const bytes = Buffer.byteLength(JSON.stringify(s.log));
  console.log(
    `${questions} questions x ${perQuestion} reviews (log ${(bytes / 1e6).toFixed(1)} MB as JSON): ` +
    `stats calculations ${statsMs.toFixed(1)} ms, plan due dates for the queue ${queueMs.toFixed(2)} ms ` +
    `(median of ${rounds})`,
  );
}

const roundsArg = process.argv.indexOf("--rounds");
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) || 5 : 5;
bench(150, LOG_LIMIT, rounds);
bench(10000, 10, rounds);
