//! The home page: what the site is, its categories, the search box and the ways to start
//! practising.

use askama::Template;

use super::deck::DeckLinks;
use super::{Content, Layout, Meta, Rendered, ViewError};
use crate::bank::Category;
use crate::web::urls::{Paths, tag_path};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    layout: &'a Layout,
    meta: Meta,
    categories: &'a [Category],
    question_count: usize,
    tags: Vec<(&'a str, usize)>,
    decks: DeckLinks,
}

/// A category's question ids, space-separated, for the script's progress counts (here and on
/// the statistics page).
pub(super) fn id_list(category: &Category) -> String {
    let ids: Vec<String> = category.question_ids.iter().map(u32::to_string).collect();
    ids.join(" ")
}

/// The home page.
pub fn render(content: &Content) -> Result<Rendered, ViewError> {
    let bank = &content.bank;
    super::html(&HomePage {
        layout: &content.layout,
        meta: Meta::new(
            bank.site().headline.as_deref().unwrap_or_default(),
            &content.layout.site_description,
            "/",
        ),
        categories: bank.categories(),
        question_count: bank.len(),
        tags: bank.tags().collect(),
        decks: DeckLinks::of(None),
    })
}
