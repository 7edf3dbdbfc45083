//! The plan code: a versioned, checked byte string in URL-safe base64, like an interview code
//! (`crate::mock`), whose check and category keys it shares.
//!
//! Format 1; all integers little-endian:
//!
//! | bytes | field |
//! |---|---|
//! | 1 | format version, `1` |
//! | 2 | the interview's date, in days since 1970-01-01 |
//! | 1 | pace unit: `1` minutes a day, `2` new questions a day |
//! | 2 | pace amount, within the unit's range |
//! | 1 | flags: `1`, study questions already marked known (no other bit may be set) |
//! | 1 | number of category keys, 0 meaning every category |
//! | 2 × n | category keys, strictly ascending |
//! | 2 | check: [`code_check`] over everything before it |
//!
//! Shared links must keep working for years: a new layout gets a new version number, and old
//! versions stay readable.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use time::Date;

use crate::mock::{Categories, CategoryKey, code_check};

use super::{MINUTES_PER_DAY, Pace, QUESTIONS_PER_DAY, StudyPlan};

const VERSION: u8 = 1;
const MINUTES: u8 = 1;
const QUESTIONS: u8 = 2;
/// The flag for studying questions already marked known.
const INCLUDE_KNOWN: u8 = 1;
/// Longest code accepted: every one of 255 categories named (522 bytes), so decoding never works
/// on a huge input.
const MAX_CODE_CHARS: usize = 700;
/// 1970-01-01 as a Julian day number.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

/// Why a string is not a usable plan code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanCodeError {
    /// Not base64, too short, too long, or a field out of range.
    #[error("this is not a study-plan code")]
    Malformed,
    /// Made by a format this version does not know.
    #[error("this study-plan code uses format {0}, which this site does not know")]
    UnknownVersion(u8),
    /// The check does not match: the code was changed by hand or mistyped.
    #[error("this study-plan code has been changed or mistyped")]
    Tampered,
}

/// The code of a plan. Dates before 1970 or after 2149 cannot be written; the form never makes
/// them ([`super::MAX_DAYS_AHEAD`]), and they are written as the nearest one that can.
pub fn encode(plan: &StudyPlan) -> String {
    let days = (plan.date.to_julian_day() - UNIX_EPOCH_JULIAN_DAY).clamp(0, i32::from(u16::MAX));
    let (unit, amount) = match plan.pace {
        Pace::MinutesPerDay(n) => (MINUTES, n),
        Pace::QuestionsPerDay(n) => (QUESTIONS, n),
    };
    let mut bytes = vec![VERSION];
    bytes.extend((days as u16).to_le_bytes());
    bytes.push(unit);
    bytes.extend(amount.to_le_bytes());
    bytes.push(if plan.include_known { INCLUDE_KNOWN } else { 0 });
    match &plan.categories {
        Categories::All => bytes.push(0),
        Categories::Only(keys) => {
            bytes.push(keys.len() as u8);
            for key in keys {
                bytes.extend(key.0.to_le_bytes());
            }
        }
    }
    let check = code_check(&bytes);
    bytes.extend(check.to_le_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The plan a code encodes. Never panics, whatever the input.
pub fn decode(code: &str) -> Result<StudyPlan, PlanCodeError> {
    if code.len() > MAX_CODE_CHARS {
        return Err(PlanCodeError::Malformed);
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(code)
        .map_err(|_| PlanCodeError::Malformed)?;
    let version = *bytes.first().ok_or(PlanCodeError::Malformed)?;
    if version != VERSION {
        return Err(PlanCodeError::UnknownVersion(version));
    }
    let (payload, check) = bytes
        .split_last_chunk::<2>()
        .ok_or(PlanCodeError::Malformed)?;
    if u16::from_le_bytes(*check) != code_check(payload) {
        return Err(PlanCodeError::Tampered);
    }
    let [_, d0, d1, unit, a0, a1, flags, n, rest @ ..] = payload else {
        return Err(PlanCodeError::Malformed);
    };
    let days = u16::from_le_bytes([*d0, *d1]);
    let date = Date::from_julian_day(UNIX_EPOCH_JULIAN_DAY + i32::from(days))
        .map_err(|_| PlanCodeError::Malformed)?;
    let amount = u16::from_le_bytes([*a0, *a1]);
    let pace = match *unit {
        MINUTES if MINUTES_PER_DAY.contains(&amount) => Pace::MinutesPerDay(amount),
        QUESTIONS if QUESTIONS_PER_DAY.contains(&amount) => Pace::QuestionsPerDay(amount),
        _ => return Err(PlanCodeError::Malformed),
    };
    if *flags & !INCLUDE_KNOWN != 0 || rest.len() != 2 * usize::from(*n) {
        return Err(PlanCodeError::Malformed);
    }
    let keys: Vec<CategoryKey> = rest
        .chunks_exact(2)
        .map(|pair| CategoryKey(u16::from_le_bytes([pair[0], pair[1]])))
        .collect();
    if keys.windows(2).any(|w| w[0] >= w[1]) {
        return Err(PlanCodeError::Malformed);
    }
    let categories = if keys.is_empty() {
        Categories::All
    } else {
        Categories::Only(keys.into_iter().collect())
    };
    Ok(StudyPlan {
        date,
        pace,
        categories,
        include_known: *flags & INCLUDE_KNOWN != 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::Month;

    fn plan(categories: Categories) -> StudyPlan {
        StudyPlan {
            date: Date::from_calendar_date(2026, Month::December, 24).expect("a date"),
            pace: Pace::MinutesPerDay(45),
            categories,
            include_known: false,
        }
    }

    /// A code of `payload` with its check appended, whatever the payload holds.
    fn with_check(payload: &[u8]) -> String {
        let mut bytes = payload.to_vec();
        bytes.extend(code_check(payload).to_le_bytes());
        URL_SAFE_NO_PAD.encode(bytes)
    }

    #[test]
    fn the_format_is_pinned() {
        // A plan link shared today must mean the same thing in years: these bytes are the
        // contract (20811 days after 1970-01-01 is 2026-12-24).
        let code = encode(&plan(Categories::All));
        let bytes = URL_SAFE_NO_PAD.decode(&code).expect("base64");
        assert_eq!(&bytes[..8], &[1, 0x4b, 0x51, 1, 45, 0, 0, 0]);
        assert_eq!(code.len(), 14, "{code}");
        assert_eq!(decode(&code), Ok(plan(Categories::All)));
    }

    #[test]
    fn every_field_round_trips() {
        let keys = ["python-basics", "security"].map(CategoryKey::of);
        let mut chosen = plan(Categories::Only(keys.into_iter().collect()));
        chosen.pace = Pace::QuestionsPerDay(7);
        chosen.include_known = true;
        assert_eq!(decode(&encode(&chosen)), Ok(chosen));
    }

    #[test]
    fn bad_codes_say_why() {
        let good = encode(&plan(Categories::All));
        let mut bytes = URL_SAFE_NO_PAD.decode(&good).expect("base64");
        bytes[4] = 46;
        let altered = URL_SAFE_NO_PAD.encode(&bytes);
        assert_eq!(decode(&altered), Err(PlanCodeError::Tampered));
        assert_eq!(decode("not a code!"), Err(PlanCodeError::Malformed));
        assert_eq!(decode(""), Err(PlanCodeError::Malformed));
        assert_eq!(
            decode(&with_check(&[9, 0, 0])),
            Err(PlanCodeError::UnknownVersion(9))
        );
        // Out of range: 5 minutes a day, a third unit, an unknown flag, keys out of order.
        for payload in [
            &[1, 0x4b, 0x51, 1, 5, 0, 0, 0][..],
            &[1, 0x4b, 0x51, 3, 5, 0, 0, 0],
            &[1, 0x4b, 0x51, 2, 5, 0, 2, 0],
            &[1, 0x4b, 0x51, 2, 5, 0, 0, 2, 9, 0, 8, 0],
            &[1, 0x4b, 0x51, 2, 5, 0, 0, 1],
        ] {
            assert_eq!(
                decode(&with_check(payload)),
                Err(PlanCodeError::Malformed),
                "{payload:?}"
            );
        }
        assert_eq!(
            decode(&"A".repeat(MAX_CODE_CHARS + 1)),
            Err(PlanCodeError::Malformed)
        );
    }

    proptest! {
        #[test]
        fn decoding_never_panics(code in "\\PC{0,80}") {
            let _ = decode(&code);
        }

        #[test]
        fn decoding_checked_bytes_never_panics(payload in proptest::collection::vec(any::<u8>(), 0..40)) {
            let _ = decode(&with_check(&payload));
        }
    }
}
