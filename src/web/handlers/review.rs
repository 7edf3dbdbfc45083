//! `GET /review`: the questions due for review today. Grades and the schedule worked out from them
//! live in the visitor's browser, not on the server, so the page lists every question of the bank,
//! hidden, for the script to show the due ones; without script it explains where the queue lives.

use actix_web::HttpRequest;
use askama::Template;

use crate::bank::Question;
use crate::web::error::{WebError, WebResult};
use crate::web::live::State;
use crate::web::page::{self, Meta};
use crate::web::pages::Rendered;
use crate::web::paths::Paths;
use crate::web::state::{AppState, Layout};

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    items: Vec<Item<'a>>,
}

/// A question the queue may show, with the title of its category.
struct Item<'a> {
    question: &'a Question,
    category: &'a str,
}

/// `GET /review`.
pub async fn show(state: State, request: HttpRequest) -> WebResult {
    page::serve(&state, &request, "/review", || render(&state))
}

/// The frame of the review page: every question, in the categories' order.
pub fn render(state: &AppState) -> Result<Rendered, WebError> {
    let bank = &state.bank;
    let items = bank
        .categories()
        .iter()
        .flat_map(|category| {
            bank.questions_in(category).map(|question| Item {
                question,
                category: &category.title,
            })
        })
        .collect();
    page::html(&ReviewPage {
        layout: &state.layout,
        meta: Meta::new(
            "Review queue",
            "The questions due for review today, scheduled in this browser from your own grades.",
            "/review",
        )
        .noindex(),
        items,
    })
}
