//! Responses the handlers give: a page of the site, a page a view rendered for this request,
//! and redirects. The one place a view's output becomes HTTP for the per-request path.

use actix_web::http::StatusCode;
use std::borrow::Cow;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};

use super::cache::CachePolicy;
use super::error::{WebError, WebResult};
use super::headers::recording_permissions;
use super::state::AppState;
use super::views::{Rendered, TEXT};

/// Answers with the site's page at `url` (its canonical path and query), or fails with what
/// `missing` says when the site has none.
pub fn site_page(
    state: &AppState,
    request: &HttpRequest,
    url: &str,
    missing: impl FnOnce() -> String,
) -> WebResult {
    let response = state
        .site
        .respond(url, request.headers())
        .ok_or_else(|| WebError::NotFound(missing()))??;
    // `None`: the client refuses every coding; the compression middleware says so with a 406.
    Ok(response.unwrap_or_else(|| HttpResponse::NotAcceptable().finish()))
}

/// A page rendered for this request, as a 200 (tagged and compressed by the middleware).
pub fn rendered(page: Rendered) -> HttpResponse {
    with_status(StatusCode::OK, page)
}

/// A page rendered for this request, with `status` (a form shown again with its problem).
pub fn with_status(status: StatusCode, page: Rendered) -> HttpResponse {
    // Static values are sent as they are, without the check and copy of a parsed header value.
    let content_type = match page.content_type {
        Cow::Borrowed(text) => HeaderValue::from_static(text),
        Cow::Owned(text) => HeaderValue::try_from(text).unwrap_or(HeaderValue::from_static(TEXT)),
    };
    let mut response = HttpResponse::build(status);
    response.content_type(content_type).insert_header((
        header::CACHE_CONTROL,
        HeaderValue::from_static(page.cache.header_value()),
    ));
    if page.microphone {
        // The shared headers are added only where a response has none of its own.
        response.insert_header(recording_permissions());
    }
    response.body(page.body)
}

/// A 303 to `location` that no cache keeps: where a form or a random pick sends the visitor.
pub fn see_other(location: &str) -> HttpResponse {
    redirect(StatusCode::SEE_OTHER, location, CachePolicy::NoStore)
}

/// A 301 to `path`, carrying the request's query string along: another spelling of a page's
/// URL. Its target changes with the content (a question's slug follows its title), so caches may
/// keep it as long as a page, no longer.
pub fn moved_permanently(path: &str, query: &str) -> HttpResponse {
    let location = if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    };
    redirect(StatusCode::MOVED_PERMANENTLY, &location, CachePolicy::Page)
}

/// A redirect with `status` to `location`, cached as `cache`.
pub fn redirect(status: StatusCode, location: &str, cache: CachePolicy) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, cache.header_value()))
        .finish()
}

/// A plain-text 200 that no cache keeps (health checks).
pub fn plain(body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(TEXT)
        .insert_header((header::CACHE_CONTROL, CachePolicy::NoStore.header_value()))
        .body(body)
}
