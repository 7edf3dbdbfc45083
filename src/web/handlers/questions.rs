//! `GET /questions/{id}/{slug}`: the canonical question page, the one people share, answered from
//! the site. Any other spelling of a question's URL redirects there permanently, so old links
//! keep working. With `?study=1` (and optionally `&difficulty=`) the same page is a step of study
//! mode (see `crate::web::views::question`).

use actix_web::HttpRequest;
use actix_web::web::Path;
use serde::Deserialize;

use crate::web::error::{WebError, WebResult};
use crate::web::live::State;
use crate::web::request::{self, Params};
use crate::web::respond;
use crate::web::urls::Paths;
use crate::web::views::question::Study;
use crate::web::views::{no_such_page, quote};

/// Query parameters of a question page.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    study: Option<String>,
    difficulty: Option<String>,
}

/// `GET /questions/{id}`: 301 to the canonical URL, query string kept (study mode, say).
pub async fn redirect_to_canonical(
    state: State,
    id: Path<String>,
    request: HttpRequest,
) -> WebResult {
    let question = request::question(&state.content.bank, &id)?;
    Ok(respond::moved_permanently(
        &question.path(),
        request.query_string(),
    ))
}

/// `GET /questions/{id}/{slug}?study=&difficulty=`.
pub async fn show(
    state: State,
    path: Path<(String, String)>,
    query: Params<PageQuery>,
    request: HttpRequest,
) -> WebResult {
    let (id, slug) = path.into_inner();
    let question = request::question(&state.content.bank, &id)?;
    if slug != question.slug || id != question.id.to_string() {
        return Ok(respond::moved_permanently(
            &question.path(),
            request.query_string(),
        ));
    }
    let study = match query.study.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("1") => Some(Study::at(
            question,
            request::difficulty(query.difficulty.as_deref())?,
        )),
        Some(other) => {
            return Err(WebError::BadRequest(format!(
                "`study` must be 1 (study mode) or left out, found `{}`.",
                quote(other)
            )));
        }
    };
    let url = Study::path(study, question);
    respond::site_page(&state, &request, &url, || no_such_page(&url))
}
