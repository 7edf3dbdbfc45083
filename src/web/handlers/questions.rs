//! `GET /questions/{id}/{slug}`: the canonical question page, the one people share. Any other
//! spelling of a question's URL redirects there permanently, so old links keep working.
//!
//! With `?study=1` (and optionally `&difficulty=`) the same page is a step of study mode: the
//! pager walks the category, or its questions of one difficulty, and the page leaves out what
//! distracts from answering (tags, share link, related questions).

use actix_web::http::header;
use actix_web::web::Path;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::bank::{Category, Difficulty, Question};
use crate::web::error::{WebError, WebResult, quote};
use crate::web::live::State;
use crate::web::page::{self, Meta};
use crate::web::pages::Rendered;
use crate::web::params::{self, Params};
use crate::web::paths::{Paths, category_filter_path, study_path, tag_path};
use crate::web::state::{AppState, Layout};

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
        match &self.study {
            Some(study) => study_path(question, study.difficulty),
            None => question.path(),
        }
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

/// Query parameters of a question page.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    study: Option<String>,
    difficulty: Option<String>,
}

/// A study session through a category: which of its questions it walks.
#[derive(Debug, Clone, Copy)]
pub struct Study {
    /// Only questions of this difficulty; all when `None`.
    pub difficulty: Option<Difficulty>,
}

impl Study {
    /// Reads `?study=1&difficulty=`; `None` when the page is not in study mode.
    fn from_query(query: &PageQuery) -> Result<Option<Study>, WebError> {
        match query.study.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some("1") => Ok(Some(Study {
                difficulty: params::difficulty(query.difficulty.as_deref())?,
            })),
            Some(other) => Err(WebError::BadRequest(format!(
                "`study` must be 1 (study mode) or left out, found `{}`.",
                quote(other)
            ))),
        }
    }
}

/// `GET /questions/{id}`: 301 to the canonical URL, query string kept (study mode, say).
pub async fn redirect_to_canonical(
    state: State,
    id: Path<String>,
    request: HttpRequest,
) -> WebResult {
    let question = params::question(&state.bank, &id)?;
    Ok(moved_permanently(&question.path(), request.query_string()))
}

/// `GET /questions/{id}/{slug}?study=&difficulty=`.
pub async fn show(
    state: State,
    path: Path<(String, String)>,
    query: Params<PageQuery>,
    request: HttpRequest,
) -> WebResult {
    let (id, slug) = path.into_inner();
    let bank = &state.bank;
    let question = params::question(bank, &id)?;
    if slug != question.slug || id != question.id.to_string() {
        return Ok(moved_permanently(&question.path(), request.query_string()));
    }
    let mut study = Study::from_query(&query)?;
    // A hand-edited link may name a difficulty the question does not have: study the whole
    // category from here rather than refuse.
    if let Some(s) = study.as_mut()
        && s.difficulty.is_some_and(|d| d != question.difficulty)
    {
        s.difficulty = None;
    }
    let url = match study {
        Some(study) => study_path(question, study.difficulty),
        None => question.path(),
    };
    page::serve(&state, &request, &url, || render(&state, question, study))
}

/// A question's page, as a step of `study` when given (whose difficulty, if any, must be the
/// question's).
pub fn render(
    state: &AppState,
    question: &Question,
    study: Option<Study>,
) -> Result<Rendered, WebError> {
    let bank = &state.bank;
    let wanted = study.and_then(|s| s.difficulty);
    let position = bank
        .position_among(question, |q| wanted.is_none_or(|d| q.difficulty == d))
        .ok_or_else(|| WebError::NotFound(format!("Question {} has no category.", question.id)))?;
    let canonical = question.path();
    page::html(&QuestionPage {
        layout: &state.layout,
        share_url: format!("{}{}", state.layout.base_url, canonical),
        meta: Meta::new(
            question.title.as_str(),
            question.summary.as_str(),
            canonical,
        )
        .article(),
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

/// A 301 to `path`, carrying the request's query string along.
/// A redirect to a question's canonical URL. Its target changes with the title (the slug), so
/// shared caches may keep it as long as a page, no longer.
fn moved_permanently(path: &str, query: &str) -> HttpResponse {
    let location = if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    };
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, page::PAGE_CACHE))
        .finish()
}
