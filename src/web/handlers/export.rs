//! `GET /export/drillbook.apkg` and `GET /export/drillbook.csv`: the bank as decks to study in
//! Anki, a spreadsheet or another flashcard tool; `?category=` narrows one to a category. Built
//! with the other bank-only pages at start-up and served from memory.

use actix_web::HttpRequest;
use actix_web::http::header::HeaderValue;
use serde::Deserialize;

use crate::bank::{Category, Question};
use crate::deck::{self, DeckError, Permalinks};
use crate::web::error::{WebError, WebResult, quote};
use crate::web::live::State;
use crate::web::page;
use crate::web::pages::Rendered;
use crate::web::params::{self, Params};
use crate::web::paths::{Deck, Paths, deck_path};
use crate::web::state::AppState;

/// `Content-Type` of the Anki package: the type Anki's installers register for `.apkg` files,
/// so a system that opens downloads by type hands it to Anki. Zipped already, so it is never
/// compressed again.
pub const APKG: &str = "application/x-apkg";

/// `Content-Type` of the CSV table (RFC 4180's type; the charset for the crawlers and browsers
/// that would otherwise guess).
pub const CSV: &str = "text/csv; charset=utf-8";

/// The "Study elsewhere" links of a page: the decks of every question, or of one category's.
#[derive(Debug)]
pub struct DeckLinks {
    /// The Anki package.
    pub anki: String,
    /// The CSV table.
    pub csv: String,
}

impl DeckLinks {
    /// The decks of `category`, or of the whole bank.
    pub fn of(category: Option<&Category>) -> DeckLinks {
        DeckLinks {
            anki: deck_path(Deck::Anki, category),
            csv: deck_path(Deck::Csv, category),
        }
    }
}

/// Query parameters of a deck. Others are ignored, as on every page of the site.
#[derive(Debug, Deserialize)]
pub struct Narrowing {
    category: Option<String>,
}

/// `GET /export/drillbook.apkg?category=`.
pub async fn apkg(state: State, narrowing: Params<Narrowing>, request: HttpRequest) -> WebResult {
    show(Deck::Anki, &state, &narrowing, &request)
}

/// `GET /export/drillbook.csv?category=`.
pub async fn csv(state: State, narrowing: Params<Narrowing>, request: HttpRequest) -> WebResult {
    show(Deck::Csv, &state, &narrowing, &request)
}

fn show(deck: Deck, state: &AppState, narrowing: &Narrowing, request: &HttpRequest) -> WebResult {
    let category = params::optional_category(&state.bank, narrowing.category.as_deref())?;
    page::serve(state, request, &deck_path(deck, category), || {
        render(state, deck, category)
    })
}

/// A deck of every question, or of `category`'s, as a download.
pub fn render(
    state: &AppState,
    deck: Deck,
    category: Option<&Category>,
) -> Result<Rendered, WebError> {
    let path = |question: &Question| question.path();
    let links = Permalinks::new(&state.layout.base_url, &path);
    let slug = category.map(|c| c.slug.as_str());
    let built = match deck {
        Deck::Anki => deck::apkg(&state.bank, slug, &links, deck::RELEASE_TIME),
        Deck::Csv => deck::csv(&state.bank, slug, &links),
    };
    let body = built.map_err(|err| match err {
        DeckError::UnknownCategory(slug) => {
            WebError::NotFound(format!("There is no category `{}`.", quote(&slug)))
        }
        other => WebError::Deck(other),
    })?;
    let disposition = format!("attachment; filename=\"{}\"", deck.file_name(category));
    Ok(Rendered {
        content_type: HeaderValue::from_static(match deck {
            Deck::Anki => APKG,
            Deck::Csv => CSV,
        }),
        cache_control: HeaderValue::from_static(page::PAGE_CACHE),
        body: body.into(),
        disposition: Some(
            HeaderValue::from_str(&disposition)
                .map_err(|_| WebError::Internal("a deck's file name is not a header value"))?,
        ),
        microphone: false,
    })
}
