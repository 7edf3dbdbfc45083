//! The interview code: a versioned, checksummed byte string in URL-safe base64.
//!
//! Format 1, questions drawn at random from categories; all integers little-endian:
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
//! reordering categories does not change what an old code means.
//!
//! Format 2, exactly the questions listed, in that order (a retry of the ones missed):
//!
//! | bytes | field |
//! |---|---|
//! | 1 | format version, `2` |
//! | 1 | minutes per question |
//! | 1 | number of questions |
//! | 1 to 5 each | question ids, unsigned LEB128, no id twice |
//! | 2 | check: the low 16 bits of FNV-1a over everything before it |
//!
//! Formats 3 and 4, a blind interview ("hide difficulty and category, as in a real interview"):
//! formats 1 and 2 with a flags byte after the version.
//!
//! | bytes | field |
//! |---|---|
//! | 1 | format version, `3` (questions drawn, as format 1) or `4` (questions listed, as format 2) |
//! | 1 | flags: `1`, blind (the only flag; an interview that is not blind keeps format 1 or 2) |
//! | … | the rest of format 1 or 2 after its version byte, check included |
//!
//! Shared links must keep working for years: a new layout gets a new version number, and old
//! versions stay readable. Each interview has exactly one code: a code of format 3 or 4 must be
//! blind, and one of format 1 or 2 never is.

use std::collections::BTreeSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::bank::Difficulty;

use super::{MINUTES, QUESTIONS};

const DRAW_VERSION: u8 = 1;
const FIXED_VERSION: u8 = 2;
const BLIND_DRAW_VERSION: u8 = 3;
const BLIND_FIXED_VERSION: u8 = 4;
/// The flags byte of formats 3 and 4.
const BLIND: u8 = 1;
/// Longest code accepted: a format 4 code of the most questions with the largest ids (106 bytes),
/// so decoding never works on a huge input.
const MAX_CODE_CHARS: usize = 144;

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
    /// Whether the question pages hide difficulty and category, as in a real interview.
    pub blind: bool,
}

/// Everything a code encodes: how its questions are found, and the time for each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Format 1: questions drawn from the chosen categories with a seed.
    Draw {
        /// Seed of the question draw.
        seed: u32,
        /// The candidate's choices.
        settings: Settings,
    },
    /// Format 2: exactly these questions, in this order.
    Fixed {
        /// Minutes per question, within [`MINUTES`].
        minutes: u8,
        /// Question ids, as many as [`QUESTIONS`] allows, none twice.
        ids: Vec<u32>,
        /// Whether the question pages hide difficulty and category.
        blind: bool,
    },
}

impl Plan {
    /// Minutes per question.
    pub fn minutes(&self) -> u8 {
        match self {
            Plan::Draw { settings, .. } => settings.minutes,
            Plan::Fixed { minutes, .. } => *minutes,
        }
    }

    /// Whether the question pages hide difficulty and category, as in a real interview.
    pub fn blind(&self) -> bool {
        match self {
            Plan::Draw { settings, .. } => settings.blind,
            Plan::Fixed { blind, .. } => *blind,
        }
    }
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
    let (version, body) = match plan {
        Plan::Draw { seed, settings } => (
            if settings.blind {
                BLIND_DRAW_VERSION
            } else {
                DRAW_VERSION
            },
            draw_bytes(*seed, settings),
        ),
        Plan::Fixed {
            minutes,
            ids,
            blind,
        } => (
            if *blind {
                BLIND_FIXED_VERSION
            } else {
                FIXED_VERSION
            },
            fixed_bytes(*minutes, ids),
        ),
    };
    let mut bytes = vec![version];
    if plan.blind() {
        bytes.push(BLIND);
    }
    bytes.extend(body);
    let check = code_check(&bytes);
    bytes.extend(check.to_le_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A format 1 body: everything after the version byte but the check.
fn draw_bytes(seed: u32, settings: &Settings) -> Vec<u8> {
    let mut bytes = Vec::new();
    bytes.extend(seed.to_le_bytes());
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
    bytes
}

/// A format 2 body: everything after the version byte but the check.
fn fixed_bytes(minutes: u8, ids: &[u32]) -> Vec<u8> {
    let mut bytes = vec![minutes, ids.len() as u8];
    for &id in ids {
        let mut rest = id;
        loop {
            let low = (rest & 0x7f) as u8;
            rest >>= 7;
            if rest == 0 {
                bytes.push(low);
                break;
            }
            bytes.push(low | 0x80);
        }
    }
    bytes
}

/// The plan a code encodes. Never panics, whatever the input.
pub fn decode(code: &str) -> Result<Plan, CodeError> {
    if code.len() > MAX_CODE_CHARS {
        return Err(CodeError::Malformed);
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(code)
        .map_err(|_| CodeError::Malformed)?;
    let version = *bytes.first().ok_or(CodeError::Malformed)?;
    if !(DRAW_VERSION..=BLIND_FIXED_VERSION).contains(&version) {
        return Err(CodeError::UnknownVersion(version));
    }
    let (payload, check) = bytes.split_last_chunk::<2>().ok_or(CodeError::Malformed)?;
    if u16::from_le_bytes(*check) != code_check(payload) {
        return Err(CodeError::Tampered);
    }
    let (blind, body) = match payload {
        [DRAW_VERSION | FIXED_VERSION, body @ ..] => (false, body),
        [BLIND_DRAW_VERSION | BLIND_FIXED_VERSION, BLIND, body @ ..] => (true, body),
        _ => return Err(CodeError::Malformed),
    };
    if version == FIXED_VERSION || version == BLIND_FIXED_VERSION {
        decode_fixed(body, blind)
    } else {
        decode_draw(body, blind)
    }
}

/// A format 1 body (after the version, without the check).
fn decode_draw(body: &[u8], blind: bool) -> Result<Plan, CodeError> {
    let [s0, s1, s2, s3, count, minutes, difficulty, n, rest @ ..] = body else {
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
    Ok(Plan::Draw {
        seed: u32::from_le_bytes([*s0, *s1, *s2, *s3]),
        settings: Settings {
            categories,
            difficulty: byte_difficulty(*difficulty)?,
            count: *count,
            minutes: *minutes,
            blind,
        },
    })
}

/// A format 2 body (after the version, without the check). Each id must be in its shortest LEB128
/// form, so that a list of questions has exactly one code.
fn decode_fixed(body: &[u8], blind: bool) -> Result<Plan, CodeError> {
    let [minutes, count, ids_bytes @ ..] = body else {
        return Err(CodeError::Malformed);
    };
    let mut rest: &[u8] = ids_bytes;
    if !MINUTES.contains(minutes) || !QUESTIONS.contains(count) {
        return Err(CodeError::Malformed);
    }
    let mut ids = Vec::with_capacity(usize::from(*count));
    while !rest.is_empty() {
        let mut id: u32 = 0;
        let mut shift = 0;
        loop {
            let Some((byte, tail)) = rest.split_first() else {
                return Err(CodeError::Malformed);
            };
            rest = tail;
            let low = u32::from(byte & 0x7f);
            let last = byte & 0x80 == 0;
            // A fifth byte may carry only the top 4 bits; a zero last byte after others is not
            // the shortest form.
            if shift == 28 && low > 0x0f || last && low == 0 && shift > 0 {
                return Err(CodeError::Malformed);
            }
            id |= low << shift;
            if last {
                break;
            }
            shift += 7;
            if shift > 28 {
                return Err(CodeError::Malformed);
            }
        }
        if ids.contains(&id) {
            return Err(CodeError::Malformed);
        }
        ids.push(id);
    }
    if ids.len() != usize::from(*count) {
        return Err(CodeError::Malformed);
    }
    Ok(Plan::Fixed {
        minutes: *minutes,
        ids,
        blind,
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

/// The 16-bit check a code ends with, over everything before it: interview codes and study-plan
/// codes (`crate::plan`) are checked alike.
pub fn code_check(bytes: &[u8]) -> u16 {
    fnv1a(bytes) as u16
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

    /// A code of `payload` with its check appended, whatever the payload holds.
    fn with_check(payload: &[u8]) -> String {
        let mut bytes = payload.to_vec();
        bytes.extend((fnv1a(payload) as u16).to_le_bytes());
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn plan(categories: Categories) -> Plan {
        Plan::Draw {
            seed: 0xdead_beef,
            settings: Settings {
                categories,
                difficulty: Some(Difficulty::Medium),
                count: 5,
                minutes: 3,
                blind: false,
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
            if let Plan::Draw { settings, .. } = &mut p {
                settings.count = count;
                settings.minutes = minutes;
            }
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
            any::<bool>(),
        )
            .prop_map(
                |(seed, keys, difficulty, count, minutes, blind)| Plan::Draw {
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
                        blind,
                    },
                },
            )
    }

    fn fixed() -> impl Strategy<Value = Plan> {
        (
            MINUTES,
            proptest::collection::btree_set(any::<u32>(), 1..=usize::from(*QUESTIONS.end())),
            any::<u64>(),
            any::<bool>(),
        )
            .prop_map(|(minutes, ids, order, blind)| {
                let mut ids: Vec<u32> = ids.into_iter().collect();
                let turn = (order % ids.len() as u64) as usize;
                ids.rotate_left(turn);
                Plan::Fixed {
                    minutes,
                    ids,
                    blind,
                }
            })
    }

    #[test]
    fn format_2_is_pinned_and_keeps_the_order() {
        let retry = Plan::Fixed {
            minutes: 4,
            ids: vec![12, 3, 150],
            blind: false,
        };
        let code = encode(&retry);
        assert_eq!(code, "AgQDDAOWASgl");
        assert_eq!(decode(&code), Ok(retry));
        assert_eq!(decode(&code).map(|p| p.minutes()), Ok(4));
    }

    #[test]
    fn the_longest_code_fits() {
        let ids: Vec<u32> = (0..u32::from(*QUESTIONS.end()))
            .map(|i| u32::MAX - i)
            .collect();
        let code = encode(&Plan::Fixed {
            minutes: 15,
            ids,
            blind: true,
        });
        assert!(code.starts_with('B'), "format 4: {code}");
        assert!(code.len() <= MAX_CODE_CHARS, "{}", code.len());
        assert!(decode(&code).is_ok());
    }

    #[test]
    fn blind_interviews_have_formats_3_and_4_and_old_codes_stay_as_they_were() {
        let mut drawn = plan(Categories::All);
        if let Plan::Draw { settings, .. } = &mut drawn {
            settings.blind = true;
        }
        let code = encode(&drawn);
        assert_eq!(code, "AwHvvq3eBQMCAM0V", "pinned");
        assert_eq!(decode(&code), Ok(drawn.clone()));
        assert!(drawn.blind());
        let listed = Plan::Fixed {
            minutes: 4,
            ids: vec![12, 3, 150],
            blind: true,
        };
        let code = encode(&listed);
        assert_eq!(code, "BAEEAwwDlgHrLA", "pinned");
        assert_eq!(decode(&code), Ok(listed));
        // The codes of interviews that are not blind are those made before blind ones existed.
        assert_eq!(decode("Ae--rd4FAwIAoMI").map(|p| p.blind()), Ok(false));
        assert_eq!(decode("AgQDDAOWASgl").map(|p| p.blind()), Ok(false));
    }

    #[test]
    fn a_blind_format_needs_its_flag_and_only_it() {
        let fixed_body = [4u8, 1, 5];
        for flags in [0u8, 2, 3, 0xff] {
            let mut payload = vec![BLIND_FIXED_VERSION, flags];
            payload.extend(fixed_body);
            assert_eq!(
                decode(&with_check(&payload)),
                Err(CodeError::Malformed),
                "{flags}"
            );
        }
        let mut payload = vec![BLIND_FIXED_VERSION, BLIND];
        payload.extend(fixed_body);
        assert_eq!(decode(&with_check(&payload)).map(|p| p.blind()), Ok(true));
        assert_eq!(
            decode(&with_check(&[5, 1, 4, 1, 5])),
            Err(CodeError::UnknownVersion(5))
        );
    }

    #[test]
    fn malformed_format_2_payloads_are_rejected() {
        let cases: [&[u8]; 9] = [
            &[2, 3, 2, 5, 5],                         // an id twice
            &[2, 3, 2, 5],                            // fewer ids than counted
            &[2, 3, 1, 5, 6],                         // more ids than counted
            &[2, 3, 1, 0x85],                         // an id cut short
            &[2, 3, 1, 0x85, 0x00],                   // not the shortest form
            &[2, 0, 1, 5],                            // no minutes
            &[2, 3, 0],                               // no questions
            &[2, 3, 21, 1, 2, 3, 4, 5],               // too many questions
            &[2, 3, 1, 0xff, 0xff, 0xff, 0xff, 0x1f], // above u32
        ];
        for payload in cases {
            assert_eq!(
                decode(&with_check(payload)),
                Err(CodeError::Malformed),
                "{payload:?}"
            );
        }
        assert_eq!(
            decode(&with_check(&[2, 3, 1, 0x85, 0x01])).map(|_| ()),
            Ok(())
        );
    }

    proptest! {
        #[test]
        fn decode_inverts_encode(plan in settings()) {
            prop_assert_eq!(decode(&encode(&plan)), Ok(plan));
        }

        #[test]
        fn decode_inverts_encode_for_fixed_lists(plan in fixed()) {
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
