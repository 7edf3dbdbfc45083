//! `GET /categories/{slug}?difficulty=`: a category's questions in order, optionally of one
//! difficulty; answered from the site.

use actix_web::HttpRequest;
use actix_web::web::Path;
use serde::Deserialize;

use crate::web::error::WebResult;
use crate::web::live::State;
use crate::web::request::{self, Params};
use crate::web::respond;
use crate::web::urls::category_filter_path;
use crate::web::views::no_such_category;

/// Query parameters of a category page. Others are ignored, as on every page of the site.
#[derive(Debug, Deserialize)]
pub struct Filter {
    difficulty: Option<String>,
}

/// `GET /categories/{slug}?difficulty=`.
pub async fn show(
    state: State,
    slug: Path<String>,
    filter: Params<Filter>,
    request: HttpRequest,
) -> WebResult {
    let found = request::category(&state.content.bank, &slug)?;
    let difficulty = request::difficulty(filter.difficulty.as_deref())?;
    let url = category_filter_path(found, difficulty);
    respond::site_page(&state, &request, &url, || no_such_category(&slug))
}
