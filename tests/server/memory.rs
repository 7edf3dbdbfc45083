//! Memory under a burst of compressed downloads: what one client with many connections can make
//! the server hold.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use crate::harness::{Conn, Server};

/// The server's resident memory in KiB, from /proc (None where there is no /proc).
fn rss_kib(pid: u32) -> Option<usize> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// 128 connections ask for the biggest page (345 kB, 129 kB in gzip) at once, three times
/// over. The page is made once and kept, so every response shares its compressed bytes; what grows is
/// the connections' write buffers, into which actix copies each response it sends. When pages
/// were rendered and then compressed per request on actix's blocking pool, this peaked at
/// 985 MiB over the idle server (about 130 MiB once the pool was sized to the CPU); now it is
/// about 25 MiB.
#[test]
fn a_burst_of_downloads_of_the_biggest_page_keeps_memory_bounded() {
    const CONNECTIONS: usize = 128;
    const ROUNDS: usize = 3;
    /// Growth over the idle server allowed at the peak: 128 copies of the page are 16 MiB in
    /// gzip, 42 MiB as rendered.
    const LIMIT_MIB: usize = 64;

    let server = Server::start();
    // Idle means after the start-up work that goes on while the server listens, and once the
    // page is made in every coding: it is asked for in brotli until its brotli bytes are sent.
    server.wait_for_log("code of every answer highlighted", Duration::from_secs(120));
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let mut brotli = Conn::open(server.addr).expect("connect");
        brotli
            .send(
                b"GET /categories/miscellaneous HTTP/1.1\r\nHost: 127.0.0.1\r\n\
                  Accept-Encoding: br\r\nConnection: close\r\n\r\n",
            )
            .expect("send");
        let response = brotli.response().expect("response");
        if response.header("content-encoding") == Some("br") {
            assert!(
                response
                    .header("etag")
                    .is_some_and(|tag| tag.ends_with("-br\""))
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the page asked for in brotli again and again has no brotli copy after 60 s"
        );
        thread::sleep(Duration::from_millis(50));
    }
    let pid = server.pid();
    let Some(idle) = rss_kib(pid) else {
        eprintln!("memory: no /proc, skipped");
        return;
    };
    let peak = Arc::new(AtomicUsize::new(idle));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (Arc::clone(&peak), Arc::clone(&done));
        thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                if let Some(rss) = rss_kib(pid) {
                    peak.fetch_max(rss, Ordering::SeqCst);
                }
                thread::sleep(Duration::from_millis(20));
            }
        })
    };

    let mut conns: Vec<Conn> = (0..CONNECTIONS)
        .map(|_| Conn::open(server.addr).expect("connect"))
        .collect();
    let request = b"GET /categories/miscellaneous HTTP/1.1\r\nHost: 127.0.0.1\r\n\
                    Accept-Encoding: gzip\r\n\r\n";
    for _ in 0..ROUNDS {
        for conn in &mut conns {
            conn.send(request).expect("send");
        }
        for conn in &mut conns {
            let response = conn.response().expect("response");
            assert_eq!(response.status, 200);
            assert_eq!(response.header("content-encoding"), Some("gzip"));
            assert!(response.body.len() > 10_000, "{}", response.body.len());
        }
    }
    done.store(true, Ordering::SeqCst);
    sampler.join().unwrap();

    let peak = peak.load(Ordering::SeqCst);
    let after = rss_kib(pid).unwrap_or(0);
    eprintln!(
        "memory: {CONNECTIONS} gzip downloads at once, {ROUNDS} rounds: RSS idle {} MiB, \
         peak {} MiB, after {} MiB",
        idle / 1024,
        peak / 1024,
        after / 1024
    );
    assert!(
        peak - idle < LIMIT_MIB * 1024,
        "RSS went from {} MiB to {} MiB",
        idle / 1024,
        peak / 1024
    );
    server.assert_serving();
}
