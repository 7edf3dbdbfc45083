//! `GET /sitemap.xml` and `GET /robots.txt`: every canonical page for search engines, with
//! the date its content last changed so they recrawl only what was edited.

use std::time::SystemTime;

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
    let entry = |path: &str, modified: Option<SystemTime>| Entry {
        loc: format!("{base}{path}"),
        lastmod: modified.map(w3c_date),
    };
    let newest = Bank::last_modified(bank.questions());
    let mut entries = vec![
        entry("/", newest),
        entry("/about", None),
        entry("/mock", None),
    ];
    entries.extend(
        bank.categories()
            .iter()
            .map(|c| entry(&c.path(), Bank::last_modified(bank.questions_in(c)))),
    );
    entries.extend(bank.tags().map(|(tag, _)| {
        let tagged = bank.tagged(tag).into_iter().flatten();
        entry(&tag_path(tag), Bank::last_modified(tagged))
    }));
    entries.extend(bank.questions().map(|q| entry(&q.path(), q.modified)));
    Ok(Rendered {
        content_type: HeaderValue::from_static(XML),
        cache_control: HeaderValue::from_static(page::PAGE_CACHE),
        body: page::exact_bytes(Sitemap { entries }.render()?),
        disposition: None,
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
    }
}

/// A file time as a W3C date (`2026-11-25`, UTC), the form sitemaps use.
fn w3c_date(time: SystemTime) -> String {
    time::OffsetDateTime::from(time).date().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates_are_utc_calendar_days() {
        let cases = [
            (0, "1970-01-01"),
            (86_399, "1970-01-01"),
            (86_400, "1970-01-02"),
            (1_795_564_800, "2026-11-25"),
        ];
        for (seconds, expected) in cases {
            let time = SystemTime::UNIX_EPOCH + Duration::from_secs(seconds);
            assert_eq!(w3c_date(time), expected, "{seconds} s after the epoch");
        }
    }
}
