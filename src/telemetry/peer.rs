//! The address of the client whose connection is being served, for log lines written from code
//! that is not told it: the HTTP layer reports a malformed request without saying who sent it.
//!
//! A task-local rather than a span per connection: it costs a swap of one value per poll, where
//! a span would be allocated, formatted and printed before every line of the connection.

use std::future::Future;
use std::net::SocketAddr;

tokio::task_local! {
    static PEER: Option<SocketAddr>;
}

/// Runs `connection` with `peer` as the address its log lines name.
pub fn scope<F: Future>(
    peer: Option<SocketAddr>,
    connection: F,
) -> impl Future<Output = F::Output> {
    PEER.scope(peer, connection)
}

/// The address of the client whose connection is being polled on this thread, if known.
pub fn current() -> Option<SocketAddr> {
    PEER.try_with(|peer| *peer).ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_peer_is_known_inside_its_connection_only() {
        let addr: SocketAddr = "192.0.2.7:4242".parse().unwrap();
        assert_eq!(current(), None);
        let seen = scope(Some(addr), async {
            tokio::task::yield_now().await;
            current()
        })
        .await;
        assert_eq!(seen, Some(addr));
        assert_eq!(current(), None);
    }
}
