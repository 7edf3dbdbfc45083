//! The pages of a mock interview the candidate sits: one per question, against a timer, and the
//! results. Per request: the interview comes from the code in the URL. The candidate's progress
//! (time spent, points ticked, grades, answers) stays in their browser.

use askama::Template;

use super::{Content, Countdown, Layout, Meta, Rendered, ViewError, card, plural};
use crate::bank::{Category, Question};
use crate::mock::{Asked, CategoryResults, Interview};
use crate::web::urls::Paths;

#[derive(Template)]
#[template(path = "mock_question.html")]
struct QuestionPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    code: &'a str,
    number: usize,
    total: usize,
    countdown: Countdown,
    question: &'a Question,
    category: Option<&'a Category>,
    /// Difficulty and category hidden, as in a real interview.
    blind: bool,
    next_href: String,
    is_last: bool,
}

/// Question `asked` of `interview`, with its timer.
pub fn question(
    content: &Content,
    interview: &Interview,
    asked: Asked,
) -> Result<Rendered, ViewError> {
    let code = interview.code.as_str();
    let number = asked.number;
    let total = interview.questions.len();
    let minutes = interview.plan.minutes();
    let is_last = number == total;
    super::html(&QuestionPage {
        layout: &content.layout,
        meta: Meta::new(
            format!("Mock interview, question {number} of {total}"),
            format!(
                "A timed mock interview of {total} question{}, {minutes} minute{} each.",
                plural(total),
                plural(usize::from(minutes))
            ),
            format!("/mock/{code}/{number}"),
        )
        .noindex()
        .with_card(card::mock_link(content, interview)),
        code,
        number,
        total,
        countdown: Countdown::of(minutes),
        question: asked.question,
        category: asked.category,
        blind: interview.plan.blind(),
        next_href: if is_last {
            format!("/mock/{code}/results")
        } else {
            format!("/mock/{code}/{}", number + 1)
        },
        is_last,
    })
    .map(Rendered::recording)
}

#[derive(Template)]
#[template(path = "mock_results.html")]
struct ResultsPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    code: &'a str,
    groups: Vec<CategoryResults<'a>>,
    /// Every question in the order asked, for the candidate's answers.
    answers: Vec<Asked<'a>>,
    total: usize,
    minutes: u8,
    share_url: String,
}

/// The results of `interview`: the questions by category, for the candidate to grade.
pub fn results<'a>(
    content: &'a Content,
    interview: &'a Interview<'a>,
) -> Result<Rendered, ViewError> {
    let bank = &content.bank;
    let total = interview.questions.len();
    super::html(&ResultsPage {
        layout: &content.layout,
        meta: Meta::new(
            "Mock interview results",
            format!(
                "How a mock interview of {total} question{} went.",
                plural(total)
            ),
            format!("/mock/{}/results", interview.code),
        )
        .noindex()
        .with_card(card::mock_link(content, interview)),
        code: &interview.code,
        groups: interview.by_category(bank),
        answers: interview.asked(bank),
        total,
        minutes: interview.plan.minutes(),
        share_url: format!("{}/mock/{}/1", content.layout.base_url, interview.code),
    })
}
