//! Which of the HTTP layer's error events are the client's doing.
//!
//! actix-http's HTTP/1 dispatcher (`actix_http::h1::dispatcher`, 3.x) ends a connection whose
//! request it could not read with one event at `ERROR`: `stream error: {DispatchError}`. Most of
//! those are the client's mistakes, answered and closed as they should be; they are mapped here:
//!
//! | `stream error: …`                                   | whose        | answered |
//! |-----------------------------------------------------|--------------|----------|
//! | `request parse error: message head is too large`    | client       | 431      |
//! | `request parse error: …` (method, URI, version, header, UTF-8, incomplete): garbage bytes, a TLS handshake sent to the plain HTTP port (`invalid Header provided`), a bad request line or header | client | 400 |
//! | `I/O error: … (os error N)` where N is a reset, an abort, a broken pipe or a time-out | client | nothing |
//! | `request did not complete within the specified timeout`, `connection shutdown timeout` | client (too slow) | 408 / nothing |
//! | `internal error`, `body error: …`, `service error`, `upgrade error`, `handler dropped payload before reading EOF`, any other I/O error | server | — |
//!
//! Everything not in the client rows stays an `ERROR`, as does every other event of the HTTP
//! layer (`write zero; closing`, `Internal server error: unexpected payload chunk`, `Response
//! payload stream error`, the service start-up and readiness errors): those are faults of the
//! server, its wiring or its machine. The mapping reads the dispatcher's message because that
//! event carries no other field; the messages are fixed strings of actix-http's `DispatchError`
//! and `ParseError` `Display`s, and the tests in this module hold them.

use std::io;

use tracing::Level;

/// Where the HTTP/1 dispatcher's events come from.
pub const DISPATCHER_TARGET: &str = "actix_http::h1::dispatcher";

/// A client's mistake that the HTTP layer reported as an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientError<'a> {
    /// The request could not be read as HTTP; it was answered with `status` and the connection
    /// closed.
    Malformed {
        /// actix's reason, such as `invalid Header provided`.
        reason: &'a str,
        /// The status the client was sent.
        status: u16,
    },
    /// The client broke the connection off, or was too slow to send or to close it.
    Connection {
        /// actix's reason, such as `I/O error: Connection reset by peer (os error 104)`.
        reason: &'a str,
    },
}

/// Whether an event of this target and level may be a client's mistake; cheap, for the
/// metadata alone, so that every other event is passed over without reading its message.
pub fn may_be_client_error(target: &str, level: Level) -> bool {
    level == Level::ERROR && target == DISPATCHER_TARGET
}

/// The client's mistake an event of the HTTP layer reports, or `None` if it is the server's
/// fault (or not a dispatcher event at all).
pub fn classify<'a>(target: &str, level: Level, message: &'a str) -> Option<ClientError<'a>> {
    if !may_be_client_error(target, level) {
        return None;
    }
    let error = message.strip_prefix("stream error: ")?;
    if let Some(reason) = error.strip_prefix("request parse error: ") {
        let status = if reason == "message head is too large" {
            431
        } else {
            400
        };
        return Some(ClientError::Malformed { reason, status });
    }
    let clients_side = match error.strip_prefix("I/O error: ") {
        Some(io_error) => os_error_kind(io_error).is_some_and(is_the_clients_doing),
        None => matches!(
            error,
            "request did not complete within the specified timeout" | "connection shutdown timeout"
        ),
    };
    clients_side.then_some(ClientError::Connection { reason: error })
}

/// The kind of an `io::Error` from its `Display` (`… (os error N)`), which is all the event
/// keeps of it.
fn os_error_kind(text: &str) -> Option<io::ErrorKind> {
    let code = text.strip_suffix(')')?.rsplit_once("(os error ")?.1;
    let code: i32 = code.parse().ok()?;
    Some(io::Error::from_raw_os_error(code).kind())
}

/// I/O errors a client causes by going away or by stalling.
fn is_the_clients_doing(kind: io::ErrorKind) -> bool {
    matches!(
        kind,
        io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::TimedOut
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dispatcher(message: &str) -> Option<ClientError<'_>> {
        classify(DISPATCHER_TARGET, Level::ERROR, message)
    }

    #[test]
    fn unreadable_requests_are_the_clients_and_say_what_they_were_answered() {
        for reason in [
            "invalid method specified",
            "URI error: invalid uri character",
            "invalid HTTP version specified",
            "invalid Header provided",
            "message is incomplete",
            "UTF-8 error: invalid utf-8 sequence of 1 bytes from index 0",
        ] {
            assert_eq!(
                dispatcher(&format!("stream error: request parse error: {reason}")),
                Some(ClientError::Malformed {
                    reason,
                    status: 400
                })
            );
        }
        assert_eq!(
            dispatcher("stream error: request parse error: message head is too large"),
            Some(ClientError::Malformed {
                reason: "message head is too large",
                status: 431
            })
        );
    }

    #[test]
    fn a_client_that_goes_away_or_stalls_is_the_clients_doing() {
        for error in [
            "I/O error: Connection reset by peer (os error 104)",
            "I/O error: Broken pipe (os error 32)",
            "I/O error: Connection timed out (os error 110)",
            "I/O error: Software caused connection abort (os error 103)",
            "request did not complete within the specified timeout",
            "connection shutdown timeout",
        ] {
            assert_eq!(
                dispatcher(&format!("stream error: {error}")),
                Some(ClientError::Connection { reason: error }),
                "{error}"
            );
        }
    }

    #[test]
    fn faults_of_the_server_stay_errors() {
        for message in [
            "stream error: internal error",
            "stream error: service error",
            "stream error: upgrade error",
            "stream error: body error: the page could not be compressed",
            "stream error: handler dropped payload before reading EOF",
            "stream error: I/O error: Too many open files (os error 24)",
            "stream error: I/O error: No space left on device (os error 28)",
            "stream error: I/O error: the request took too long",
            "write zero; closing",
            "Internal server error: unexpected payload chunk",
            "Response payload stream error: boom",
        ] {
            assert_eq!(dispatcher(message), None, "{message}");
        }
    }

    #[test]
    fn only_the_dispatchers_errors_are_looked_at() {
        let parse_error = "stream error: request parse error: invalid Header provided";
        assert_eq!(classify(DISPATCHER_TARGET, Level::WARN, parse_error), None);
        assert_eq!(classify("drillbook::web", Level::ERROR, parse_error), None);
        assert_eq!(
            classify("actix_http::h2::dispatcher", Level::ERROR, parse_error),
            None
        );
    }
}
