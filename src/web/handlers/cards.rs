//! `GET /cards/…` and `GET /mock/{code}/card.{fingerprint}.png`: link-preview cards. Drawing
//! one takes tens of milliseconds, so it is done on the offload pool, once: the home page's, the
//! categories' and the questions' cards are pages of the site (`views::card` draws them), a mock
//! interview's is kept by its fingerprint, which every interview of the same settings shares.
//! A card's URL carries its fingerprint; a URL of an earlier picture (a page cached from before
//! the content changed) is sent on to today's with a 302.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::web::Path;
use actix_web::{HttpRequest, HttpResponse};

use super::mock::open;
use crate::web::cache::CachePolicy;
use crate::web::error::{WebError, WebResult};
use crate::web::live::State;
use crate::web::offload::Offload;
use crate::web::respond;
use crate::web::site::Page;
use crate::web::views::card::{self, current_path};
use crate::web::views::no_such_page;

/// A card made, or where today's is.
enum Made {
    Card(Arc<Page>),
    Moved(String),
}

/// `GET /cards/{name}`: a card of the site, drawn on the pool the first time it is asked for.
pub async fn show(state: State, offload: Offload, request: HttpRequest) -> WebResult {
    let path = request.path().to_string();
    let pool_state = state.clone();
    let made = offload
        .run(move || -> Result<Made, WebError> {
            match pool_state.site.get(&path) {
                Some(page) => Ok(Made::Card(page?)),
                None => current_path(&pool_state.content, &path)
                    .filter(|current| *current != path)
                    .map(Made::Moved)
                    .ok_or_else(|| WebError::NotFound(no_such_page(&path))),
            }
        })
        .await??;
    Ok(answer(&state, &request, made))
}

/// `GET /mock/{code}/card.{fingerprint}.png`: the card of a mock interview.
pub async fn mock(
    state: State,
    offload: Offload,
    request: HttpRequest,
    path: Path<(String, String)>,
) -> WebResult {
    let (code, fingerprint) = path.into_inner();
    let pool_state = state.clone();
    let made = offload
        .run(move || -> Result<Made, WebError> {
            let interview = open(&pool_state, &code)?;
            let content = &pool_state.content;
            let card = card::mock_card(content, &interview);
            let key = card.fingerprint();
            let path = card::mock_path(&interview.code, key);
            if format!("{key:016x}") != fingerprint {
                return Ok(Made::Moved(path));
            }
            let page = pool_state.site.made(key, &path, || card::render(&card))?;
            Ok(Made::Card(page))
        })
        .await??;
    Ok(answer(&state, &request, made))
}

fn answer(state: &State, request: &HttpRequest, made: Made) -> HttpResponse {
    match made {
        Made::Card(page) => state
            .site
            .serve(&page, request.headers())
            .unwrap_or_else(|| HttpResponse::NotAcceptable().finish()),
        Made::Moved(location) => respond::redirect(StatusCode::FOUND, &location, CachePolicy::Page),
    }
}
