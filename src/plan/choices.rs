//! The plan form's choices, as a person (or a hand-made request) sent them, read into a
//! [`StudyPlan`]: the date parsed and checked against today, the pace kept within its range,
//! each category slug checked against the bank.

use std::ops::RangeInclusive;

use time::Date;
use time::format_description::well_known::Iso8601;

use crate::bank::Bank;
use crate::mock::{Categories, SlugsError};

use super::{MAX_DAYS_AHEAD, MINUTES_PER_DAY, Pace, QUESTIONS_PER_DAY, StudyPlan};

/// The choices as text, each absent when the form left it out.
#[derive(Debug, Default)]
pub struct PlanChoices<'a> {
    /// The interview's date, `YYYY-MM-DD` (what `<input type="date">` sends).
    pub date: Option<&'a str>,
    /// `minutes` or `questions`: which of the two numbers sets the pace.
    pub pace: Option<&'a str>,
    /// Minutes a day.
    pub minutes: Option<&'a str>,
    /// New questions a day.
    pub questions: Option<&'a str>,
    /// The slugs of the categories ticked.
    pub categories: &'a [String],
    /// `1` to study questions already marked known.
    pub known: Option<&'a str>,
}

/// What is wrong with the choices: the first problem found, with the value as sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanChoiceError {
    /// No date, or not a calendar date.
    #[error("the interview date must be a date such as 2027-01-15, found `{0}`")]
    Date(String),
    /// A date already gone everywhere on Earth.
    #[error("the interview date, {0}, has passed: choose a later one")]
    Past(Date),
    /// Further ahead than a plan goes.
    #[error(
        "the interview date, {date}, is more than {MAX_DAYS_AHEAD} days away: choose one before {latest}"
    )]
    TooFar {
        /// The date sent.
        date: Date,
        /// The last date accepted.
        latest: Date,
    },
    /// Neither `minutes` nor `questions`.
    #[error("the pace is counted in minutes or questions a day, found `{0}`")]
    PaceUnit(String),
    /// A pace that is not a whole number within its range.
    #[error("the {unit} a day must be a whole number from {} to {}, found `{found}`", range.start(), range.end())]
    Amount {
        /// `minutes` or `new questions`.
        unit: &'static str,
        /// The range it must be in.
        range: RangeInclusive<u16>,
        /// What was sent, trimmed.
        found: String,
    },
    /// No category was ticked.
    #[error("choose at least one category")]
    NoCategories,
    /// A slug that names no category.
    #[error("there is no category `{0}`")]
    UnknownCategory(String),
    /// A `known` that is neither 1 nor left out.
    #[error("`known` is 1 (study questions already marked known) or left out, found `{0}`")]
    Known(String),
}

impl StudyPlan {
    /// The plan `choices` ask for on `today` (the server's date, in UTC), or the first thing
    /// wrong with them. A date is refused as past only once it has passed in every time zone:
    /// the candidate's own today is the page script's to judge.
    pub fn from_choices(
        bank: &Bank,
        choices: &PlanChoices,
        today: Date,
    ) -> Result<StudyPlan, PlanChoiceError> {
        let text = choices.date.unwrap_or("").trim();
        // What a date field sends, and nothing else ISO 8601 allows (week dates, ordinals).
        let date = Some(text)
            .filter(|t| t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-')
            .and_then(|t| Date::parse(t, &Iso8601::DATE).ok())
            .ok_or_else(|| PlanChoiceError::Date(text.to_string()))?;
        let earliest = today.previous_day().unwrap_or(today);
        if date < earliest {
            return Err(PlanChoiceError::Past(date));
        }
        let latest = today
            .checked_add(time::Duration::days(MAX_DAYS_AHEAD))
            .unwrap_or(today);
        if date > latest {
            return Err(PlanChoiceError::TooFar { date, latest });
        }
        let pace = match choices.pace.map(str::trim) {
            None | Some("") | Some("minutes") => {
                Pace::MinutesPerDay(amount(choices.minutes, "minutes", MINUTES_PER_DAY)?)
            }
            Some("questions") => Pace::QuestionsPerDay(amount(
                choices.questions,
                "new questions",
                QUESTIONS_PER_DAY,
            )?),
            Some(other) => return Err(PlanChoiceError::PaceUnit(other.to_string())),
        };
        let include_known = match choices.known.map(str::trim) {
            None | Some("") => false,
            Some("1") => true,
            Some(other) => return Err(PlanChoiceError::Known(other.to_string())),
        };
        Ok(StudyPlan {
            date,
            pace,
            categories: Categories::of_slugs(bank, choices.categories).map_err(
                |err| match err {
                    SlugsError::None => PlanChoiceError::NoCategories,
                    SlugsError::Unknown(slug) => PlanChoiceError::UnknownCategory(slug),
                },
            )?,
            include_known,
        })
    }
}

/// A whole number within `range`.
fn amount(
    value: Option<&str>,
    unit: &'static str,
    range: RangeInclusive<u16>,
) -> Result<u16, PlanChoiceError> {
    let text = value.unwrap_or("").trim();
    match text.parse::<u16>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(PlanChoiceError::Amount {
            unit,
            range,
            found: text.to_string(),
        }),
    }
}
