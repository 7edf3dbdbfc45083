//! `GET /search?q=&category=&difficulty=&page=`: ranked results, rendered per request (see
//! `crate::web::views::search`) on the offload pool. The OpenSearch description is a page of the
//! site.

use serde::Deserialize;

use crate::search::{self, Request};
use crate::web::error::{WebError, WebResult};
use crate::web::live::State;
use crate::web::offload::Offload;
use crate::web::request::{self, Params};
use crate::web::state::AppState;
use crate::web::views::Rendered;
use crate::web::views::search::{self as view, Asked};

/// Query parameters of `/search`.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    category: Option<String>,
    difficulty: Option<String>,
    page: Option<String>,
}

/// `GET /search?q=&category=&difficulty=&page=`.
pub async fn show(state: State, offload: Offload, params: Params<SearchParams>) -> WebResult {
    let Params(params) = params;
    offload.render(move || results_page(&state, &params)).await
}

/// The page of results, or why the parameters cannot be searched.
fn results_page(state: &AppState, params: &SearchParams) -> Result<Rendered, WebError> {
    let bank = &state.content.bank;
    let text = params.q.as_deref().unwrap_or("").trim();
    let query = search::parse(text)
        .map_err(|err| WebError::BadRequest(format!("{}.", capitalised(&err.to_string()))))?;
    let asked = Asked {
        text,
        category: request::optional_category(bank, params.category.as_deref())?,
        difficulty: request::difficulty(params.difficulty.as_deref())?,
        page: request::page(params.page.as_deref())?,
    };
    let results = state.search.search(
        bank,
        &Request {
            query: &query,
            category: asked.category.map(|c| c.slug.as_str()),
            difficulty: asked.difficulty,
            page: asked.page,
        },
    )?;
    Ok(view::render(&state.content, &asked, &results)?)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
