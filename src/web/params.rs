//! Reading request parameters into bank types, with the 400/404 messages people see when one is
//! wrong. Shared by every handler that takes the same parameter, so they answer alike.

use crate::bank::{Bank, Category, Difficulty, Question};

use super::error::{WebError, quote};

/// An optional `difficulty` parameter; empty means "any".
pub fn difficulty(raw: Option<&str>) -> Result<Option<Difficulty>, WebError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => value.parse().map(Some).map_err(|_| {
            WebError::BadRequest(format!(
                "`difficulty` must be easy, medium or hard, found `{}`.",
                quote(value)
            ))
        }),
    }
}

/// A category slug from the path or the query.
pub fn category<'a>(bank: &'a Bank, slug: &str) -> Result<&'a Category, WebError> {
    bank.category(slug)
        .ok_or_else(|| WebError::NotFound(format!("There is no category `{}`.", quote(slug))))
}

/// An optional `category` parameter; empty means "any".
pub fn optional_category<'a>(
    bank: &'a Bank,
    raw: Option<&str>,
) -> Result<Option<&'a Category>, WebError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(slug) => category(bank, slug).map(Some),
    }
}

/// A question id from the path.
pub fn question<'a>(bank: &'a Bank, raw_id: &str) -> Result<&'a Question, WebError> {
    raw_id
        .parse::<u32>()
        .ok()
        .and_then(|id| bank.question(id))
        .ok_or_else(|| {
            WebError::NotFound(format!("There is no question with id `{}`.", quote(raw_id)))
        })
}
