//! Mock interviews without server state: an interview is a short code that encodes its settings
//! and a random seed, and its questions are a pure function of that code and the bank. Anyone
//! with the link gets the same interview, on any replica, for as long as the bank is the same.
//!
//! Knows nothing of HTTP: the web layer hands it the form's choices as text ([`Choices`]) and
//! codes from URLs, and turns what it answers into pages.

mod asked;
mod choices;
mod code;
mod recent;
mod select;

pub use asked::{Asked, CategoryResults};
pub use choices::{ChoiceError, Choices, Count, SlugsError};
pub use code::{Categories, CategoryKey, CodeError, Plan, Settings, code_check, decode, encode};
pub use recent::RecentInterviews;
pub use select::{SelectError, select};

/// Why a retry could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RetryError {
    /// No question was chosen.
    #[error("choose at least one question to retry")]
    Empty,
    /// A number outside the interview.
    #[error("this interview has questions 1 to {total}; there is no question {number}")]
    NoSuchQuestion {
        /// The number asked for.
        number: usize,
        /// The interview's number of questions.
        total: usize,
    },
}

use crate::bank::{Bank, Question};

/// Fewest and most questions an interview can have.
pub const QUESTIONS: std::ops::RangeInclusive<u8> = 1..=20;
/// Fewest and most minutes per question.
pub const MINUTES: std::ops::RangeInclusive<u8> = 1..=15;
/// Questions in an interview unless the candidate chooses otherwise.
pub const DEFAULT_QUESTIONS: u8 = 5;
/// Minutes per question unless the candidate chooses otherwise.
pub const DEFAULT_MINUTES: u8 = 3;

/// An interview opened from its code: its plan and its questions, in the order they are asked.
#[derive(Debug)]
pub struct Interview<'a> {
    /// The code, as it appears in URLs.
    pub code: String,
    /// What the code encodes.
    pub plan: Plan,
    /// The questions, in order.
    pub questions: Vec<&'a Question>,
}

/// Why an interview code cannot be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    /// The code itself is wrong.
    #[error(transparent)]
    Code(#[from] CodeError),
    /// The code is fine but the bank cannot fill it (it changed since the code was made).
    #[error(transparent)]
    Select(#[from] SelectError),
}

impl<'a> Interview<'a> {
    /// Decodes a code and picks its questions from the bank.
    pub fn open(bank: &'a Bank, code: &str) -> Result<Interview<'a>, OpenError> {
        let plan = decode(code)?;
        let questions = select(bank, &plan)?;
        Ok(Interview {
            code: code.to_string(),
            plan,
            questions,
        })
    }

    /// Starts a new interview with a fresh random seed.
    pub fn start(bank: &'a Bank, settings: Settings) -> Result<Interview<'a>, SelectError> {
        let plan = Plan::Draw {
            seed: rand::random(),
            settings,
        };
        let questions = select(bank, &plan)?;
        Ok(Interview {
            code: encode(&plan),
            plan,
            questions,
        })
    }

    /// A new interview of exactly the questions with these numbers (1-based, in any order,
    /// repeats ignored), asked in this interview's order with its time per question, blind if it
    /// was: "retry the ones I missed". Its code depends only on those questions and the time, so retrying the
    /// same questions twice gives the same link.
    pub fn retry(&self, numbers: &[usize]) -> Result<Interview<'a>, RetryError> {
        let total = self.questions.len();
        if let Some(&number) = numbers.iter().find(|&&n| n == 0 || n > total) {
            return Err(RetryError::NoSuchQuestion { number, total });
        }
        let questions: Vec<&'a Question> = self
            .questions
            .iter()
            .enumerate()
            .filter(|(i, _)| numbers.contains(&(i + 1)))
            .map(|(_, question)| *question)
            .collect();
        if questions.is_empty() {
            return Err(RetryError::Empty);
        }
        let plan = Plan::Fixed {
            minutes: self.plan.minutes(),
            ids: questions.iter().map(|q| q.id).collect(),
            blind: self.plan.blind(),
        };
        Ok(Interview {
            code: encode(&plan),
            plan,
            questions,
        })
    }
}
