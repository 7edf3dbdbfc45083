//! `drillbook probe`: one `GET` to a running server, for health checks where no HTTP client is
//! installed (the container image has no shell and no curl).

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// How long the connection, the request and the answer's status line may each take.
const TIMEOUT: Duration = Duration::from_secs(3);

/// Why a probe failed, worded for the health check's log.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// The address does not resolve to anything.
    #[error("cannot resolve `{bind}`: {reason}")]
    Address {
        /// The address given.
        bind: String,
        /// What the resolver said.
        reason: String,
    },
    /// The path is not an absolute path a request line can carry.
    #[error(
        "the path must start with `/` and contain no spaces or control characters, found `{0}`"
    )]
    Path(String),
    /// Nothing answered at the address.
    #[error("no answer from {addr}: {source}")]
    Io {
        /// The address tried.
        addr: SocketAddr,
        /// What went wrong.
        source: std::io::Error,
    },
    /// Something answered, but not `200`.
    #[error("{addr} answered `{status_line}`, not 200")]
    Status {
        /// The address tried.
        addr: SocketAddr,
        /// The status line received, or what came instead of one.
        status_line: String,
    },
}

/// Sends `GET path` to the server listening on `bind` and succeeds if it answers 200.
pub fn probe(bind: &str, path: &str) -> Result<(), ProbeError> {
    if !path.starts_with('/') || path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ProbeError::Path(path.to_string()));
    }
    let addr = bind
        .to_socket_addrs()
        .map_err(|err| ProbeError::Address {
            bind: bind.to_string(),
            reason: err.to_string(),
        })?
        .next()
        .ok_or_else(|| ProbeError::Address {
            bind: bind.to_string(),
            reason: "no address".to_string(),
        })?;
    let addr = reachable(addr);
    let io = |source| ProbeError::Io { addr, source };
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).map_err(io)?;
    stream.set_read_timeout(Some(TIMEOUT)).map_err(io)?;
    stream.set_write_timeout(Some(TIMEOUT)).map_err(io)?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).map_err(io)?;
    let status_line = read_status_line(&mut stream).map_err(io)?;
    let mut parts = status_line.split(' ');
    let is_http = parts.next().is_some_and(|v| v.starts_with("HTTP/1."));
    if is_http && parts.next() == Some("200") {
        Ok(())
    } else {
        Err(ProbeError::Status { addr, status_line })
    }
}

/// The address to connect to for a server bound to `addr`: one bound to every interface is
/// reached on loopback.
fn reachable(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv4Addr::LOCALHOST.into(), addr.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv6Addr::LOCALHOST.into(), addr.port())
        }
        _ => addr,
    }
}

/// The first line of the answer, at most 256 bytes of it.
fn read_status_line(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while line.len() < 256 && stream.read(&mut byte)? == 1 && byte[0] != b'\n' {
        line.push(byte[0]);
    }
    Ok(String::from_utf8_lossy(&line).trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unspecified_addresses_are_probed_on_loopback() {
        let v4: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert_eq!(reachable(v4), "127.0.0.1:8080".parse().unwrap());
        let v6: SocketAddr = "[::]:8080".parse().unwrap();
        assert_eq!(reachable(v6), "[::1]:8080".parse().unwrap());
        let own: SocketAddr = "10.0.0.7:80".parse().unwrap();
        assert_eq!(reachable(own), own);
    }

    #[test]
    fn a_path_that_cannot_be_sent_is_refused() {
        for path in ["healthz", "/a b", "/a\r\nX: y"] {
            assert!(
                matches!(probe("127.0.0.1:1", path), Err(ProbeError::Path(_))),
                "{path:?}"
            );
        }
    }
}
