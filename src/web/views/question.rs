//! A question's page, the one people share; and the same page as a step of study mode, where the
//! pager walks the category, or its questions of one difficulty, and the page leaves out what
//! distracts from answering (tags, share link, related questions).

use askama::Template;

use super::card::CardOf;
use super::{Content, Layout, Meta, Rendered, ViewError};
use crate::bank::{Category, Difficulty, Question};
use crate::web::urls::{Paths, category_filter_path, study_path, tag_path};

#[derive(Template)]
#[template(path = "question.html")]
struct QuestionPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    question: &'a Question,
    category: &'a Category,
    number: usize,
    total: usize,
    previous: Option<&'a Question>,
    next: Option<&'a Question>,
    related: Vec<&'a Question>,
    share_url: String,
    study: Option<Study>,
}

impl QuestionPage<'_> {
    /// Where the pager's link to `question` goes: its page, in study mode if this page is.
    fn step_href(&self, question: &Question) -> String {
        Study::path(self.study, question)
    }

    /// A review date as people read it: `2 December 2026`.
    fn long_date(&self, day: &time::Date) -> String {
        format!("{} {} {}", day.day(), day.month(), day.year())
    }

    /// Where study mode ends: the category page, with the same difficulty filter.
    fn study_exit(&self) -> String {
        category_filter_path(self.category, self.study.and_then(|s| s.difficulty))
    }
}

/// A study session through a category: which of its questions it walks.
#[derive(Debug, Clone, Copy)]
pub struct Study {
    /// Only questions of this difficulty; all when `None`.
    pub difficulty: Option<Difficulty>,
}

impl Study {
    /// The session `question`'s page is a step of when asked for one of `difficulty`: a
    /// hand-edited link may name a difficulty the question does not have, and then the whole
    /// category is studied from here rather than refused.
    pub fn at(question: &Question, difficulty: Option<Difficulty>) -> Study {
        Study {
            difficulty: difficulty.filter(|&d| d == question.difficulty),
        }
    }

    /// The path of `question`'s page as a step of `study`, or its canonical path.
    pub fn path(study: Option<Study>, question: &Question) -> String {
        match study {
            Some(study) => study_path(question, study.difficulty),
            None => question.path(),
        }
    }
}

/// A question's page, as a step of `study` when given (whose difficulty, if any, must be the
/// question's).
pub fn render(
    content: &Content,
    question: &Question,
    study: Option<Study>,
) -> Result<Rendered, ViewError> {
    let bank = &content.bank;
    let wanted = study.and_then(|s| s.difficulty);
    let position = bank
        .position_among(question, |q| wanted.is_none_or(|d| q.difficulty == d))
        .ok_or_else(|| ViewError::NotFound(format!("Question {} has no category.", question.id)))?;
    let canonical = question.path();
    super::html(&QuestionPage {
        layout: &content.layout,
        share_url: format!("{}{}", content.layout.base_url, canonical),
        meta: Meta::new(
            question.title.as_str(),
            question.summary.as_str(),
            canonical,
        )
        .article()
        .verbatim_title()
        .with_card(CardOf::Question(question).link(content)),
        question,
        category: position.category,
        number: position.number,
        total: position.total,
        previous: position.previous,
        next: position.next,
        related: question
            .related
            .iter()
            .filter_map(|&id| bank.question(id))
            .collect(),
        study,
    })
    .map(Rendered::recording)
}
