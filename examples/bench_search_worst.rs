//! Server-side times of the costliest searches the query limits allow, beside a normal one: loads
//! a content folder, builds the index, and times `SearchIndex::search_uncached` (typo expansion,
//! ranking, counting, snippets) for distinct queries of each case, so no result is reused. Prints
//! one line per case; scripts/bench-search.py runs it. Each search is timed twice: on the wall
//! clock, and in the CPU time of the thread that runs it, which a machine busy with other work
//! does not inflate (a preempted search waits on the wall clock but spends no CPU).
//!
//!     cargo run --release --example bench_search_worst -- content [queries-per-case]
//!
//! The cases, each as many words as 500 characters hold (the search uses the first
//! `MAX_TERMS`):
//! - random long words: 16 random letters each, in no question, so every one is a typo to try;
//! - rare words: words of eight letters or more found in the fewest questions, each looked up
//!   for a likelier spelling;
//! - misspelt words: the bank's most common long words, each with one letter changed;
//! - common words: the bank's most common words, the longest posting lists to rank;
//! - common phrase: the same words, quoted, to be matched in order;
//! - normal: the queries of benches/search-queries.txt, for reference.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use drillbook::bank::{self, Bank};
use drillbook::search::{self, MAX_QUERY_CHARS, Request, SearchIndex};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let Some(dir) = args.get(1) else {
        eprintln!("usage: bench_search_worst CONTENT_DIR [QUERIES_PER_CASE]");
        return ExitCode::FAILURE;
    };
    let per_case: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(200);
    let bank = match bank::load(Path::new(dir)) {
        Ok(bank) => bank,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::FAILURE;
        }
    };
    let index = match SearchIndex::build(&bank) {
        Ok(index) => index,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::FAILURE;
        }
    };
    let mut rng = ChaCha8Rng::from_seed([11; 32]);
    let words = WordCounts::of(&bank);
    let normal: Vec<String> = include_str!("../benches/search-queries.txt")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "random long words",
            (0..per_case)
                .map(|_| longest_query(|| random_word(&mut rng, 16)))
                .collect(),
        ),
        (
            "rare words",
            (0..per_case)
                .map(|_| longest_query(|| words.pick(&mut rng, Rarity::Rare).to_string()))
                .collect(),
        ),
        (
            "misspelt words",
            (0..per_case)
                .map(|_| {
                    longest_query(|| {
                        let word = words.pick(&mut rng, Rarity::Common).to_string();
                        misspelt(&mut rng, &word)
                    })
                })
                .collect(),
        ),
        (
            "common words",
            (0..per_case)
                .map(|_| longest_query(|| words.pick(&mut rng, Rarity::Frequent).to_string()))
                .collect(),
        ),
        (
            "common phrase",
            (0..per_case)
                .map(|_| {
                    let words =
                        longest_query(|| words.pick(&mut rng, Rarity::Frequent).to_string());
                    let fits: String = words.chars().take(MAX_QUERY_CHARS - 2).collect();
                    let fits = fits
                        .rsplit_once(' ')
                        .map_or(fits.as_str(), |(head, _)| head);
                    format!("\"{fits}\"")
                })
                .collect(),
        ),
        (
            "normal",
            normal.iter().cycle().take(per_case).cloned().collect(),
        ),
    ];
    for (name, queries) in cases {
        match time_case(&bank, &index, &queries) {
            Ok(line) => println!(
                "case={} questions={} {line}",
                name.replace(' ', "_"),
                bank.len()
            ),
            Err(err) => {
                eprintln!("{name}: {err}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

/// Times each query once, after one untimed pass over the first few (to warm caches), and
/// gives the figures as `key=value` pairs.
fn time_case(bank: &Bank, index: &SearchIndex, queries: &[String]) -> Result<String, String> {
    let run = |text: &str| -> Result<(Duration, Duration, usize), String> {
        let query = search::parse(text).map_err(|err| format!("{text:?}: {err}"))?;
        let request = Request {
            query: &query,
            category: None,
            difficulty: None,
            page: 1,
        };
        let started = Instant::now();
        let cpu_started = thread_cpu_time();
        index
            .search_uncached(bank, &request)
            .map_err(|err| format!("{text:?}: {err}"))?;
        let cpu = thread_cpu_time().saturating_sub(cpu_started);
        Ok((started.elapsed(), cpu, query.words.len()))
    };
    for text in queries.iter().take(5) {
        run(text)?;
    }
    let mut wall = Vec::with_capacity(queries.len());
    let mut cpu = Vec::with_capacity(queries.len());
    let mut words = 0;
    for text in queries {
        let (elapsed, spent, count) = run(text)?;
        wall.push(elapsed);
        cpu.push(spent);
        words += count;
    }
    wall.sort();
    cpu.sort();
    let us = |samples: &[Duration], p: f64| {
        let at = ((samples.len().saturating_sub(1)) as f64 * p).round() as usize;
        samples.get(at).map_or(0.0, |d| d.as_secs_f64() * 1e6)
    };
    Ok(format!(
        "queries={} words_per_query={:.1} p50_us={:.0} p99_us={:.0} max_us={:.0} \
         cpu_p50_us={:.0} cpu_p99_us={:.0} cpu_max_us={:.0}",
        wall.len(),
        words as f64 / wall.len().max(1) as f64,
        us(&wall, 0.50),
        us(&wall, 0.99),
        us(&wall, 1.0),
        us(&cpu, 0.50),
        us(&cpu, 0.99),
        us(&cpu, 1.0),
    ))
}

/// CPU time the calling thread has used.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for the call to write; the clock id is a constant.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    if status != 0 {
        return Duration::ZERO;
    }
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}

/// As many distinct words from `next` as [`MAX_QUERY_CHARS`] characters hold, spaces
/// included (tried a bounded number of times).
fn longest_query(mut next: impl FnMut() -> String) -> String {
    let mut query = String::new();
    for _ in 0..MAX_QUERY_CHARS {
        let word = next();
        if query.chars().count() + word.chars().count() + 1 > MAX_QUERY_CHARS {
            break;
        }
        if !query.split_whitespace().any(|w| w == word) {
            if !query.is_empty() {
                query.push(' ');
            }
            query.push_str(&word);
        }
    }
    query
}

fn random_word(rng: &mut ChaCha8Rng, letters: usize) -> String {
    (0..letters)
        .map(|_| char::from(b'a' + (rng.next_u32() % 26) as u8))
        .collect()
}

/// `word` with one letter, not the first, replaced by another.
fn misspelt(rng: &mut ChaCha8Rng, word: &str) -> String {
    let mut letters: Vec<char> = word.chars().collect();
    let at = 1 + rng.next_u32() as usize % (letters.len() - 1).max(1);
    if let Some(letter) = letters.get_mut(at) {
        let shifted = (u32::from(*letter) - u32::from('a') + 1 + rng.next_u32() % 25) % 26;
        *letter = char::from(b'a' + shifted as u8);
    }
    letters.into_iter().collect()
}

/// Which words of the bank to draw from.
#[derive(Clone, Copy)]
enum Rarity {
    /// The fifty long words in the fewest questions.
    Rare,
    /// The fifty long words in the most questions.
    Common,
    /// The fifty words of any length in the most questions.
    Frequent,
}

/// The bank's lowercase words of letters, with the number of questions each is in.
struct WordCounts {
    rare: Vec<String>,
    common: Vec<String>,
    frequent: Vec<String>,
}

impl WordCounts {
    fn of(bank: &Bank) -> WordCounts {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for question in bank.questions() {
            let text = format!(
                "{} {} {} {}",
                question.title,
                question.summary,
                question.tags.join(" "),
                question.answer.text
            );
            let mut seen: Vec<String> = text
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() >= 4)
                .map(str::to_lowercase)
                .collect();
            seen.sort();
            seen.dedup();
            for word in seen {
                *counts.entry(word).or_default() += 1;
            }
        }
        let mut by_count: Vec<(String, usize)> = counts.into_iter().collect();
        by_count.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        let long = || by_count.iter().filter(|(w, _)| w.len() >= 8);
        WordCounts {
            rare: long().take(50).map(|(w, _)| w.clone()).collect(),
            common: long().rev().take(50).map(|(w, _)| w.clone()).collect(),
            frequent: by_count
                .iter()
                .rev()
                .take(50)
                .map(|(w, _)| w.clone())
                .collect(),
        }
    }

    fn pick(&self, rng: &mut ChaCha8Rng, rarity: Rarity) -> &str {
        let words = match rarity {
            Rarity::Rare => &self.rare,
            Rarity::Common => &self.common,
            Rarity::Frequent => &self.frequent,
        };
        words
            .get(rng.next_u32() as usize % words.len().max(1))
            .map_or("python", String::as_str)
    }
}
