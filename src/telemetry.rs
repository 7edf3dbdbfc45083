//! Logging set-up: human-readable lines on stderr, `info` and up unless `RUST_LOG` says otherwise.

use tracing_subscriber::EnvFilter;

/// Installs the global tracing subscriber. Call once, at the start of `main`.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
