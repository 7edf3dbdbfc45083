//! How many log lines of one kind a process may write per window of time.
//!
//! A fixed window rather than a token bucket (such as `governor`'s): what an operator wants after
//! a flood is one exact count per window ("412 more in the last 60 s"), which a fixed window
//! gives by construction and a bucket that refills continuously does not.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Lets through the first `limit` lines of each window and counts the rest.
#[derive(Debug)]
pub struct LineLimiter {
    limit: u32,
    window: Duration,
    state: Mutex<Option<Window>>,
}

/// The window in progress: it starts at the first line after the previous one ended, so a quiet
/// process holds no window at all.
#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    logged: u32,
    suppressed: u64,
}

/// What to do with one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Write it.
    Log,
    /// Count it, write nothing. `first` is true for the first line held back in its window.
    Suppress {
        /// Whether this is the first line of its window held back.
        first: bool,
    },
}

/// The lines held back in a window that has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suppressed {
    /// How many lines were not written.
    pub count: u64,
    /// How long the window lasted: the whole window, or less when it was closed early (at
    /// shutdown).
    pub over: Duration,
}

impl LineLimiter {
    /// At most `limit` lines per `window`.
    pub fn new(limit: u32, window: Duration) -> LineLimiter {
        LineLimiter {
            limit,
            window,
            state: Mutex::new(None),
        }
    }

    /// Decides on one line at `now`. When that line begins a new window and the previous one
    /// held lines back, their count comes with it, to be written first.
    pub fn admit(&self, now: Instant) -> (Option<Suppressed>, Verdict) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let ended = match *state {
            Some(window) if now.saturating_duration_since(window.started) >= self.window => {
                *state = None;
                self.summary(window, now)
            }
            _ => None,
        };
        let window = state.get_or_insert(Window {
            started: now,
            logged: 0,
            suppressed: 0,
        });
        let verdict = if window.logged < self.limit {
            window.logged += 1;
            Verdict::Log
        } else {
            window.suppressed += 1;
            Verdict::Suppress {
                first: window.suppressed == 1,
            }
        };
        (ended, verdict)
    }

    /// When the window in progress ends, if it has held lines back (else there is nothing to
    /// report, and nothing to wait for).
    pub fn summary_due(&self) -> Option<Instant> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state
            .filter(|window| window.suppressed > 0)
            .map(|window| window.started + self.window)
    }

    /// Ends the window in progress if it is over at `now`, or at once if `early` (the process is
    /// stopping), returning what it held back.
    pub fn close(&self, now: Instant, early: bool) -> Option<Suppressed> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let window = (*state)?;
        if !early && now.saturating_duration_since(window.started) < self.window {
            return None;
        }
        *state = None;
        self.summary(window, now)
    }

    fn summary(&self, window: Window, now: Instant) -> Option<Suppressed> {
        (window.suppressed > 0).then(|| Suppressed {
            count: window.suppressed,
            over: now
                .saturating_duration_since(window.started)
                .min(self.window),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    fn verdicts(limiter: &LineLimiter, at: Instant, n: usize) -> Vec<Verdict> {
        (0..n).map(|_| limiter.admit(at).1).collect()
    }

    #[test]
    fn the_first_lines_of_a_window_pass_and_the_rest_are_counted() {
        let limiter = LineLimiter::new(3, MINUTE);
        let start = Instant::now();
        assert_eq!(verdicts(&limiter, start, 3), vec![Verdict::Log; 3]);
        assert_eq!(
            verdicts(&limiter, start + Duration::from_secs(10), 3),
            vec![
                Verdict::Suppress { first: true },
                Verdict::Suppress { first: false },
                Verdict::Suppress { first: false },
            ]
        );
        assert_eq!(limiter.summary_due(), Some(start + MINUTE));
        assert_eq!(limiter.close(start + Duration::from_secs(59), false), None);
        assert_eq!(
            limiter.close(start + Duration::from_secs(61), false),
            Some(Suppressed {
                count: 3,
                over: MINUTE
            })
        );
        assert_eq!(limiter.summary_due(), None, "reported once");
        assert_eq!(limiter.close(start + MINUTE * 3, false), None);
    }

    #[test]
    fn a_line_after_the_window_reports_the_old_count_and_starts_afresh() {
        let limiter = LineLimiter::new(1, MINUTE);
        let start = Instant::now();
        assert_eq!(
            verdicts(&limiter, start, 5)[4],
            Verdict::Suppress { first: false }
        );
        let (ended, verdict) = limiter.admit(start + MINUTE * 2);
        assert_eq!(
            ended,
            Some(Suppressed {
                count: 4,
                over: MINUTE
            })
        );
        assert_eq!(verdict, Verdict::Log, "a new window has its own budget");
        assert_eq!(limiter.summary_due(), None);
    }

    #[test]
    fn a_window_that_held_nothing_back_has_nothing_to_report() {
        let limiter = LineLimiter::new(2, MINUTE);
        let start = Instant::now();
        verdicts(&limiter, start, 2);
        assert_eq!(limiter.summary_due(), None);
        assert_eq!(limiter.admit(start + MINUTE).0, None);
        assert_eq!(limiter.close(start + MINUTE, true), None);
    }

    #[test]
    fn closing_early_reports_the_part_of_the_window_that_passed() {
        let limiter = LineLimiter::new(0, MINUTE);
        let start = Instant::now();
        verdicts(&limiter, start, 7);
        assert_eq!(
            limiter.close(start + Duration::from_secs(5), true),
            Some(Suppressed {
                count: 7,
                over: Duration::from_secs(5)
            })
        );
    }
}
