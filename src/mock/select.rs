//! Picking an interview's questions from its plan: deterministic, without repeats, and spread
//! across the chosen categories.
//!
//! The draw uses ChaCha8 seeded from the plan and only its raw `next_u32` outputs, with our own
//! uniform index and shuffle, because the sampling helpers of general-purpose crates may change
//! their algorithms between versions; ChaCha8's output stream is fixed by its specification.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

use crate::bank::{Bank, Question};

use super::code::{Plan, Settings};

/// Why a plan cannot be filled from the bank.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// None of the plan's categories exist in the bank.
    #[error("none of the interview's categories exist on this site")]
    NoCategories,
    /// The chosen categories and difficulty hold fewer questions than asked for.
    #[error(
        "only {available} {}; choose fewer questions, more categories or any difficulty",
        if *.available == 1 { "question matches" } else { "questions match" }
    )]
    TooFew {
        /// How many questions were asked for.
        wanted: u8,
        /// How many match.
        available: usize,
    },
    /// A question a fixed list names is no longer in the bank.
    #[error("question {0} is no longer on this site")]
    Gone(u32),
}

/// The plan's questions, in the order they are asked.
pub fn select<'a>(bank: &'a Bank, plan: &Plan) -> Result<Vec<&'a Question>, SelectError> {
    match plan {
        Plan::Draw { seed, settings } => draw(bank, *seed, settings),
        Plan::Fixed { ids, .. } => ids
            .iter()
            .map(|&id| bank.question(id).ok_or(SelectError::Gone(id)))
            .collect(),
    }
}

/// Questions drawn from the chosen categories, round robin so that each is represented.
fn draw<'a>(
    bank: &'a Bank,
    seed: u32,
    settings: &Settings,
) -> Result<Vec<&'a Question>, SelectError> {
    let mut categories: Vec<_> = bank
        .categories()
        .iter()
        .filter(|c| settings.categories.includes(&c.slug))
        .collect();
    if categories.is_empty() {
        return Err(SelectError::NoCategories);
    }
    // Slug order, not display order: reordering the home page must not change old interviews.
    categories.sort_by(|a, b| a.slug.cmp(&b.slug));
    let mut groups: Vec<Vec<&Question>> = categories
        .iter()
        .map(|c| {
            bank.questions_in(c)
                .filter(|q| settings.difficulty.is_none_or(|d| q.difficulty == d))
                .collect::<Vec<_>>()
        })
        .filter(|group| !group.is_empty())
        .collect();
    let available: usize = groups.iter().map(Vec::len).sum();
    let wanted = usize::from(settings.count);
    if available < wanted {
        return Err(SelectError::TooFew {
            wanted: settings.count,
            available,
        });
    }

    let mut rng = rng_for(seed);
    for group in &mut groups {
        shuffle(&mut rng, group);
    }
    shuffle(&mut rng, &mut groups);
    // Deal one question per category in turn, so every chosen category is asked about before
    // any is asked about twice.
    let mut picked = Vec::with_capacity(wanted);
    let mut round = 0;
    while picked.len() < wanted {
        for group in &groups {
            if let Some(q) = group.get(round)
                && picked.len() < wanted
            {
                picked.push(*q);
            }
        }
        round += 1;
    }
    shuffle(&mut rng, &mut picked);
    Ok(picked)
}

/// ChaCha8 keyed by the seed: the seed's four bytes, little-endian, then zeros.
fn rng_for(seed: u32) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..4].copy_from_slice(&seed.to_le_bytes());
    ChaCha8Rng::from_seed(key)
}

/// A uniform index in `0..n` by rejection sampling (no modulo bias).
fn below(rng: &mut ChaCha8Rng, n: usize) -> usize {
    let n = u32::try_from(n).unwrap_or(u32::MAX);
    let limit = u32::MAX - u32::MAX % n;
    loop {
        let x = rng.next_u32();
        if x < limit {
            return (x % n) as usize;
        }
    }
}

/// Fisher-Yates, from the last element down.
fn shuffle<T>(rng: &mut ChaCha8Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = below(rng, i + 1);
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_stream_is_pinned() {
        // If this changes, every shared interview link changes meaning.
        let mut rng = rng_for(42);
        let first: Vec<u32> = (0..4).map(|_| rng.next_u32()).collect();
        assert_eq!(first, [428845191, 1495741553, 379451179, 1227066020]);
    }

    #[test]
    fn below_stays_in_range_and_reaches_every_value() {
        let mut rng = rng_for(7);
        let mut seen = [false; 5];
        for _ in 0..200 {
            let i = below(&mut rng, 5);
            seen[i] = true;
        }
        assert!(seen.iter().all(|&s| s));
        assert_eq!(below(&mut rng, 1), 0);
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut rng = rng_for(3);
        let mut items: Vec<u32> = (0..50).collect();
        shuffle(&mut rng, &mut items);
        let mut sorted = items.clone();
        sorted.sort();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
        assert_ne!(
            items, sorted,
            "50 items shuffled into their own order is vanishingly unlikely"
        );
    }
}
