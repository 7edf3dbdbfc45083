//! What search engines read: the sitemap (every canonical page, with the date its content was last
//! reviewed so they recrawl only what was edited) and robots.txt.

use askama::Template;

use super::{Content, Rendered, TEXT, ViewError};
use crate::bank::Bank;
use crate::web::cache::CachePolicy;
use crate::web::urls::{Paths, tag_path};

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

/// The sitemap: home, about, the mock-interview and study-plan forms, every category, tag and question, by
/// canonical URL. Pages marked `noindex` (search, saved, interviews in progress) stay out.
pub fn sitemap(content: &Content) -> Result<Rendered, ViewError> {
    let bank = &content.bank;
    let base = &content.layout.base_url;
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
        entry("/plan", None),
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
    Ok(Rendered::file(
        XML,
        CachePolicy::Page,
        super::exact_bytes(Sitemap { entries }.render()?),
    ))
}

/// robots.txt: everything may be crawled (result and interview pages say `noindex` themselves,
/// which crawlers can only see if they may fetch them); the sitemap's address.
pub fn robots(content: &Content) -> Rendered {
    Rendered::file(
        TEXT,
        CachePolicy::Page,
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
            content.layout.base_url
        )
        .into(),
    )
}
