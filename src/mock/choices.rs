//! The setup form's choices, as a person (or a hand-made request) sent them, read into
//! [`Settings`]: each category slug checked against the bank and turned into the key a code
//! carries, the difficulty parsed, the counts kept within their ranges.

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use crate::bank::{Bank, Difficulty};

use super::code::{Categories, CategoryKey, Settings};
use super::{MINUTES, QUESTIONS};

/// The choices as text, each absent when the form left it out.
#[derive(Debug, Default)]
pub struct Choices<'a> {
    /// The slugs of the categories ticked.
    pub categories: &'a [String],
    /// `easy`, `medium`, `hard`, or `any` (also empty or absent).
    pub difficulty: Option<&'a str>,
    /// The number of questions.
    pub count: Option<&'a str>,
    /// The minutes per question.
    pub minutes: Option<&'a str>,
    /// `1` to hide difficulty and category.
    pub blind: Option<&'a str>,
}

/// Which number a choice gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// The number of questions.
    Questions,
    /// The minutes per question.
    Minutes,
}

/// What is wrong with the choices: the first problem found, with the value as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChoiceError {
    /// No category was ticked.
    NoCategories,
    /// A slug that names no category.
    UnknownCategory(String),
    /// A difficulty that is none of the four.
    Difficulty(String),
    /// A number that is not a whole number within its range.
    Count {
        /// Which number.
        count: Count,
        /// The range it must be in.
        range: RangeInclusive<u8>,
        /// What was sent, trimmed.
        found: String,
    },
    /// A `blind` that is neither 1 nor left out.
    Blind(String),
}

impl Settings {
    /// The settings `choices` ask for, or the first thing wrong with them.
    pub fn from_choices(bank: &Bank, choices: &Choices) -> Result<Settings, ChoiceError> {
        let categories =
            Categories::of_slugs(bank, choices.categories).map_err(|err| match err {
                SlugsError::None => ChoiceError::NoCategories,
                SlugsError::Unknown(slug) => ChoiceError::UnknownCategory(slug),
            })?;
        let difficulty = match choices.difficulty.map(str::trim) {
            None | Some("") | Some("any") => None,
            Some(value) => Some(
                value
                    .parse::<Difficulty>()
                    .map_err(|_| ChoiceError::Difficulty(value.to_string()))?,
            ),
        };
        let blind = match choices.blind.map(str::trim) {
            None | Some("") => false,
            Some("1") => true,
            Some(value) => return Err(ChoiceError::Blind(value.to_string())),
        };
        Ok(Settings {
            categories,
            difficulty,
            count: number(choices.count, Count::Questions, QUESTIONS)?,
            minutes: number(choices.minutes, Count::Minutes, MINUTES)?,
            blind,
        })
    }
}

/// What is wrong with a list of ticked categories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlugsError {
    /// None was ticked.
    None,
    /// A slug that names no category.
    Unknown(String),
}

impl Categories {
    /// The categories ticked, as a code names them: all of the bank's when every one is ticked,
    /// so the code still means "every category" after one is added. Study plans
    /// (`crate::plan`) name theirs the same way.
    pub fn of_slugs(bank: &Bank, slugs: &[String]) -> Result<Categories, SlugsError> {
        if slugs.is_empty() {
            return Err(SlugsError::None);
        }
        let mut keys = BTreeSet::new();
        for slug in slugs {
            if bank.category(slug).is_none() {
                return Err(SlugsError::Unknown(slug.clone()));
            }
            keys.insert(CategoryKey::of(slug));
        }
        let every = bank
            .categories()
            .iter()
            .all(|c| keys.contains(&CategoryKey::of(&c.slug)));
        Ok(if every {
            Categories::All
        } else {
            Categories::Only(keys)
        })
    }
}

/// A whole number within `range`.
fn number(value: Option<&str>, count: Count, range: RangeInclusive<u8>) -> Result<u8, ChoiceError> {
    let text = value.unwrap_or("").trim();
    match text.parse::<u8>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(ChoiceError::Count {
            count,
            range,
            found: text.to_string(),
        }),
    }
}
