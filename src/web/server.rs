//! The HTTP server: limits and timeouts chosen for a site on the open internet.
//!
//! Built from actix-web's parts (actix-server accepting, actix-http speaking HTTP/1.1) rather than
//! with `HttpServer`, so that every connection's socket can be wrapped in a [`RequestDeadline`]:
//! `HttpServer` gives no way to wrap the stream, and actix-http alone times out only the first
//! request of a connection.

use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::time::Duration;

use actix_http::error::DispatchError;
use actix_http::{HttpService, KeepAlive, Protocol as HttpProtocol};
use actix_server::Server;
use actix_service::{Service, ServiceFactoryExt, apply_fn_factory, fn_service, map_config};
use actix_web::dev::AppConfig;
use actix_web::rt::net::TcpStream;
use socket2::{Domain, Protocol, Socket, Type};

use super::deadline::RequestDeadline;
use super::live::LiveState;
use super::offload::{Offload, PoolLimits};
use super::routes::app;
use crate::telemetry;

/// A client must send the head of its first request within this time or get a 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// From the first byte of any later request on a connection, the server must be answering within
/// this time, or the connection is closed (see [`RequestDeadline`]). A second longer than the
/// 408's limit, so a first request still gets its 408 page.
const REQUEST_DEADLINE: Duration = Duration::from_secs(6);
/// Idle keep-alive connections are closed after this.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// On SIGINT or SIGTERM, in-flight requests get this long to finish.
const SHUTDOWN_TIMEOUT_SECS: u64 = 10;

/// Connections the kernel queues before the server accepts them. The standard library's 128
/// overflows in a burst from a load balancer opening connections to a replica that was just
/// (re)started, and an overflowing SYN is retried only after a second.
const LISTEN_BACKLOG: i32 = 2048;

/// Serves the site on `bind` until SIGINT or SIGTERM, then shuts down gracefully, with searches
/// and the interview pages run on a pool of `pool` size (see [`Offload`]). `state` may be
/// replaced meanwhile (see [`LiveState`]).
pub async fn serve(state: LiveState, bind: &str, pool: PoolLimits) -> std::io::Result<()> {
    let offload = Offload::start(pool)?;
    // Nothing runs on the workers' blocking pools: costly work goes to the offload pool, and
    // responses rendered per request are compressed in place (see `encoding`), so a pool of one
    // thread each is plenty.
    let mut builder = Server::build()
        .shutdown_timeout(SHUTDOWN_TIMEOUT_SECS)
        .worker_max_blocking_threads(1);
    // Tells open connections to finish their response and close when shutdown starts, instead
    // of waiting out their keep-alive.
    let shutdown = builder.graceful_shutdown_signal();
    for addr in bind.to_socket_addrs()? {
        // Bound here rather than by actix-server so the real port of `:0` can be logged.
        let listener = listen(addr)?;
        tracing::info!("listening on http://{}", listener.local_addr()?);
        let state = state.clone();
        let shutdown = shutdown.clone();
        let offload = offload.clone();
        builder = builder.listen("drillbook", listener, move || {
            let shutdown = shutdown.clone();
            let app = app(state.clone()).app_data(offload.clone());
            fn_service(|stream: TcpStream| async move {
                // A response is written as a head and a body; without this, Nagle's algorithm
                // can hold the second write back for about 40 ms.
                stream.set_nodelay(true).map_err(DispatchError::Io)?;
                let peer: Option<SocketAddr> = stream.peer_addr().ok();
                Ok::<_, DispatchError>((
                    RequestDeadline::new(stream, REQUEST_DEADLINE),
                    HttpProtocol::Http1,
                    peer,
                ))
            })
            .and_then(apply_fn_factory(
                HttpService::build()
                    .client_request_timeout(REQUEST_TIMEOUT)
                    .client_disconnect_timeout(Duration::from_secs(2))
                    .keep_alive(KeepAlive::Timeout(KEEP_ALIVE))
                    .graceful_shutdown_signal(move || {
                        let shutdown = shutdown.clone();
                        async move { shutdown.notified().await }
                    })
                    .finish(map_config(app, |_| AppConfig::default())),
                // The HTTP layer's log lines about a connection name its client (see `peer`).
                |connection: (_, _, Option<SocketAddr>), http| {
                    telemetry::peer::scope(connection.2, http.call(connection))
                },
            ))
        })?;
    }
    highlight_in_background(&state);
    builder.run().await
}

/// Highlights the bank's code on a thread of its own while the server listens, so that the
/// first visitors of pages with code find it done (a page highlights what is not yet done
/// itself).
fn highlight_in_background(state: &LiveState) {
    let content = std::sync::Arc::clone(&state.peek().content);
    let spawned = std::thread::Builder::new()
        .name("highlight".into())
        .spawn(move || {
            let started = std::time::Instant::now();
            content.bank.highlight_code();
            tracing::info!(
                seconds = started.elapsed().as_secs_f32(),
                "code of every answer highlighted"
            );
        });
    if let Err(err) = spawned {
        tracing::warn!(%err, "no thread to highlight code ahead: pages highlight their own");
    }
}

/// A listening socket on `addr`, reusable at once after a restart (`SO_REUSEADDR`, as the
/// standard library also sets), with [`LISTEN_BACKLOG`].
fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(LISTEN_BACKLOG)?;
    Ok(socket.into())
}
