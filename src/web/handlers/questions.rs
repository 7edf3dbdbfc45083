//! `GET /questions/{id}/{slug}`: the canonical question page, the one people share. Any other
//! spelling of a question's URL redirects there permanently, so old links keep working.

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::{Data, Path};
use askama::Template;

use crate::bank::{Category, Question};
use crate::web::error::WebResult;
use crate::web::page::{self, Meta};
use crate::web::params;
use crate::web::paths::{Paths, tag_path};
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
}

/// `GET /questions/{id}`: 301 to the canonical URL.
pub async fn redirect_to_canonical(state: Data<AppState>, id: Path<String>) -> WebResult {
    let question = params::question(&state.bank, &id)?;
    Ok(moved_permanently(&question.path()))
}

/// `GET /questions/{id}/{slug}`.
pub async fn show(state: Data<AppState>, path: Path<(String, String)>) -> WebResult {
    let (id, slug) = path.into_inner();
    let bank = &state.bank;
    let question = params::question(bank, &id)?;
    if slug != question.slug || id != question.id.to_string() {
        return Ok(moved_permanently(&question.path()));
    }
    let position = bank.position(question).ok_or_else(|| {
        crate::web::WebError::NotFound(format!("Question {} has no category.", question.id))
    })?;
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
    })
}

fn moved_permanently(location: &str) -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, location))
        .finish()
}
