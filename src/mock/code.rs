//! The interview code: a versioned, checksummed byte string in URL-safe base64.
//!
//! Format 1, all integers little-endian:
//!
//! | bytes | field |
//! |---|---|
//! | 1 | format version, `1` |
//! | 4 | random seed |
//! | 1 | number of questions |
//! | 1 | minutes per question |
//! | 1 | difficulty: 0 any, 1 easy, 2 medium, 3 hard |
//! | 1 | number of category keys, 0 meaning every category |
//! | 2 × n | category keys, strictly ascending |
//! | 2 | check: the low 16 bits of FNV-1a over everything before it |
//!
//! Categories are named by a 16-bit hash of their slug rather than by position, so adding or
//! reordering categories does not change what an old code means. Shared links must keep working
//! for years: a new layout gets a new version number, and old versions stay readable.

use std::collections::BTreeSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::bank::Difficulty;

use super::{MINUTES, QUESTIONS};

const VERSION: u8 = 1;
/// Longest code accepted: far above any real one, so decoding never works on a huge input.
const MAX_CODE_CHARS: usize = 128;

/// A category as a code names it: a stable 16-bit hash of its slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CategoryKey(pub u16);

impl CategoryKey {
    /// The key of a category slug.
    pub fn of(slug: &str) -> CategoryKey {
        let hash = fnv1a(slug.as_bytes());
        CategoryKey((hash ^ (hash >> 16)) as u16)
    }
}

/// Which categories an interview draws from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Categories {
    /// Every category of the bank.
    All,
    /// Only these (never empty).
    Only(BTreeSet<CategoryKey>),
}

impl Categories {
    /// Whether a category slug is among these.
    pub fn includes(&self, slug: &str) -> bool {
        match self {
            Categories::All => true,
            Categories::Only(keys) => keys.contains(&CategoryKey::of(slug)),
        }
    }
}

/// What a candidate chooses on the setup form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Categories to draw from.
    pub categories: Categories,
    /// Only questions of this difficulty, or any.
    pub difficulty: Option<Difficulty>,
    /// Number of questions, within [`QUESTIONS`].
    pub count: u8,
    /// Minutes per question, within [`MINUTES`].
    pub minutes: u8,
}

/// Everything a code encodes: the settings and the seed that picks the questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Seed of the question draw.
    pub seed: u32,
    /// The candidate's choices.
    pub settings: Settings,
}

/// Why a string is not a usable interview code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Not base64, too short, too long, or a field out of range.
    #[error("this is not an interview code")]
    Malformed,
    /// Made by a format this version does not know.
    #[error("this interview code uses format {0}, which this site does not know")]
    UnknownVersion(u8),
    /// The check does not match: the code was changed by hand or mistyped.
    #[error("this interview code has been changed or mistyped")]
    Tampered,
}

/// The code of a plan.
pub fn encode(plan: &Plan) -> String {
    let settings = &plan.settings;
    let mut bytes = vec![VERSION];
    bytes.extend(plan.seed.to_le_bytes());
    bytes.push(settings.count);
    bytes.push(settings.minutes);
    bytes.push(difficulty_byte(settings.difficulty));
    match &settings.categories {
        Categories::All => bytes.push(0),
        Categories::Only(keys) => {
            bytes.push(keys.len() as u8);
            for key in keys {
                bytes.extend(key.0.to_le_bytes());
            }
        }
    }
    let check = fnv1a(&bytes) as u16;
    bytes.extend(check.to_le_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The plan a code encodes. Never panics, whatever the input.
pub fn decode(code: &str) -> Result<Plan, CodeError> {
    if code.len() > MAX_CODE_CHARS {
        return Err(CodeError::Malformed);
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(code)
        .map_err(|_| CodeError::Malformed)?;
    match bytes.first() {
        None => return Err(CodeError::Malformed),
        Some(&VERSION) => {}
        Some(&other) => return Err(CodeError::UnknownVersion(other)),
    }
    let (payload, check) = bytes.split_last_chunk::<2>().ok_or(CodeError::Malformed)?;
    if u16::from_le_bytes(*check) != fnv1a(payload) as u16 {
        return Err(CodeError::Tampered);
    }
    let [_, s0, s1, s2, s3, count, minutes, difficulty, n, rest @ ..] = payload else {
        return Err(CodeError::Malformed);
    };
    if rest.len() != 2 * usize::from(*n) || !QUESTIONS.contains(count) || !MINUTES.contains(minutes)
    {
        return Err(CodeError::Malformed);
    }
    let keys: Vec<CategoryKey> = rest
        .chunks_exact(2)
        .map(|pair| CategoryKey(u16::from_le_bytes([pair[0], pair[1]])))
        .collect();
    if keys.windows(2).any(|w| w[0] >= w[1]) {
        return Err(CodeError::Malformed);
    }
    let categories = if keys.is_empty() {
        Categories::All
    } else {
        Categories::Only(keys.into_iter().collect())
    };
    Ok(Plan {
        seed: u32::from_le_bytes([*s0, *s1, *s2, *s3]),
        settings: Settings {
            categories,
            difficulty: byte_difficulty(*difficulty)?,
            count: *count,
            minutes: *minutes,
        },
    })
}

fn difficulty_byte(difficulty: Option<Difficulty>) -> u8 {
    match difficulty {
        None => 0,
        Some(Difficulty::Easy) => 1,
        Some(Difficulty::Medium) => 2,
        Some(Difficulty::Hard) => 3,
    }
}

fn byte_difficulty(byte: u8) -> Result<Option<Difficulty>, CodeError> {
    match byte {
        0 => Ok(None),
        1 => Ok(Some(Difficulty::Easy)),
        2 => Ok(Some(Difficulty::Medium)),
        3 => Ok(Some(Difficulty::Hard)),
        _ => Err(CodeError::Malformed),
    }
}

/// 32-bit FNV-1a: tiny, fully specified and stable forever, which is all a check and a slug key
/// need (neither is a defence against a determined forger; nothing secret depends on them).
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |hash, &b| {
        (hash ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn plan(categories: Categories) -> Plan {
        Plan {
            seed: 0xdead_beef,
            settings: Settings {
                categories,
                difficulty: Some(Difficulty::Medium),
                count: 5,
                minutes: 3,
            },
        }
    }

    #[test]
    fn codes_are_short_and_url_safe() {
        let all = encode(&plan(Categories::All));
        assert_eq!(all.len(), 15, "{all}");
        assert!(
            all.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        let three = ["python-basics", "security", "miscellaneous"].map(CategoryKey::of);
        let some = encode(&plan(Categories::Only(three.into_iter().collect())));
        assert_eq!(some.len(), 23, "{some}");
    }

    #[test]
    fn the_format_is_pinned() {
        // A code shared today must mean the same thing in years: these bytes are the contract.
        assert_eq!(encode(&plan(Categories::All)), "Ae--rd4FAwIAoMI");
        assert_eq!(CategoryKey::of("python-basics"), CategoryKey(0xd337));
        assert_eq!(decode("Ae--rd4FAwIAoMI"), Ok(plan(Categories::All)));
    }

    #[test]
    fn bad_codes_say_why() {
        let good = encode(&plan(Categories::All));
        let mut bytes = URL_SAFE_NO_PAD.decode(&good).expect("base64");
        bytes[5] = 6;
        let altered = URL_SAFE_NO_PAD.encode(&bytes);
        bytes[0] = 9;
        let future = URL_SAFE_NO_PAD.encode(&bytes);
        let cases = [
            ("", CodeError::Malformed),
            ("!!!", CodeError::Malformed),
            ("AQ", CodeError::Malformed),
            (altered.as_str(), CodeError::Tampered),
            (future.as_str(), CodeError::UnknownVersion(9)),
        ];
        for (code, expected) in cases {
            assert_eq!(decode(code), Err(expected), "{code:?}");
        }
        assert_eq!(
            decode(&"A".repeat(MAX_CODE_CHARS + 1)),
            Err(CodeError::Malformed)
        );
    }

    #[test]
    fn out_of_range_fields_with_a_valid_check_are_rejected() {
        for (count, minutes) in [(0, 3), (21, 3), (5, 0), (5, 16)] {
            let mut p = plan(Categories::All);
            p.settings.count = count;
            p.settings.minutes = minutes;
            assert_eq!(
                decode(&encode(&p)),
                Err(CodeError::Malformed),
                "{count} {minutes}"
            );
        }
    }

    fn settings() -> impl Strategy<Value = Plan> {
        (
            any::<u32>(),
            proptest::collection::btree_set(any::<u16>().prop_map(CategoryKey), 0..12),
            0u8..4,
            QUESTIONS,
            MINUTES,
        )
            .prop_map(|(seed, keys, difficulty, count, minutes)| Plan {
                seed,
                settings: Settings {
                    categories: if keys.is_empty() {
                        Categories::All
                    } else {
                        Categories::Only(keys)
                    },
                    difficulty: byte_difficulty(difficulty).expect("0..4"),
                    count,
                    minutes,
                },
            })
    }

    proptest! {
        #[test]
        fn decode_inverts_encode(plan in settings()) {
            prop_assert_eq!(decode(&encode(&plan)), Ok(plan));
        }

        #[test]
        fn decoding_any_string_never_panics(code in ".{0,200}") {
            let _ = decode(&code);
        }

        #[test]
        fn decoding_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode(&URL_SAFE_NO_PAD.encode(bytes));
        }
    }
}
