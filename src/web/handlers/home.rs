//! `GET /`: what the site is, its categories, the search box and the ways to start practising.

use actix_web::HttpRequest;
use askama::Template;

use crate::bank::Category;
use crate::web::error::{WebError, WebResult};
use crate::web::handlers::export::DeckLinks;
use crate::web::live::State;
use crate::web::page::{self, Meta};
use crate::web::pages::Rendered;
use crate::web::paths::{Paths, tag_path};
use crate::web::state::{AppState, Layout};

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

/// A category's question ids, space-separated, for the script's progress count.
fn id_list(category: &Category) -> String {
    let ids: Vec<String> = category.question_ids.iter().map(u32::to_string).collect();
    ids.join(" ")
}

/// `GET /`.
pub async fn show(state: State, request: HttpRequest) -> WebResult {
    page::serve(&state, &request, "/", || render(&state))
}

/// The home page.
pub fn render(state: &AppState) -> Result<Rendered, WebError> {
    let bank = &state.bank;
    page::html(&HomePage {
        layout: &state.layout,
        meta: Meta::new("", &state.layout.site_description, "/"),
        categories: bank.categories(),
        question_count: bank.len(),
        tags: bank.tags().collect(),
        decks: DeckLinks::of(None),
    })
}
