//! The offload pool's limits, set from the command line and the environment: with one thread and
//! no queue, searches sent at once find the pool busy and get a 503 page with `Retry-After` at
//! once, never a wait, a dropped connection or another error.

use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use crate::harness::{Server, get, serve_command};

/// Clients searching at once: far more than one thread with no queue can take.
const CLIENTS: usize = 16;

/// A query of long words in no question, each a typo to try: the costliest kind.
fn costly_query(client: usize, round: usize) -> String {
    let words: Vec<String> = (0..20)
        .map(|i| format!("zq{client}x{round}y{i}wordunknown"))
        .collect();
    format!("/search?q={}", words.join("+"))
}

#[test]
fn a_tiny_pool_refuses_searches_it_cannot_take_with_a_quick_503() {
    let mut command = serve_command(&[
        "--content",
        "content",
        "--bind",
        "127.0.0.1:0",
        "--offload-threads",
        "1",
    ]);
    command.env("DRILLBOOK_OFFLOAD_QUEUE", "0");
    let server = Arc::new(Server::start_with(command));
    let start = Arc::new(Barrier::new(CLIENTS));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let server = Arc::clone(&server);
            let start = Arc::clone(&start);
            thread::spawn(move || {
                start.wait();
                let deadline = Instant::now() + Duration::from_secs(10);
                let mut answered = Vec::new();
                for round in 0.. {
                    let sent = Instant::now();
                    let response = get(server.addr, &costly_query(client, round))
                        .unwrap_or_else(|err| panic!("search {round} of client {client}: {err}"));
                    let took = sent.elapsed();
                    let refused = response.status == 503;
                    answered.push((response, took));
                    if refused || Instant::now() > deadline {
                        break;
                    }
                }
                answered
            })
        })
        .collect();
    let answers: Vec<_> = clients
        .into_iter()
        .flat_map(|client| client.join().expect("client"))
        .collect();
    let mut refusals = 0;
    for (response, took) in &answers {
        match response.status {
            200 => {}
            503 => {
                refusals += 1;
                response.assert_html_error(503);
                assert_eq!(response.header("retry-after"), Some("1"));
                assert_eq!(response.header("cache-control"), Some("no-store"));
                assert!(response.text().contains("Busy right now"));
                assert!(
                    *took < Duration::from_secs(2),
                    "a refusal is sent at once, not after a wait: {took:?}"
                );
            }
            other => panic!("{other}: {}", response.text()),
        }
    }
    assert!(
        refusals > 0,
        "{CLIENTS} clients at once on one thread with no queue: some must be refused \
         ({} answers)",
        answers.len()
    );
    // The pool is free again once the flood ends. With no queue, a search is taken only while
    // the thread waits for one, and it may still be on its way back from the last: a search
    // a moment later is taken.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut round = 0;
    let after = loop {
        let after = get(server.addr, &costly_query(CLIENTS, round)).expect("a search");
        if after.status != 503 || Instant::now() > deadline {
            break after;
        }
        round += 1;
        thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(after.status, 200, "{}", after.text());
    server.assert_serving();
}
