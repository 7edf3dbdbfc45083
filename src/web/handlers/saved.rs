//! `GET /saved`: the questions saved in this browser. The server keeps no per-visitor state, so
//! the page is a frame the script fills from localStorage, with an explanation for visitors
//! without script.

use actix_web::HttpRequest;
use askama::Template;

use crate::web::error::{WebError, WebResult};
use crate::web::live::State;
use crate::web::page::{self, Meta};
use crate::web::pages::Rendered;
use crate::web::state::{AppState, Layout};

#[derive(Template)]
#[template(path = "saved.html")]
struct SavedPage<'a> {
    layout: &'a Layout,
    meta: Meta,
}

/// `GET /saved`.
pub async fn show(state: State, request: HttpRequest) -> WebResult {
    page::serve(&state, &request, "/saved", || render(&state))
}

/// The frame of the saved-questions page.
pub fn render(state: &AppState) -> Result<Rendered, WebError> {
    page::html(&SavedPage {
        layout: &state.layout,
        meta: Meta::new(
            "Saved questions",
            "The questions you saved in this browser, to come back to.",
            "/saved",
        )
        .noindex(),
    })
}
