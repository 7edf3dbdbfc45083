//! Server-side search benchmark: loads a content folder, builds the index, and times
//! `SearchIndex::search` (ranking, snippets and all) over the fixed queries in
//! benches/search-queries.txt. Prints one line of figures; scripts/bench-search.py runs it.
//!
//!     cargo run --release --example bench_search -- content [rounds]
//!
//! With `BENCH_SLOWEST=1` it also lists the ten queries with the highest median time, on
//! stderr, to show where the time goes.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use drillbook::bank;
use drillbook::search::{self, Request, SearchIndex};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let Some(dir) = args.get(1) else {
        eprintln!("usage: bench_search CONTENT_DIR [ROUNDS]");
        return ExitCode::FAILURE;
    };
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(50);
    let queries: Vec<String> = include_str!("../benches/search-queries.txt")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();

    let started = Instant::now();
    let bank = match bank::load(Path::new(dir)) {
        Ok(bank) => bank,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::FAILURE;
        }
    };
    let loaded = started.elapsed();
    let started = Instant::now();
    let index = match SearchIndex::build(&bank) {
        Ok(index) => index,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::FAILURE;
        }
    };
    let built = started.elapsed();

    let parsed: Vec<_> = queries
        .iter()
        .filter_map(|q| Some((q.as_str(), search::parse(q).ok()?)))
        .collect();
    let mut samples: Vec<Duration> = Vec::with_capacity(rounds * parsed.len());
    let mut per_query: Vec<Vec<Duration>> = vec![Vec::with_capacity(rounds); parsed.len()];
    let mut matched = 0usize;
    for round in 0..=rounds {
        for (i, (_, query)) in parsed.iter().enumerate() {
            let request = Request {
                query,
                category: None,
                difficulty: None,
                page: 1,
            };
            let t = Instant::now();
            let results = index.search_uncached(&bank, &request);
            let elapsed = t.elapsed();
            // Round 0 warms caches and is not counted.
            if round > 0 {
                samples.push(elapsed);
                per_query[i].push(elapsed);
            } else if results.is_ok_and(|r| r.total > 0) {
                matched += 1;
            }
        }
    }
    samples.sort();
    let mut medians: Vec<(Duration, &str)> = per_query
        .iter_mut()
        .zip(&parsed)
        .map(|(times, (text, _))| {
            times.sort();
            (
                times.get(times.len() / 2).copied().unwrap_or_default(),
                *text,
            )
        })
        .collect();
    medians.sort_by_key(|m| std::cmp::Reverse(m.0));
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    println!(
        "questions={} load_ms={:.1} index_build_ms={:.1} index_mib={:.2} queries={} matched={} samples={} p50_us={:.0} p99_us={:.0} max_us={:.0}",
        bank.len(),
        loaded.as_secs_f64() * 1e3,
        built.as_secs_f64() * 1e3,
        index.memory_bytes() as f64 / (1024.0 * 1024.0),
        parsed.len(),
        matched,
        samples.len(),
        at(0.50).as_secs_f64() * 1e6,
        at(0.99).as_secs_f64() * 1e6,
        samples.last().map_or(0.0, |d| d.as_secs_f64() * 1e6),
    );
    if std::env::var_os("BENCH_SLOWEST").is_some() {
        for (median, text) in medians.iter().take(10) {
            eprintln!("{:>8.0} us  {text}", median.as_secs_f64() * 1e6);
        }
    }
    ExitCode::SUCCESS
}
