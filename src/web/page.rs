//! What every page template shares: the per-page metadata that fills `<head>` (title,
//! description, canonical and share links), and turning a rendered template into a response.

use actix_web::HttpResponse;
use actix_web::http::header::{self, HeaderValue};
use askama::Template;

use super::error::WebResult;

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

/// Renders a page template into a 200 response that caches may keep for a while.
pub fn html(page: &impl Template) -> WebResult {
    let body = page.render()?;
    Ok(HttpResponse::Ok()
        .content_type(HTML)
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static(PAGE_CACHE)))
        .body(body))
}
