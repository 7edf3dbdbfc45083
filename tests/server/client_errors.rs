//! Client mistakes (garbage, a TLS handshake on the plain HTTP port, bad request lines and
//! headers, heads too large) are logged as rate-limited warnings that name the client, never as
//! errors, in both log formats; the server's own faults stay errors.

use std::net::SocketAddr;
use std::thread;
use std::time::Duration;

use drillbook::telemetry::{CLIENT_ERRORS_TARGET, LINES_PER_WINDOW};

use crate::harness::{Conn, Server, serve_command};

/// One log line, in either format.
#[derive(Debug)]
struct Line {
    level: String,
    target: String,
    message: String,
}

/// Parses every line the server logged: a JSON object each with `--log-format json`, else
/// `TIMESTAMP LEVEL TARGET: MESSAGE`.
fn lines(log: &str, json: bool) -> Vec<Line> {
    log.lines()
        .map(|line| {
            let parsed = if json {
                serde_json::from_str::<serde_json::Value>(line)
                    .ok()
                    .and_then(|event| {
                        Some(Line {
                            level: event["level"].as_str()?.to_string(),
                            target: event["target"].as_str()?.to_string(),
                            message: event["fields"]["message"].as_str()?.to_string(),
                        })
                    })
            } else {
                line.split_once(' ').and_then(|(_, rest)| {
                    let (level, rest) = rest.trim_start().split_once(' ')?;
                    let (target, message) = rest.split_once(": ")?;
                    Some(Line {
                        level: level.to_string(),
                        target: target.to_string(),
                        message: message.to_string(),
                    })
                })
            };
            parsed.unwrap_or_else(|| panic!("not a log line: {line:?}"))
        })
        .collect()
}

fn start(format: &str) -> Server {
    Server::start_with(serve_command(&[
        "--content",
        "content",
        "--bind",
        "127.0.0.1:0",
        "--log-format",
        format,
    ]))
}

/// A TLS 1.2 ClientHello record, as a browser sends first to an `https://` address: record
/// header (handshake, TLS 1.0 framing), handshake header, version, 32 random bytes, no session,
/// one cipher suite, no compression, no extensions.
fn tls_client_hello() -> Vec<u8> {
    let mut hello = vec![0x03, 0x03];
    hello.extend([0x5a; 32]);
    hello.extend([0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00, 0x00, 0x00]);
    let mut handshake = vec![0x01, 0x00, 0x00, hello.len() as u8];
    handshake.extend(hello);
    let mut record = vec![0x16, 0x03, 0x01, 0x00, handshake.len() as u8];
    record.extend(handshake);
    record
}

/// Sends `bytes` on a fresh connection and reads what comes back: the response's status, if a
/// whole response came (a server that closes with bytes unread may reset the connection
/// first). Returns the client's address, which the server's log line names.
fn send(server: &Server, bytes: &[u8]) -> (SocketAddr, Option<u16>) {
    let mut conn = Conn::open(server.addr).expect("connect");
    let local = conn.stream.local_addr().expect("client address");
    // A write cut short by the server's close is one way for it to refuse the request.
    let status = match conn.send(bytes) {
        Ok(()) => conn.response().ok().map(|response| response.status),
        Err(_) => None,
    };
    (local, status)
}

fn client_mistakes_are_warnings_naming_the_client(format: &str) {
    let server = start(format);
    let big_head = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: {}\r\n\r\n",
        "a".repeat(140 * 1024)
    );
    let mistakes: [(&str, Vec<u8>, u16, &str); 6] = [
        (
            "TLS handshake",
            tls_client_hello(),
            400,
            "invalid Header provided",
        ),
        (
            "garbage",
            b"\x00\x01\xfe\xff not HTTP at all\r\n\r\n".to_vec(),
            400,
            "invalid Header provided",
        ),
        (
            "bad request line",
            b"GET / HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
            400,
            "invalid HTTP version specified",
        ),
        (
            "bad header",
            b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n".to_vec(),
            400,
            "invalid Header provided",
        ),
        (
            "bad header value",
            b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad: a\x01b\r\n\r\n".to_vec(),
            400,
            "invalid Header provided",
        ),
        (
            "head too large",
            big_head.into_bytes(),
            431,
            "message head is too large",
        ),
    ];
    for (what, bytes, status, reason) in &mistakes {
        let (client, answered) = send(&server, bytes);
        if let Some(answered) = answered {
            assert_eq!(answered, *status, "{what}");
        } else {
            assert_eq!(*status, 431, "{what}: no response");
        }
        server.wait_for_log(
            &format!("malformed request from {client}, answered {status}: {reason}"),
            Duration::from_secs(10),
        );
    }
    server.assert_serving();

    let json = format == "json";
    let lines = lines(&server.log(), json);
    let errors: Vec<&Line> = lines.iter().filter(|l| l.level == "ERROR").collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let warnings: Vec<&Line> = lines
        .iter()
        .filter(|l| l.target == CLIENT_ERRORS_TARGET)
        .collect();
    assert_eq!(warnings.len(), mistakes.len(), "{warnings:#?}");
    assert!(warnings.iter().all(|l| l.level == "WARN"), "{warnings:#?}");
    assert!(
        !lines.iter().any(|l| l.target.starts_with("actix_http")),
        "{lines:#?}"
    );
}

#[test]
fn client_mistakes_are_warnings_naming_the_client_in_text_logs() {
    client_mistakes_are_warnings_naming_the_client("text");
}

#[test]
fn client_mistakes_are_warnings_naming_the_client_in_json_logs() {
    client_mistakes_are_warnings_naming_the_client("json");
}

#[test]
fn a_flood_of_malformed_requests_logs_a_few_lines_and_the_count_of_the_rest() {
    const FLOOD: usize = 1_000;
    const CLIENTS: usize = 4;
    let mut server = start("text");
    let addr = server.addr;
    let senders: Vec<_> = (0..CLIENTS)
        .map(|_| {
            thread::spawn(move || {
                for _ in 0..FLOOD / CLIENTS {
                    let mut conn = Conn::open(addr).expect("connect");
                    conn.send(&tls_client_hello()).expect("send");
                    let response = conn.response().expect("a 400");
                    assert_eq!(response.status, 400);
                }
            })
        })
        .collect();
    for sender in senders {
        sender.join().expect("the flood was sent");
    }
    server.assert_serving();
    // The count of the minute in progress is written when the server stops.
    server.terminate();
    let status = server.wait_for_exit(Duration::from_secs(15));
    assert!(status.is_some_and(|s| s.success()), "{status:?}");

    let log = server.log();
    let lines = lines(&log, false);
    assert!(!lines.iter().any(|l| l.level == "ERROR"), "{log}");
    let ours: Vec<&Line> = lines
        .iter()
        .filter(|l| l.target == CLIENT_ERRORS_TARGET)
        .collect();
    let logged = ours
        .iter()
        .filter(|l| l.message.starts_with("malformed request from 127.0.0.1:"))
        .count();
    let counts: Vec<usize> = ours
        .iter()
        .filter_map(|l| {
            let (count, rest) = l.message.split_once(' ')?;
            rest.starts_with("more client errors suppressed in the last ")
                .then(|| count.parse().ok())?
        })
        .collect();
    // Within one minute, as the flood takes a few seconds: the first lines, then one count.
    // Should a minute pass during the flood, each minute has its own lines and count.
    let windows = counts.len();
    assert!(windows >= 1, "no count of the lines left out:\n{log}");
    assert!(
        logged <= LINES_PER_WINDOW as usize * windows,
        "{logged} lines:\n{log}"
    );
    assert_eq!(
        logged + counts.iter().sum::<usize>(),
        FLOOD,
        "every malformed request is logged or counted:\n{log}"
    );
    assert_eq!(ours.len(), logged + windows, "{log}");
    eprintln!(
        "flood: {FLOOD} malformed requests, {logged} lines and {windows} count line(s) {counts:?}, \
         {} log lines in all",
        lines.len()
    );
}
