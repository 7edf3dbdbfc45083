// The pages scripts/audit checks: add a page here with one line and every audit that applies
// picks it up. Every page is validated by the Nu HTML checker and screenshotted.
//
//   name        file names under target/audit/ and the rows of the summary
//   path        what to request; `{code}` is replaced by the code of a mock interview that the
//               audit starts by submitting the /mock setup form with its defaults (its seed is
//               random, so the questions it deals differ from run to run)
//   redirect    the status `path` must answer with; the audit then checks the page it points to
//               (so /questions/12 stands for its canonical /questions/12/<slug>)
//   status      the status the page itself must answer with (default 200)
//   lighthouse  run Lighthouse on it, mobile and desktop (default true); Lighthouse refuses to
//               audit a page that answers with an error status, so not on the 404 page
//   axe         run axe-core on it, light and dark, phone and desktop width (default true)
//   seo         hold it to the Lighthouse SEO threshold (default true); false for pages that
//               carry <meta name="robots" content="noindex">, which Lighthouse's SEO score
//               penalises by design
//   storage     { key: value } written to localStorage (each value as JSON) on the site's origin
//               before axe-core and the screenshots load the page, in a browser context of its
//               own, so pages drawn from stored progress are checked drawn; Lighthouse resets
//               storage before it audits, so such a page is not given to it
//   keep        a category's slug, kept offline through its page (in a browser context of its
//               own) before axe-core and the screenshots load the page, so the offline page is
//               checked listing what is kept; not given to Lighthouse, which starts afresh
//   open        CSS selector of a closed <details> whose content matters (the answer):
//               axe-core checks the page again with it open, and screenshots show it open

import { practiceHistory } from './seed.mjs';

/** The UTC day `n` days from now, `YYYY-MM-DD`: a plan's date the form accepts whenever it runs. */
const inDays = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

export const PAGES = [
  { name: 'home', path: '/' },
  { name: 'category', path: '/categories/python-basics' },
  { name: 'category-grouped', path: '/categories/miscellaneous' },
  // Security has no hard question: its filter says 'Hard: none' as text, not a link.
  { name: 'category-none', path: '/categories/security' },
  { name: 'question', path: '/questions/12', redirect: 301, open: 'details.answer' },
  { name: 'study-mode', path: '/questions/35?study=1', redirect: 301, open: 'details.answer', lighthouse: false },
  { name: 'tag', path: '/tags/decorators' },
  { name: 'search', path: '/search?q=decorator', seo: false },
  { name: 'search-filtered', path: '/search?q=python&category=security&difficulty=hard', seo: false },
  { name: 'mock-setup', path: '/mock' },
  { name: 'mock-question', path: '/mock/{code}/1', seo: false, open: 'details.answer' },
  { name: 'mock-results', path: '/mock/{code}/results', lighthouse: false },
  { name: 'pair-invite', path: '/mock/{code}/invite', seo: false },
  { name: 'interviewer-brief', path: '/mock/{code}/interviewer', seo: false },
  { name: 'interviewer-question', path: '/mock/{code}/interviewer/1', seo: false },
  { name: 'interviewer-finish', path: '/mock/{code}/interviewer/scorecard', seo: false, lighthouse: false },
  { name: 'scorecard', path: '/mock/{code}/scorecard', seo: false, lighthouse: false },
  { name: 'plan-setup', path: '/plan' },
  { name: 'plan', path: `/plan?date=${inDays(21)}&pace=minutes&minutes=30&category=python-basics&category=security`, redirect: 303, seo: false },
  { name: 'about', path: '/about' },
  { name: 'saved', path: '/saved', seo: false },
  { name: 'review', path: '/review', seo: false },
  { name: 'stats', path: '/stats', seo: false },
  { name: 'stats-drawn', path: '/stats', seo: false, lighthouse: false, storage: practiceHistory() },
  // Months of practice and no copy of it: the backup reminder shows (Chromium under test keeps
  // storage best effort), as does the review queue drawn from the schedule.
  { name: 'home-reminder', path: '/', lighthouse: false, storage: practiceHistory() },
  { name: 'review-reminder', path: '/review', seo: false, lighthouse: false, storage: practiceHistory() },
  // A damaged device-transfer link: the page's message in place of the merge question (not
  // next to /about, which would make its visit a same-page move to a fragment).
  { name: 'about-transfer-refused', path: '/about#transfer=v1.AAAAAAAA', lighthouse: false },
  { name: 'offline', path: '/offline', seo: false },
  { name: 'offline-kept', path: '/offline', seo: false, lighthouse: false, keep: 'python-basics' },
  { name: 'not-found', path: '/no-such-page', status: 404, lighthouse: false },
];
