//! `GET /export/drillbook.apkg` and `GET /export/drillbook.csv`: the bank as decks to study in
//! Anki, a spreadsheet or another flashcard tool; `?category=` narrows one to a category.
//! Answered from the site.

use actix_web::HttpRequest;
use serde::Deserialize;

use crate::deck::Format;
use crate::web::error::WebResult;
use crate::web::live::State;
use crate::web::request::{self, Params};
use crate::web::respond;
use crate::web::urls::deck_path;

/// Query parameters of a deck. Others are ignored, as on every page of the site.
#[derive(Debug, Deserialize)]
pub struct Narrowing {
    category: Option<String>,
}

/// `GET /export/drillbook.apkg?category=`.
pub async fn apkg(state: State, narrowing: Params<Narrowing>, request: HttpRequest) -> WebResult {
    show(Format::Anki, &state, &narrowing, &request)
}

/// `GET /export/drillbook.csv?category=`.
pub async fn csv(state: State, narrowing: Params<Narrowing>, request: HttpRequest) -> WebResult {
    show(Format::Csv, &state, &narrowing, &request)
}

fn show(format: Format, state: &State, narrowing: &Narrowing, request: &HttpRequest) -> WebResult {
    let category = request::optional_category(&state.content.bank, narrowing.category.as_deref())?;
    let url = deck_path(format, category);
    respond::site_page(state, request, &url, || {
        format!("There is no deck at `{url}`.")
    })
}
