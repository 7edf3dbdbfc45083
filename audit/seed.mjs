// What the audit writes to localStorage before a seeded page (`storage` in audit/pages.mjs) is
// loaded: a few months of practice, made afresh from the audit's own clock so the charts always
// have something to draw. Deterministic (a fixed pseudo-random sequence), so screenshots of two
// runs on the same day match.

const DAY = 24 * 60 * 60 * 1000;

/** A small linear congruential generator: the same sequence on every run. */
function sequence(seed) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** Local noon `ago` days before `now`. */
function dayAt(now, ago) {
  const today = new Date(now);
  return new Date(today.getFullYear(), today.getMonth(), today.getDate() - ago, 12).getTime();
}

/**
 * The stores of someone who has practised on most days of the last five months: a review log
 * (some questions mature by now), their schedules, progress marks and two mock interviews, one
 * from before interviews recorded their start and size.
 */
export function practiceHistory(now = Date.now()) {
  const random = sequence(2024);
  const log = {};
  const review = {};
  const progress = {};
  for (let id = 1; id <= 60; id++) {
    const reviews = [];
    let ago = 150 - Math.floor(random() * 120);
    let interval = 0;
    while (ago > 0) {
      const grade = random() < 0.15 ? 1 : random() < 0.2 ? 2 : random() < 0.85 ? 3 : 4;
      reviews.push([dayAt(now, ago) + Math.floor(random() * 6) * 3600000, grade, interval]);
      interval = grade === 1 ? 0 : Math.max(1, Math.round((interval || 1) * (grade === 2 ? 1.2 : 2.5)));
      ago -= Math.max(1, interval);
    }
    if (reviews.length === 0) continue;
    const last = reviews[reviews.length - 1][0];
    log[id] = { reviews, at: last };
    review[id] = {
      stability: Math.max(0.5, interval), difficulty: 5, due: last + interval * DAY, last,
      reps: reviews.length, lapses: reviews.filter((r) => r[1] === 1).length % reviews.length, at: last,
    };
    progress[id] = { status: reviews[reviews.length - 1][1] >= 3 ? 'known' : 'review', at: last };
  }
  const mock = (answers) => Object.fromEntries(answers.map((grade, i) => [i + 1, { grade, points: [0], spent: 90 }]));
  return {
    'drillbook:log': log,
    'drillbook:review': review,
    'drillbook:progress': progress,
    'drillbook:settings': { streak: true, at: now },
    'drillbook:mock:audit-recent': {
      started: dayAt(now, 3), total: 6, answers: mock(['solid', 'partial', 'solid', 'missed', 'solid']),
    },
    'drillbook:mock:audit-older': { answers: mock(['partial', 'missed', 'solid']) },
  };
}
