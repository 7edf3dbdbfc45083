//! Reading a request into bank types, with the 400/404 messages people see when a part is wrong.
//! Shared by every handler that takes the same parameter, so they answer alike: an unknown
//! category, question or tag is a 404 wherever it is named, a malformed value a 400.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use super::error::WebError;
use super::views::{no_such_category, quote};
use crate::bank::{Bank, Category, Difficulty, Question};

/// Query parameters, read strictly: a query string that is not valid UTF-8 once
/// percent-decoded, or that does not fit `T`, is a 400 page rather than a silent guess
/// (actix's own `Query` replaces invalid bytes with U+FFFD). Parameters may repeat
/// (`q=1&q=3`) where `T`'s field is a `Vec`.
#[derive(Debug)]
pub struct Params<T>(pub T);

impl<T> std::ops::Deref for Params<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Params<T> {
    type Error = WebError;
    type Future = Ready<Result<Self, WebError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse_query(req.query_string()).map(Params))
    }
}

/// Reads a raw query string into `T`.
pub fn parse_query<T: DeserializeOwned>(raw: &str) -> Result<T, WebError> {
    require_utf8(raw)?;
    serde_html_form::from_str(raw).map_err(|err| match repeated_key(raw) {
        // The form reader says only "unsupported value" for a parameter given twice.
        Some(key) => could_not_read(raw, format!("duplicate field `{key}`")),
        None => could_not_read(raw, err),
    })
}

/// The first parameter that a query string gives more than once.
fn repeated_key(raw: &str) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    url::form_urlencoded::parse(raw.as_bytes())
        .map(|(key, _)| key.into_owned())
        .find(|key| !seen.insert(key.clone()))
}

fn require_utf8(raw: &str) -> Result<(), WebError> {
    let plus_as_space = raw.replace('+', " ");
    match percent_encoding::percent_decode_str(&plus_as_space).decode_utf8() {
        Ok(_) => Ok(()),
        Err(_) => Err(WebError::BadRequest(
            "The query string is not valid UTF-8 text.".to_string(),
        )),
    }
}

fn could_not_read(raw: &str, err: impl std::fmt::Display) -> WebError {
    WebError::BadRequest(format!(
        "The query string `{}` could not be read: {err}.",
        quote(raw)
    ))
}

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
        .ok_or_else(|| WebError::NotFound(no_such_category(slug)))
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

/// An optional 1-based `page` parameter; empty or absent means the first page.
pub fn page(raw: Option<&str>) -> Result<usize, WebError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(1),
        Some(value) => value
            .parse::<usize>()
            .ok()
            .filter(|&n| n >= 1)
            .ok_or_else(|| {
                WebError::BadRequest(format!(
                    "`page` must be a whole number from 1, found `{}`.",
                    quote(value)
                ))
            }),
    }
}
