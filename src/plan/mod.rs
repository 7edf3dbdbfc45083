//! Study plans to an interview date, without server state: a plan is a short code that encodes
//! the date, the pace and the categories, so its link is the whole plan and can be shared. Which
//! question is studied on which day depends on the candidate's own marks and review history, so
//! the days are worked out in their browser (static/plan.js) from what a plan page lists.
//!
//! Knows nothing of HTTP: the web layer hands it the form's choices as text ([`PlanChoices`])
//! and codes from URLs.

mod choices;
mod code;

pub use choices::{PlanChoiceError, PlanChoices};
pub use code::{PlanCodeError, decode, encode};

use time::Date;

use crate::bank::{Bank, Question};
use crate::mock::Categories;

/// Minutes a day a plan may ask for.
pub const MINUTES_PER_DAY: std::ops::RangeInclusive<u16> = 10..=480;
/// New questions a day a plan may ask for.
pub const QUESTIONS_PER_DAY: std::ops::RangeInclusive<u16> = 1..=100;
/// Days ahead an interview may be: two years is longer than anyone prepares.
pub const MAX_DAYS_AHEAD: i64 = 730;
/// The form's pace unless the candidate chooses otherwise.
pub const DEFAULT_MINUTES_PER_DAY: u16 = 30;
/// The form's questions a day when the candidate counts in questions.
pub const DEFAULT_QUESTIONS_PER_DAY: u16 = 5;

/// How much a candidate studies each day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// Minutes a day, within [`MINUTES_PER_DAY`].
    MinutesPerDay(u16),
    /// New questions a day, within [`QUESTIONS_PER_DAY`].
    QuestionsPerDay(u16),
}

impl Pace {
    /// The unit as the form and the page's script name it: `minutes` or `questions`.
    pub fn unit(&self) -> &'static str {
        match self {
            Pace::MinutesPerDay(_) => "minutes",
            Pace::QuestionsPerDay(_) => "questions",
        }
    }

    /// The number of minutes or questions a day.
    pub fn amount(&self) -> u16 {
        match self {
            Pace::MinutesPerDay(n) | Pace::QuestionsPerDay(n) => *n,
        }
    }
}

/// A study plan: everything its code encodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudyPlan {
    /// The day of the interview; the plan's last study day is the day before.
    pub date: Date,
    /// How much is studied each day.
    pub pace: Pace,
    /// The categories studied.
    pub categories: Categories,
    /// Whether questions already marked known are studied again.
    pub include_known: bool,
}

impl StudyPlan {
    /// The plan's questions, in the bank's order: every question of its categories.
    pub fn questions<'a>(&self, bank: &'a Bank) -> Vec<&'a Question> {
        bank.categories()
            .iter()
            .filter(|category| self.categories.includes(&category.slug))
            .flat_map(|category| bank.questions_in(category))
            .collect()
    }
}
