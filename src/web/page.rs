//! What every page template shares: the per-page metadata that fills `<head>` (title,
//! description, canonical and share links), and turning a rendered template into a response.

use actix_web::http::header::HeaderValue;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use super::error::{WebError, WebResult};
use super::pages::Rendered;
use super::state::AppState;

/// `Content-Type` of every page.
pub const HTML: &str = "text/html; charset=utf-8";
/// `Content-Type` of plain-text answers.
pub const TEXT: &str = "text/plain; charset=utf-8";

/// How long browsers and shared caches may reuse a page, and serve it stale while refetching.
/// Pages change only when the content is redeployed, so a few minutes is safe.
pub const PAGE_CACHE: &str = "public, max-age=300, stale-while-revalidate=86400";

/// The `<head>` of one page.
#[derive(Debug, Clone)]
pub struct Meta {
    /// Page title without the site name; empty on the home page.
    pub title: String,
    /// One or two sentences for search engines and link previews.
    pub description: String,
    /// Path of the page's canonical URL (joined to the base URL in the template).
    pub path: String,
    /// Open Graph type: `article` for questions, `website` otherwise.
    pub og_type: &'static str,
    /// Whether search engines should leave the page out of their index.
    pub noindex: bool,
    /// The search box's current text.
    pub query: String,
}

impl Meta {
    /// Metadata for a page at `path`.
    pub fn new(
        title: impl Into<String>,
        description: impl Into<String>,
        path: impl Into<String>,
    ) -> Meta {
        Meta {
            title: title.into(),
            description: description.into(),
            path: path.into(),
            og_type: "website",
            noindex: false,
            query: String::new(),
        }
    }

    /// Marks the page as an article (a question).
    pub fn article(mut self) -> Meta {
        self.og_type = "article";
        self
    }

    /// Keeps the page out of search engines (error pages, result pages).
    pub fn noindex(mut self) -> Meta {
        self.noindex = true;
        self
    }
}

/// Renders a page template into the bytes of a 200 that caches may keep for a while.
pub fn html(page: &impl Template) -> Result<Rendered, WebError> {
    Ok(Rendered {
        content_type: HeaderValue::from_static(HTML),
        cache_control: HeaderValue::from_static(PAGE_CACHE),
        body: exact_bytes(page.render()?),
        disposition: None,
        microphone: false,
    })
}

/// The bytes of a rendered string, without the spare capacity it grew while rendering (up to
/// half again its length), which a prerendered page would otherwise keep for good.
pub fn exact_bytes(mut text: String) -> Bytes {
    text.shrink_to_fit();
    Bytes::from(text)
}

/// Answers with the prerendered page at `url` (its canonical path and query), or, for a URL
/// that was not prerendered, with what `render` makes of it now.
pub fn serve(
    state: &AppState,
    request: &HttpRequest,
    url: &str,
    render: impl FnOnce() -> Result<Rendered, WebError>,
) -> WebResult {
    match state.pages.get(url) {
        // `None`: the client refuses every coding; the middleware says so with a 406.
        Some(page) => Ok(page
            .respond(request.headers())
            .unwrap_or_else(|| HttpResponse::NotAcceptable().finish())),
        None => Ok(render()?.into_response()),
    }
}

/// Renders a page that depends on the request (search results, an interview) into a response;
/// the middleware tags and compresses it.
pub fn per_request(page: &impl Template) -> WebResult {
    html(page).map(Rendered::into_response)
}
