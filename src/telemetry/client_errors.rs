//! Client mistakes that the HTTP layer logs as errors (see [`super::classify`]), logged instead
//! as rate-limited warnings under their own target.
//!
//! `ERROR` is for what someone must fix on the server; a stranger's garbage bytes or a scanner's
//! TLS handshake on the plain HTTP port are not, and they used to wake people. They are still
//! worth a `warn` rather than an `info`: a steady stream of them from one address is a
//! misconfigured load balancer or health check, which is the site owner's to fix, and a
//! deployment that keeps only warnings and errors should see it. Since anyone can send them, at
//! most [`LINES_PER_WINDOW`] are written a minute; the rest are counted, and their number is
//! written once the minute is over (or when the server stops).
//!
//! tracing cannot change an event's level, so the HTTP layer's event is left out of the log
//! lines by [`NotAClientError`] and [`ClientErrors`] writes one of its own in its place.

use std::fmt::{self, Write as _};
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::{Event, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Filter, Layer};

use super::classify::{ClientError, classify, may_be_client_error};
use super::limiter::{LineLimiter, Suppressed, Verdict};
use super::peer;

/// The target of the lines written for client mistakes, so that `RUST_LOG` can single them out
/// (`RUST_LOG=info,drillbook::client_errors=off`).
pub const TARGET: &str = "drillbook::client_errors";

/// Client mistakes written per window: enough to see who sends what.
pub const LINES_PER_WINDOW: u32 = 10;
/// The window the limit is counted over.
pub const WINDOW: Duration = Duration::from_secs(60);

/// Hands `then` the client mistake `event` reports, if it is one (borrowed from the event's
/// message, read only for the HTTP layer's errors).
fn client_error_in(event: &Event<'_>, then: impl FnOnce(Option<ClientError<'_>>)) {
    let metadata = event.metadata();
    if !may_be_client_error(metadata.target(), *metadata.level()) {
        return then(None);
    }
    let mut message = Message::default();
    event.record(&mut message);
    then(classify(metadata.target(), *metadata.level(), &message.0));
}

/// The `message` field of an event, as text.
#[derive(Default)]
struct Message(String);

impl Visit for Message {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.push_str(value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
        }
    }
}

/// A filter for the layer that writes log lines: every event but the client mistakes.
#[derive(Debug, Clone, Copy)]
pub struct NotAClientError {
    /// The most verbose level the subscriber's global filter lets through. A filter of one
    /// layer that gives no level makes tracing assume `TRACE` for the whole subscriber, and every
    /// `trace!` call of the HTTP layer would then cost a look-up instead of a comparison.
    pub max_level: Option<LevelFilter>,
}

impl<S> Filter<S> for NotAClientError {
    fn enabled(&self, _: &Metadata<'_>, _: &Context<'_, S>) -> bool {
        true
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        self.max_level
    }

    fn event_enabled(&self, event: &Event<'_>, _: &Context<'_, S>) -> bool {
        let mut enabled = true;
        client_error_in(event, |error| enabled = error.is_none());
        enabled
    }
}

/// The layer that writes a warning for each client mistake, within the limit. It must be added
/// after (outside) the layer that writes lines: it writes while handling an event, and the line
/// writer must be done with that event first.
pub struct ClientErrors {
    limiter: Arc<LineLimiter>,
    /// The thread that writes the count of a window once it is over, woken when a window
    /// begins to hold lines back.
    reporter: Option<Thread>,
}

/// Writes the count of the lines held back so far when dropped: keep it until the process ends.
#[must_use = "the last window's count is written when this is dropped"]
pub struct FlushOnDrop {
    limiter: Arc<LineLimiter>,
}

impl ClientErrors {
    /// The layer, with its reporting thread started, and the guard that reports at the end.
    pub fn start() -> (ClientErrors, FlushOnDrop) {
        let limiter = Arc::new(LineLimiter::new(LINES_PER_WINDOW, WINDOW));
        let for_reporter = Arc::clone(&limiter);
        // Without the thread, a window's count is still written, only later: with the next
        // client mistake or at shutdown.
        let reporter = thread::Builder::new()
            .name("client-error-count".into())
            .spawn(move || report_when_due(&for_reporter))
            .ok()
            .map(|handle| handle.thread().clone());
        let flush = FlushOnDrop {
            limiter: Arc::clone(&limiter),
        };
        (ClientErrors { limiter, reporter }, flush)
    }
}

impl<S: Subscriber> Layer<S> for ClientErrors {
    /// Only errors are looked at; without a level, tracing would assume `TRACE` (see
    /// [`NotAClientError::max_level`]).
    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(LevelFilter::ERROR)
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        client_error_in(event, |error| {
            if let Some(error) = error {
                self.admit(error);
            }
        });
    }
}

impl ClientErrors {
    fn admit(&self, error: ClientError<'_>) {
        let (ended, verdict) = self.limiter.admit(Instant::now());
        if let Some(suppressed) = ended {
            write_suppressed(suppressed);
        }
        match verdict {
            Verdict::Log => write_client_error(error, peer::current()),
            Verdict::Suppress { first: true } => {
                if let Some(reporter) = &self.reporter {
                    reporter.unpark();
                }
            }
            Verdict::Suppress { first: false } => {}
        }
    }
}

impl Drop for FlushOnDrop {
    fn drop(&mut self) {
        if let Some(suppressed) = self.limiter.close(Instant::now(), true) {
            write_suppressed(suppressed);
        }
    }
}

/// The reporting thread: sleeps until a window that held lines back is over, then writes its
/// count.
fn report_when_due(limiter: &LineLimiter) {
    loop {
        match limiter.summary_due() {
            Some(due) => thread::park_timeout(due.saturating_duration_since(Instant::now())),
            None => thread::park(),
        }
        if let Some(suppressed) = limiter.close(Instant::now(), false) {
            write_suppressed(suppressed);
        }
    }
}

/// A client's address in a log line.
struct PeerAddr(Option<SocketAddr>);

impl fmt::Display for PeerAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(addr) => write!(f, "{addr}"),
            None => f.write_str("an unknown address"),
        }
    }
}

fn write_client_error(error: ClientError<'_>, peer: Option<SocketAddr>) {
    let from = PeerAddr(peer);
    match error {
        ClientError::Malformed { reason, status } => {
            tracing::warn!(target: TARGET, "malformed request from {from}, answered {status}: {reason}");
        }
        ClientError::Connection { reason } => {
            tracing::warn!(target: TARGET, "connection from {from} failed on the client's side: {reason}");
        }
    }
}

fn write_suppressed(suppressed: Suppressed) {
    let Suppressed { count, over } = suppressed;
    tracing::warn!(
        target: TARGET,
        "{count} more client errors suppressed in the last {} s (at most {LINES_PER_WINDOW} are \
         logged a minute)",
        over.as_secs().max(1)
    );
}
