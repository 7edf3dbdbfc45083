//! The site's URLs for bank items, in one place so views, redirects and tests agree.

use crate::bank::{Category, Difficulty, Question};
use crate::deck::Format;

/// Things that have a page of their own.
pub trait Paths {
    /// The canonical path of the item's page.
    fn path(&self) -> String;
}

impl Paths for Question {
    /// The bank writes the same path into the links between answers, so it owns the format.
    fn path(&self) -> String {
        crate::bank::question_path(self.id, &self.slug)
    }
}

impl Paths for Category {
    fn path(&self) -> String {
        format!("/categories/{}", self.slug)
    }
}

/// A category's page showing only questions of `difficulty` (all of them when `None`).
pub fn category_filter_path(category: &Category, difficulty: Option<Difficulty>) -> String {
    match difficulty {
        Some(d) => format!("{}?difficulty={}", category.path(), d.as_str()),
        None => category.path(),
    }
}

/// A question's page in study mode, walking its category's questions of `difficulty` (all of
/// them when `None`).
pub fn study_path(question: &Question, difficulty: Option<Difficulty>) -> String {
    match difficulty {
        Some(d) => format!("{}?study=1&difficulty={}", question.path(), d.as_str()),
        None => format!("{}?study=1", question.path()),
    }
}

/// The path of a tag's page (tags are validated slugs, safe in a URL as they are).
pub fn tag_path(tag: &str) -> String {
    format!("/tags/{tag}")
}

/// The path of a deck of every question, or of `category`'s (category slugs are validated, safe
/// in a URL as they are).
pub fn deck_path(format: Format, category: Option<&Category>) -> String {
    match category {
        Some(c) => format!(
            "/export/drillbook.{}?category={}",
            format.extension(),
            c.slug
        ),
        None => format!("/export/drillbook.{}", format.extension()),
    }
}

/// The path of an embedded file under its hashed name.
pub fn asset_path(hashed_name: &str) -> String {
    format!("/static/{hashed_name}")
}
