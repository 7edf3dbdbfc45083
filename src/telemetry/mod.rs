//! Logging set-up: lines on stderr, `info` and up unless `RUST_LOG` says otherwise, as text for
//! people or as JSON for log shippers. Client mistakes that the HTTP layer reports as errors are
//! written as rate-limited warnings instead ([`client_errors`]).

mod classify;
mod client_errors;
mod limiter;
pub mod peer;

use std::io::IsTerminal;

use tracing::Subscriber;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

pub use client_errors::{FlushOnDrop, LINES_PER_WINDOW, TARGET as CLIENT_ERRORS_TARGET};

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One human-readable line per event.
    Text,
    /// One JSON object per event and line, with the event's fields and its spans.
    Json,
}

/// Installs the global tracing subscriber (which also takes the `log` crate's records). Call
/// once, at the start of `main`, and keep the guard until the end.
pub fn init(format: LogFormat) -> FlushOnDrop {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only on a terminal: journald, Docker and files would keep the escape codes.
    let ansi = std::io::stderr().is_terminal();
    let (subscriber, flush) = subscriber(format, filter, std::io::stderr, ansi);
    subscriber.init();
    flush
}

/// The subscriber [`init`] installs, writing to `writer`.
fn subscriber<W>(
    format: LogFormat,
    filter: EnvFilter,
    writer: W,
    ansi: bool,
) -> (impl Subscriber + Send + Sync + 'static, FlushOnDrop)
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let lines = tracing_subscriber::fmt::layer()
        .with_ansi(ansi)
        .with_writer(writer);
    let lines = match format {
        LogFormat::Text => lines.boxed(),
        LogFormat::Json => lines.json().with_current_span(false).boxed(),
    };
    let (client_errors, flush) = client_errors::ClientErrors::start();
    let not_a_client_error = client_errors::NotAClientError {
        max_level: filter.max_level_hint(),
    };
    let subscriber = tracing_subscriber::registry()
        .with(filter)
        .with(lines.with_filter(not_a_client_error))
        // Outside the line writer, which must be done with an event before this layer writes
        // the line that replaces it.
        .with(client_errors);
    (subscriber, flush)
}

#[cfg(test)]
mod tests {
    use std::io;
    use std::net::SocketAddr;
    use std::sync::{Arc, Mutex, PoisonError};

    use super::classify::DISPATCHER_TARGET;
    use super::*;

    /// Log lines kept in memory.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Captured {
        fn text(&self) -> String {
            let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }

    impl io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let mut bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            bytes.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// The whole subscriber, installed for the process (a client error's line is written while
    /// another event is handled, which a thread's scoped subscriber would drop), fed the events
    /// actix-http's dispatcher emits. No other unit test installs a subscriber.
    #[tokio::test]
    async fn the_http_layers_client_errors_become_limited_warnings_and_its_faults_stay_errors() {
        let captured = Captured::default();
        let writer = captured.clone();
        let (subscriber, flush) = subscriber(
            LogFormat::Text,
            EnvFilter::new("info"),
            move || writer.clone(),
            false,
        );
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
        // The filter of the line writer leaves the level alone: below it, the HTTP layer's many
        // `trace!` calls stay a comparison each.
        assert_eq!(
            tracing::level_filters::LevelFilter::current(),
            tracing::level_filters::LevelFilter::INFO
        );

        let peer: SocketAddr = "192.0.2.1:50123".parse().unwrap();
        peer::scope(Some(peer), async {
            tracing::error!(target: DISPATCHER_TARGET, "stream error: {}", "internal error");
            tracing::error!(
                target: DISPATCHER_TARGET,
                "stream error: {}",
                "request parse error: message head is too large"
            );
        })
        .await;
        let flood = 30;
        for _ in 0..flood {
            tracing::error!(
                target: DISPATCHER_TARGET,
                "stream error: {}",
                "request parse error: invalid Header provided"
            );
        }
        drop(flush);

        let text = captured.text();
        let lines: Vec<&str> = text
            .lines()
            .filter(|line| line.contains(DISPATCHER_TARGET) || line.contains(CLIENT_ERRORS_TARGET))
            .collect();
        let count = |pattern: &str| lines.iter().filter(|l| l.contains(pattern)).count();
        assert_eq!(
            count("ERROR actix_http::h1::dispatcher: stream error: internal error"),
            1,
            "{text}"
        );
        assert_eq!(count("ERROR"), 1, "one fault, no client error: {text}");
        assert_eq!(
            count(
                "WARN drillbook::client_errors: malformed request from 192.0.2.1:50123, \
                 answered 431: message head is too large"
            ),
            1,
            "{text}"
        );
        let logged = count(
            "WARN drillbook::client_errors: malformed request from an unknown address, \
             answered 400: invalid Header provided",
        );
        assert_eq!(logged + 1, LINES_PER_WINDOW as usize, "{text}");
        let suppressed = flood - logged;
        assert_eq!(
            count(&format!(
                "WARN drillbook::client_errors: {suppressed} more client errors suppressed in the \
                 last "
            )),
            1,
            "{text}"
        );
        assert_eq!(lines.len(), 1 + LINES_PER_WINDOW as usize + 1, "{text}");
    }
}
