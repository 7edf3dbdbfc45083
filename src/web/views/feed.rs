//! The Atom feed (RFC 4287) of questions, newest review first, for feed readers to follow what
//! was added or checked again. Its dates are the content's `reviewed` dates, never file times,
//! so every replica serves the same bytes.

use std::borrow::Cow;
use std::cmp::Reverse;

use askama::Template;
use time::format_description::well_known::Rfc3339;

use super::{Content, Layout, Rendered, ViewError};
use crate::bank::Question;
use crate::web::cache::CachePolicy;
use crate::web::urls::Paths;

/// `Content-Type` of the feed.
const ATOM: &str = "application/atom+xml; charset=utf-8";

/// How many questions the feed lists: the newest reviews, as readers poll for what is new.
pub const MAX_ENTRIES: usize = 50;

/// The tagging entity of every id (RFC 4151): the project's name and the year its feed began.
/// Ids built from it, rather than from the base URL or a question's slug, stay the same when the
/// site moves to another address or a question's title is reworded, so readers do not show a
/// question again as new.
const TAG_AUTHORITY: &str = "drillbook,2026";

/// The feed's `updated` when no question has a review date: a fixed time, so replicas agree.
const NEVER: &str = "1970-01-01T00:00:00Z";

/// One `<entry>`.
struct Entry<'a> {
    id: String,
    title: Cow<'a, str>,
    url: String,
    updated: String,
    summary: Cow<'a, str>,
    category: &'a str,
}

#[derive(Template)]
#[template(path = "feed.xml")]
struct Feed<'a> {
    layout: &'a Layout,
    id: String,
    title: Cow<'a, str>,
    subtitle: Cow<'a, str>,
    updated: String,
    entries: Vec<Entry<'a>>,
}

/// The feed: the [`MAX_ENTRIES`] questions reviewed last, newest first; of questions reviewed on
/// the same day, the higher id first, as ids are given in the order questions are added. A
/// question without a `reviewed` date has no time to give its entry and is left out.
pub fn render(content: &Content) -> Result<Rendered, ViewError> {
    let bank = &content.bank;
    let base = &content.layout.base_url;
    let mut dated: Vec<(time::Date, &Question)> = bank
        .questions()
        .filter_map(|q| q.reviewed.map(|day| (day, q)))
        .collect();
    dated.sort_by_key(|&(day, q)| Reverse((day, q.id)));
    let entries = dated
        .into_iter()
        .take(MAX_ENTRIES)
        .map(|(day, question)| {
            Ok(Entry {
                id: format!("tag:{TAG_AUTHORITY}:question:{}", question.id),
                title: xml_text(&question.title),
                url: format!("{base}{}", question.path()),
                updated: timestamp(day)?,
                summary: xml_text(&question.summary),
                category: question.category.as_str(),
            })
        })
        .collect::<Result<Vec<_>, ViewError>>()?;
    let updated = entries
        .first()
        .map_or_else(|| NEVER.to_string(), |entry| entry.updated.clone());
    let feed = Feed {
        layout: &content.layout,
        id: format!("tag:{TAG_AUTHORITY}:questions"),
        title: xml_text(&content.layout.site_title),
        subtitle: xml_text(&content.layout.site_description),
        updated,
        entries,
    };
    Ok(Rendered::file(
        ATOM,
        CachePolicy::Page,
        super::exact_bytes(feed.render()?),
    ))
}

/// The start of `day` in UTC, as RFC 3339 writes it: `2026-12-01T00:00:00Z`. Only a year
/// outside 0 to 9999 cannot be written, which a TOML date cannot hold.
fn timestamp(day: time::Date) -> Result<String, ViewError> {
    day.midnight()
        .assume_utc()
        .format(&Rfc3339)
        .map_err(|err| askama::Error::custom(format!("the review date {day}: {err}")).into())
}

/// `text` without the characters XML 1.0 forbids in a document (control characters other than
/// tab and line ends, and the non-characters U+FFFE and U+FFFF), which TOML's escapes let content
/// carry: one of them would make the whole feed unreadable. Escaping is the template's job.
fn xml_text(text: &str) -> Cow<'_, str> {
    if text.chars().all(allowed_in_xml) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| allowed_in_xml(c)).collect())
    }
}

/// Whether XML 1.0 allows `c` in a document.
fn allowed_in_xml(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_are_dropped_and_the_rest_kept() {
        assert!(matches!(
            xml_text("plain é <&>"),
            Cow::Borrowed("plain é <&>")
        ));
        assert_eq!(
            xml_text("a\u{1}b\u{1f}c\td\r\n\u{FFFF}e\u{85}"),
            "abc\td\r\ne\u{85}"
        );
    }

    #[test]
    fn a_review_day_is_its_midnight_in_utc() {
        let day = time::Date::from_calendar_date(2026, time::Month::December, 1).expect("a day");
        assert_eq!(timestamp(day).expect("writable"), "2026-12-01T00:00:00Z");
    }
}
