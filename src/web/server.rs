//! The HTTP server: limits and timeouts chosen for a site on the open internet.

use std::time::Duration;

use actix_web::HttpServer;
use actix_web::http::KeepAlive;
use actix_web::web::Data;

use super::app;
use super::state::AppState;

/// Largest request body read; the site takes no uploads, only small forms.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// A client must send its request head within this time or get a 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// Idle keep-alive connections are closed after this.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// On SIGINT or SIGTERM, in-flight requests get this long to finish.
const SHUTDOWN_TIMEOUT_SECS: u64 = 10;

/// Serves the site on `bind` until SIGINT or SIGTERM, then shuts down gracefully.
pub async fn serve(state: AppState, bind: &str) -> std::io::Result<()> {
    let state = Data::new(state);
    let server = HttpServer::new(move || app(state.clone()))
        // Compressed responses are written in several small chunks; without this, Nagle's
        // algorithm holds the last one back for about 40 ms.
        .tcp_nodelay(true)
        .client_request_timeout(REQUEST_TIMEOUT)
        .client_disconnect_timeout(Duration::from_secs(2))
        .keep_alive(KeepAlive::Timeout(KEEP_ALIVE))
        .shutdown_timeout(SHUTDOWN_TIMEOUT_SECS)
        .bind(bind)?;
    for addr in server.addrs() {
        tracing::info!("listening on http://{addr}");
    }
    server.run().await
}
