//! `GET /sitemap.xml` and `GET /robots.txt`: every canonical page for search engines, with
//! the date its content was last reviewed so they recrawl only what was edited.

use actix_web::HttpRequest;
use actix_web::http::header::HeaderValue;
use askama::Template;

use crate::bank::Bank;
use crate::web::error::{WebError, WebResult};
use crate::web::live::State;
use crate::web::page;
use crate::web::pages::Rendered;
use crate::web::paths::{Paths, tag_path};
use crate::web::state::AppState;

/// `Content-Type` of the sitemap.
const XML: &str = "application/xml; charset=utf-8";

/// One `<url>` of the sitemap.
struct Entry {
    /// Absolute URL.
    loc: String,
    /// `YYYY-MM-DD`, when known.
    lastmod: Option<String>,
}

#[derive(Template)]
#[template(path = "sitemap.xml")]
struct Sitemap {
    entries: Vec<Entry>,
}

/// `GET /sitemap.xml`: home, about, the mock-interview form, every category, tag and question,
/// by canonical URL. Pages marked `noindex` (search, saved, interviews in progress) stay out.
pub async fn sitemap(state: State, request: HttpRequest) -> WebResult {
    page::serve(&state, &request, "/sitemap.xml", || render_sitemap(&state))
}

/// The sitemap.
pub fn render_sitemap(state: &AppState) -> Result<Rendered, WebError> {
    let bank = &state.bank;
    let base = &state.layout.base_url;
    // Review dates, not file times: replicas built from different checkouts agree byte for byte.
    let entry = |path: &str, reviewed: Option<time::Date>| Entry {
        loc: format!("{base}{path}"),
        lastmod: reviewed.map(|date| date.to_string()),
    };
    let newest = Bank::last_reviewed(bank.questions());
    let mut entries = vec![
        entry("/", newest),
        entry("/about", None),
        entry("/mock", None),
    ];
    entries.extend(
        bank.categories()
            .iter()
            .map(|c| entry(&c.path(), Bank::last_reviewed(bank.questions_in(c)))),
    );
    entries.extend(bank.tags().map(|(tag, _)| {
        let tagged = bank.tagged(tag).into_iter().flatten();
        entry(&tag_path(tag), Bank::last_reviewed(tagged))
    }));
    entries.extend(bank.questions().map(|q| entry(&q.path(), q.reviewed)));
    Ok(Rendered {
        content_type: HeaderValue::from_static(XML),
        cache_control: HeaderValue::from_static(page::PAGE_CACHE),
        body: page::exact_bytes(Sitemap { entries }.render()?),
        disposition: None,
        microphone: false,
    })
}

/// `GET /robots.txt`: everything may be crawled (result and interview pages say `noindex`
/// themselves, which crawlers can only see if they may fetch them); the sitemap's address.
pub async fn robots(state: State, request: HttpRequest) -> WebResult {
    page::serve(&state, &request, "/robots.txt", || {
        Ok(render_robots(&state))
    })
}

/// robots.txt.
pub fn render_robots(state: &AppState) -> Rendered {
    Rendered {
        content_type: HeaderValue::from_static(page::TEXT),
        cache_control: HeaderValue::from_static(page::PAGE_CACHE),
        body: format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
            state.layout.base_url
        )
        .into(),
        disposition: None,
        microphone: false,
    }
}
