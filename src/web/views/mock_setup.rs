//! The mock interview's setup form (`/mock`): with every field at its default, built once; or
//! shown again with what the candidate sent and the problem to fix.

use askama::Template;

use super::{Content, Layout, Meta, Rendered, ViewError, quote};
use crate::bank::{Bank, Category, Difficulty};
use crate::mock::{self, ChoiceError, Choices, Count, SelectError};
use crate::web::cache::CachePolicy;

/// A category checkbox on the setup form.
struct CategoryChoice<'a> {
    category: &'a Category,
    checked: bool,
}

/// The setup form's values: the defaults, or what the candidate sent back.
struct SetupValues<'a> {
    categories: Vec<CategoryChoice<'a>>,
    difficulty: Option<Difficulty>,
    count: String,
    minutes: String,
    blind: bool,
    /// Whether someone else will run the interview (pair practice).
    pair: bool,
}

impl SetupValues<'_> {
    /// Whether this difficulty is the chosen one (for the radio buttons).
    fn is_difficulty(&self, difficulty: &Difficulty) -> bool {
        self.difficulty == Some(*difficulty)
    }
}

/// The form as sent, every field as text: what is shown again when it has a problem.
#[derive(Debug, Default)]
pub struct Sent<'a> {
    /// The interview's choices.
    pub choices: Choices<'a>,
    /// `1` for pair practice.
    pub pair: Option<&'a str>,
}

impl Sent<'_> {
    /// Whether the candidate asked for someone else to run the interview.
    pub fn pair(&self) -> bool {
        is_ticked(self.pair)
    }
}

fn is_ticked(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.trim() == "1")
}

/// Why an interview could not be started from the form.
#[derive(Debug)]
pub enum Problem {
    /// The choices themselves are wrong.
    Choice(ChoiceError),
    /// The bank cannot fill them.
    Select(SelectError),
}

impl Problem {
    /// The problem in a sentence, saying what to change.
    fn describe(&self) -> String {
        match self {
            Problem::Choice(ChoiceError::NoCategories)
            | Problem::Select(SelectError::NoCategories) => {
                "Choose at least one category.".to_string()
            }
            Problem::Choice(ChoiceError::UnknownCategory(slug)) => super::no_such_category(slug),
            Problem::Choice(ChoiceError::Difficulty(value)) => format!(
                "Difficulty must be any, easy, medium or hard, found `{}`.",
                quote(value)
            ),
            Problem::Choice(ChoiceError::Count {
                count,
                range,
                found,
            }) => format!(
                "The {} must be a whole number from {} to {}, found `{}`.",
                match count {
                    Count::Questions => "number of questions",
                    Count::Minutes => "minutes per question",
                },
                range.start(),
                range.end(),
                quote(found)
            ),
            Problem::Choice(ChoiceError::Blind(value)) => format!(
                "`blind` is 1 (hide difficulty and category) or left out, found `{}`.",
                quote(value)
            ),
            Problem::Select(err @ SelectError::TooFew { .. }) => {
                format!("Not enough questions: {err}.")
            }
            Problem::Select(err @ SelectError::Gone(_)) => format!("Sorry: {err}."),
        }
    }
}

#[derive(Template)]
#[template(path = "mock_setup.html")]
struct SetupPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    values: SetupValues<'a>,
    problem: Option<String>,
    difficulties: [Difficulty; 3],
    questions_range: (u8, u8),
    minutes_range: (u8, u8),
}

impl<'a> SetupPage<'a> {
    fn new(layout: &'a Layout, values: SetupValues<'a>, problem: Option<String>) -> Self {
        SetupPage {
            layout,
            meta: Meta::new(
                "Mock interview",
                "Rehearse under time pressure: pick topics and a pace, answer one question per \
                 page against a timer, then grade yourself against the key points.",
                "/mock",
            ),
            values,
            problem,
            difficulties: Difficulty::ALL,
            questions_range: (*mock::QUESTIONS.start(), *mock::QUESTIONS.end()),
            minutes_range: (*mock::MINUTES.start(), *mock::MINUTES.end()),
        }
    }
}

/// The setup form with every field at its default.
pub fn render(content: &Content) -> Result<Rendered, ViewError> {
    let values = SetupValues {
        categories: choices(&content.bank, |_| true),
        difficulty: None,
        count: mock::DEFAULT_QUESTIONS.to_string(),
        minutes: mock::DEFAULT_MINUTES.to_string(),
        blind: false,
        pair: false,
    };
    super::html(&SetupPage::new(&content.layout, values, None))
}

/// The form again, with what was `sent` and the `problem` to fix (the page of a 400).
pub fn render_problem(
    content: &Content,
    sent: &Sent,
    problem: &Problem,
) -> Result<Rendered, ViewError> {
    let chosen = &sent.choices;
    let values = SetupValues {
        categories: choices(&content.bank, |c| chosen.categories.contains(&c.slug)),
        difficulty: chosen.difficulty.and_then(|d| d.parse().ok()),
        count: chosen.count.unwrap_or_default().to_string(),
        minutes: chosen.minutes.unwrap_or_default().to_string(),
        blind: is_ticked(chosen.blind),
        pair: sent.pair(),
    };
    let page = SetupPage::new(&content.layout, values, Some(problem.describe()));
    Ok(Rendered {
        cache: CachePolicy::NoStore,
        ..super::html(&page)?
    })
}

/// Every category of the bank, ticked when `checked` says so.
fn choices(bank: &Bank, checked: impl Fn(&Category) -> bool) -> Vec<CategoryChoice<'_>> {
    bank.categories()
        .iter()
        .map(|category| CategoryChoice {
            category,
            checked: checked(category),
        })
        .collect()
}
