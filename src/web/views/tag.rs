//! A tag's page: every question that carries the tag, whatever its category.

use askama::Template;

use super::{Content, Layout, Meta, Rendered, ViewError};
use crate::bank::Question;
use crate::web::urls::{Paths, tag_path};

#[derive(Template)]
#[template(path = "tag.html")]
struct TagPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    tag: &'a str,
    questions: Vec<&'a Question>,
}

/// The page of questions tagged `tag`; not found when no question carries it.
pub fn render(content: &Content, tag: &str) -> Result<Rendered, ViewError> {
    let questions: Vec<&Question> = content
        .bank
        .tagged(tag)
        .ok_or_else(|| ViewError::NotFound(missing(tag)))?
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
    super::html(&TagPage {
        layout: &content.layout,
        meta: Meta::new(
            format!("Questions tagged {tag}"),
            description,
            tag_path(tag),
        ),
        tag,
        questions,
    })
}

/// What a visitor reads when no question carries `tag`.
pub fn missing(tag: &str) -> String {
    format!("No question is tagged `{}`.", super::quote(tag))
}
