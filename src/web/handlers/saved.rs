//! `GET /saved`: the questions saved in this browser. The server keeps no per-visitor state, so
//! the page is a frame the script fills from localStorage, with an explanation for visitors
//! without script.

use actix_web::web::Data;
use askama::Template;

use crate::web::error::WebResult;
use crate::web::page::{self, Meta};
use crate::web::state::{AppState, Layout};

#[derive(Template)]
#[template(path = "saved.html")]
struct SavedPage<'a> {
    layout: &'a Layout,
    meta: Meta,
}

/// `GET /saved`.
pub async fn show(state: Data<AppState>) -> WebResult {
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
