//! `GET /random`: a 303 to a random question, optionally from one category or difficulty.

use rand::seq::IndexedRandom;
use serde::Deserialize;

use crate::bank::Question;
use crate::web::error::{WebError, WebResult};
use crate::web::live::State;
use crate::web::request::{self, Params};
use crate::web::respond;
use crate::web::urls::Paths;

/// Query parameters of `/random`.
#[derive(Debug, Deserialize)]
pub struct Narrowing {
    category: Option<String>,
    difficulty: Option<String>,
}

/// `GET /random?category=&difficulty=`.
pub async fn redirect(state: State, narrowing: Params<Narrowing>) -> WebResult {
    let bank = &state.content.bank;
    let category = request::optional_category(bank, narrowing.category.as_deref())?;
    let difficulty = request::difficulty(narrowing.difficulty.as_deref())?;
    let candidates: Vec<&Question> = bank
        .questions()
        .filter(|q| category.is_none_or(|c| q.category == c.slug))
        .filter(|q| difficulty.is_none_or(|d| q.difficulty == d))
        .collect();
    let question = candidates.choose(&mut rand::rng()).ok_or_else(|| {
        WebError::NotFound("No question matches that category and difficulty.".to_string())
    })?;
    Ok(respond::see_other(&question.path()))
}
