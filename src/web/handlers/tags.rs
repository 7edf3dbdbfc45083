//! `GET /tags/{tag}`: every question that carries a tag, whatever its category.

use actix_web::HttpRequest;
use actix_web::web::Path;
use askama::Template;

use crate::bank::Question;
use crate::web::error::{WebError, WebResult, quote};
use crate::web::live::State;
use crate::web::page::{self, Meta};
use crate::web::pages::Rendered;
use crate::web::paths::{Paths, tag_path};
use crate::web::state::{AppState, Layout};

#[derive(Template)]
#[template(path = "tag.html")]
struct TagPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    tag: &'a str,
    questions: Vec<&'a Question>,
}

/// `GET /tags/{tag}`.
pub async fn show(state: State, tag: Path<String>, request: HttpRequest) -> WebResult {
    page::serve(&state, &request, &tag_path(&tag), || render(&state, &tag))
}

/// The page of questions tagged `tag`; not found when no question carries it.
pub fn render(state: &AppState, tag: &str) -> Result<Rendered, WebError> {
    let bank = &state.bank;
    let questions: Vec<&Question> = bank
        .tagged(tag)
        .ok_or_else(|| WebError::NotFound(format!("No question is tagged `{}`.", quote(tag))))?
        .collect();
    let noun = if questions.len() == 1 {
        "question"
    } else {
        "questions"
    };
    let description = format!(
        "{} interview {noun} tagged {}, with answers.",
        questions.len(),
        tag
    );
    page::html(&TagPage {
        layout: &state.layout,
        meta: Meta::new(
            format!("Questions tagged {tag}"),
            description,
            tag_path(tag),
        ),
        tag,
        questions,
    })
}
