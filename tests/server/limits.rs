//! Hostile and careless clients: oversized bodies and URLs, slow request heads, idle
//! connections, and files that do not exist.

use std::io;
use std::thread;
use std::time::{Duration, Instant};

use crate::harness::{Conn, Server, exchange};

/// `MAX_BODY_BYTES` in src/web/routes.rs.
const MAX_BODY_BYTES: usize = 16 * 1024;
/// `REQUEST_TIMEOUT` in src/web/server.rs.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// A POST /mock whose body is a valid setup form padded with an ignored field to `len` bytes.
fn mock_form(len: usize) -> Vec<u8> {
    let form = "category=python-basics&difficulty=any&count=3&minutes=5&pad=";
    let mut body = form.as_bytes().to_vec();
    body.resize(len, b'a');
    body
}

fn post_mock_head(extra: &str) -> String {
    format!(
        "POST /mock HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Content-Type: application/x-www-form-urlencoded\r\n{extra}\r\n"
    )
}

#[test]
fn bodies_over_the_cap_get_413_with_content_length_or_chunked() {
    let server = Server::start();

    // At the cap exactly: accepted (the interview starts), so the 413s below are about size.
    let body = mock_form(MAX_BODY_BYTES);
    let mut request = post_mock_head(&format!("Content-Length: {}\r\n", body.len())).into_bytes();
    request.extend(&body);
    let at_cap = exchange(server.addr, &request).expect("response");
    assert_eq!(at_cap.status, 303, "{}", at_cap.text());
    assert!(
        at_cap
            .header("location")
            .is_some_and(|l| l.starts_with("/mock/")),
        "{:?}",
        at_cap.headers
    );

    // One byte over, declared: refused from the header, body sent or not.
    let body = mock_form(MAX_BODY_BYTES + 1);
    let mut request = post_mock_head(&format!("Content-Length: {}\r\n", body.len())).into_bytes();
    request.extend(&body);
    let over = exchange(server.addr, &request).expect("response");
    over.assert_html_error(413);
    assert!(over.closes(), "the unread body ends the connection");

    // A huge declared length and no body at all: answered at once, nothing is waited for.
    let started = Instant::now();
    let huge = exchange(
        server.addr,
        post_mock_head("Content-Length: 10000000000\r\n").as_bytes(),
    )
    .expect("response");
    huge.assert_html_error(413);
    assert!(started.elapsed() < Duration::from_secs(2));

    // Chunked, so the size is only known while reading: 20 KiB in 4 KiB chunks.
    let mut request = post_mock_head("Transfer-Encoding: chunked\r\n").into_bytes();
    for _ in 0..5 {
        request.extend(b"1000\r\n");
        request.extend(vec![b'a'; 0x1000]);
        request.extend(b"\r\n");
    }
    request.extend(b"0\r\n\r\n");
    let mut conn = Conn::open(server.addr).expect("connect");
    conn.send(&request).expect("send");
    let chunked = conn.response().expect("response");
    chunked.assert_html_error(413);
    // actix keeps this connection open after discarding the rest of the chunked body; if it
    // does, the next request on it must be read from the right place.
    if !chunked.closes() {
        conn.send_get("/healthz", true).expect("send");
        let next = conn.response().expect("response on the same connection");
        assert_eq!(next.status, 200);
        assert_eq!(next.body, b"ok");
    }

    server.assert_serving();
}

#[test]
fn a_100_kb_query_string_gets_a_4xx_and_the_server_keeps_serving() {
    let server = Server::start();
    let request = |len: usize| {
        format!(
            "GET /search?q={} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            "a".repeat(len)
        )
    };

    // Over 64 KiB the URI never becomes a request: the `http` crate refuses URIs over 65,534
    // bytes, and actix-http answers its own bare 400 (no body, so no page of ours) and closes.
    let refused =
        exchange(server.addr, request(100_000).as_bytes()).expect("an answer, not a reset");
    assert_eq!(refused.status, 400);
    assert!(refused.closes());
    assert_eq!(refused.header("content-length"), Some("0"));

    // Under that limit the request reaches the site, whose search refuses it with a page.
    let long = exchange(server.addr, request(60_000).as_bytes()).expect("response");
    long.assert_html_error(400);

    server.assert_serving();
}

/// Sends `head` one byte every `pause` from a thread while this one reads; returns the response,
/// when it arrived and when the server closed the connection (both from the connect).
fn trickle(mut conn: Conn, head: &'static [u8], pause: Duration) -> (Vec<u8>, Duration, Duration) {
    let started = Instant::now();
    let mut writer = conn.stream.try_clone().expect("clone the socket");
    let sender = thread::spawn(move || {
        use std::io::Write;
        for byte in head {
            // Fails once the server has closed the connection: that is the point.
            if writer.write_all(std::slice::from_ref(byte)).is_err() {
                return;
            }
            thread::sleep(pause);
        }
    });
    conn.stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut received = Vec::new();
    let mut first_byte = None;
    let mut chunk = [0u8; 4096];
    let closed = loop {
        match io::Read::read(&mut conn.stream, &mut chunk) {
            Ok(0) => break started.elapsed(),
            Ok(n) => {
                first_byte.get_or_insert(started.elapsed());
                received.extend(&chunk[..n]);
            }
            Err(err) if err.kind() == io::ErrorKind::ConnectionReset => break started.elapsed(),
            Err(err) => panic!("reading after {:?}: {err}", started.elapsed()),
        }
    };
    // Unblock the sender: it sleeps between bytes and stops at its first failed write.
    let _ = conn.stream.shutdown(std::net::Shutdown::Both);
    sender.join().unwrap();
    let first_byte = first_byte.unwrap_or(closed);
    (received, first_byte, closed)
}

const SLOW_HEAD: &[u8] = b"GET /about HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\n\r\n";

#[test]
fn a_request_head_sent_one_byte_at_a_time_gets_408_within_the_request_timeout() {
    let server = Server::start();
    let conn = Conn::open(server.addr).expect("connect");
    let (received, answered, closed) = trickle(conn, SLOW_HEAD, Duration::from_millis(500));
    let text = String::from_utf8_lossy(&received);
    eprintln!("slowloris: 408 after {answered:?}, connection closed after {closed:?}");
    assert!(text.starts_with("HTTP/1.1 408 "), "{text:?}");
    // actix arms the timer from its cached clock, which ticks every 500 ms: up to that early.
    assert!(
        answered >= REQUEST_TIMEOUT - Duration::from_millis(600),
        "408 after {answered:?}, before the timeout"
    );
    assert!(
        closed <= REQUEST_TIMEOUT + Duration::from_millis(2500),
        "connection closed only after {closed:?}"
    );
    server.assert_serving();
}

/// actix-http times out only the first request's head on a connection; the server's own
/// deadline (`RequestDeadline`) covers the rest: a client that makes one quick request and then
/// trickles the next head is dropped once that head has taken longer than the deadline.
#[test]
fn a_slow_second_request_head_on_a_kept_alive_connection_is_dropped() {
    const REQUEST_DEADLINE: Duration = Duration::from_secs(6);
    let server = Server::start();
    let mut conn = Conn::open(server.addr).expect("connect");
    conn.send_get("/healthz", false).expect("send");
    assert_eq!(conn.response().expect("response").status, 200);
    // 64 bytes at one every 0.5 s would take 32 s.
    let (received, answered, closed) = trickle(conn, SLOW_HEAD, Duration::from_millis(500));
    let text = String::from_utf8_lossy(&received);
    eprintln!("slow second head: answered after {answered:?}, closed after {closed:?}: {text:.40}");
    assert!(
        closed >= REQUEST_DEADLINE - Duration::from_millis(600)
            && closed <= REQUEST_DEADLINE + Duration::from_millis(2500),
        "closed after {closed:?}: {text:.40}"
    );
    assert!(
        received.is_empty(),
        "no answer to a head never finished: {text:.40}"
    );
    server.assert_serving();
}

/// The soft limit on open files of this process (which the server inherits), from /proc.
fn open_files_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

#[test]
fn idle_connections_do_not_starve_a_new_client() {
    const SILENT: usize = 100;
    // 500, or fewer where the open-file limit is low (1024 is common): this process holds both
    // these and other tests' connections, and the server one descriptor for each.
    let kept_alive = match open_files_limit() {
        Some(limit) if limit < 2048 => (limit / 2).saturating_sub(SILENT + 100).max(50),
        _ => 500,
    };
    let server = Server::start();

    let started = Instant::now();
    let mut kept = Vec::with_capacity(kept_alive);
    for _ in 0..kept_alive {
        let mut conn = Conn::open(server.addr).expect("connect");
        conn.send_get("/healthz", false).expect("send");
        let response = conn.response().expect("response");
        assert_eq!(response.status, 200);
        assert!(!response.closes(), "kept alive");
        kept.push(conn);
    }
    let silent: Vec<Conn> = (0..SILENT)
        .map(|_| Conn::open(server.addr).expect("connect"))
        .collect();
    let opened = started.elapsed();

    // Well within both the keep-alive (15 s) and request (5 s) timeouts, so all are still open.
    let mut slowest = Duration::ZERO;
    for path in [
        "/",
        "/categories/python-basics",
        "/search?q=decorator",
        "/mock",
    ] {
        let asked = Instant::now();
        let page = server.get(path);
        let took = asked.elapsed();
        slowest = slowest.max(took);
        assert_eq!(page.status, 200, "{path}");
        assert!(
            took < Duration::from_secs(2),
            "{path} took {took:?} beside {kept_alive}+{SILENT} idle connections"
        );
    }
    // And the idle ones were not dropped to make room: a sample of them still answers.
    for conn in kept.iter_mut().step_by(50) {
        conn.send_get("/healthz", false).expect("send");
        assert_eq!(conn.response().expect("still open").status, 200);
    }
    eprintln!(
        "idle: {kept_alive} kept-alive and {SILENT} silent connections opened in {opened:?}; \
         slowest fresh page {slowest:?}"
    );
    drop(silent);
}

#[test]
fn missing_static_files_are_404_pages() {
    let server = Server::start();
    for path in [
        "/static/nope.1234567890.css",
        "/static/app.css",
        "/static/",
        "/static/..%2fCargo.toml",
    ] {
        let response = server.get(path);
        response.assert_html_error(404);
        assert!(response.text().contains("Page not found"), "{path}");
    }
}
