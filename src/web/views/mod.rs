//! Views: pure functions from the content (and, for a page that depends on the request, the
//! request as parsed) to a rendered page. One module per kind of page, each the one place its
//! page is made. Views know nothing of HTTP or of the server: the site (`super::site`) builds
//! every bank-only page with them once, and handlers call the per-request ones.

pub mod about;
pub mod asset;
pub mod card;
pub mod category;
pub mod crawlers;
pub mod deck;
pub mod error;
pub mod feed;
pub mod home;
pub mod icon;
pub mod manifest;
pub mod mock;
pub mod mock_setup;
pub mod offline;
pub mod opensearch;
pub mod pair;
pub mod plan;
pub mod question;
pub mod review;
pub mod saved;
pub mod search;
pub mod stats;
pub mod tag;
pub mod title;

use std::borrow::Cow;

use askama::Template;
use bytes::Bytes;

use super::assets::Assets;
use super::cache::CachePolicy;
use crate::bank::Bank;

/// `Content-Type` of every page.
pub const HTML: &str = "text/html; charset=utf-8";
/// `Content-Type` of plain-text answers.
pub const TEXT: &str = "text/plain; charset=utf-8";

/// Longest user-supplied value repeated back in a message.
const MAX_QUOTED: usize = 120;

/// What views read: the bank, the parts of every page that do not depend on the request, and
/// the embedded files. Built once, before the site and before any server.
#[derive(Debug)]
pub struct Content {
    /// The loaded question bank.
    pub bank: Bank,
    /// What every page's layout shows.
    pub layout: Layout,
    /// Static files with their content-hashed URLs.
    pub assets: Assets,
}

impl Content {
    /// The content of `bank`, served at `base_url` (absolute, no trailing slash).
    pub fn new(bank: Bank, base_url: String) -> Content {
        let assets = Assets::embedded();
        let version = offline::site_version(&bank, &assets);
        let layout = Layout {
            version,
            site_title: bank.site().title.clone(),
            site_description: bank.site().description.clone(),
            base_url,
            stylesheet: assets.url("app.css"),
            noscript_stylesheet: assets.url("noscript.css"),
            script: assets.url("app.js"),
            srs_script: assets.url("srs.js"),
            answer_script: assets.url("answer.js"),
            scorecard_script: assets.url("scorecard.js"),
            plan_script: assets.url("plan.js"),
            storage_script: assets.url("storage.js"),
            keep_script: assets.url("keep.js"),
            offline_script: assets.url("offline.js"),
            icon: assets.url("favicon.svg"),
            touch_icon: icon::APPLE_TOUCH_ICON.path(),
            theme_light: manifest::THEME_LIGHT,
            theme_dark: manifest::THEME_DARK,
            home_card: card::CardLink::default(),
        };
        let mut content = Content {
            bank,
            layout,
            assets,
        };
        content.layout.home_card = card::CardOf::Home.link(&content);
        content
    }
}

/// The parts of every page that do not depend on the request.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The site's version (`offline::site_version`): the worker's caches are named by it, and a
    /// page that shows an older one than the worker's is out of date.
    pub version: String,
    /// Site name, from site.toml.
    pub site_title: String,
    /// One-line purpose of the site.
    pub site_description: String,
    /// Absolute public URL of the site, no trailing slash.
    pub base_url: String,
    /// URL of the stylesheet.
    pub stylesheet: String,
    /// URL of the stylesheet that hides script-only controls when script is off.
    pub noscript_stylesheet: String,
    /// URL of the script.
    pub script: String,
    /// URL of the review scheduler, which the script uses; its own file so that its tests run
    /// it under Node as it is served.
    pub srs_script: String,
    /// URL of the answer-first loop (typing, recording, comparing), which the script uses.
    pub answer_script: String,
    /// URL of pair practice's pages (the interviewer's view, the scorecard link and its reading).
    pub scorecard_script: String,
    /// URL of the study plan's rules (which questions fall on which day, reviews brought
    /// forward to the interview), which the script uses on every page that shows the day.
    pub plan_script: String,
    /// URL of the rules for keeping what people build here (persistence, the backup reminder,
    /// merging a note two tabs changed, the sentences for failed writes).
    pub storage_script: String,
    /// What the offline worker and its pages share (which pages a kept set holds, what may be
    /// kept, sizes as people read them).
    pub keep_script: String,
    /// URL of the offline support: registering the worker, keeping categories, the offline
    /// page's list.
    pub offline_script: String,
    /// URL of the favicon.
    pub icon: String,
    /// URL of the icon iOS puts on a home screen.
    pub touch_icon: String,
    /// The colour browsers paint around the site (`theme-color`) in the light scheme and in the
    /// dark, as the installed site's manifest says for the light.
    pub theme_light: &'static str,
    /// The same in the dark scheme.
    pub theme_dark: &'static str,
    /// The home page's link-preview card, which pages without one of their own show too.
    pub home_card: card::CardLink,
}

/// The `<head>` of one page.
#[derive(Debug, Clone)]
pub struct Meta {
    /// Page title without the site name; on the home page the site's headline, if it has one.
    pub title: String,
    /// Whether `title` may be shortened to fit the `<title>`.
    pub wording: title::Wording,
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
    /// The page's own link-preview card; the home page's when `None`.
    pub card: Option<card::CardLink>,
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
            wording: title::Wording::Generated,
            og_type: "website",
            noindex: false,
            query: String::new(),
            card: None,
        }
    }

    /// The page's link preview shows `card`.
    pub fn with_card(mut self, card: card::CardLink) -> Meta {
        self.card = Some(card);
        self
    }

    /// The card a link to the page shows: its own, or the home page's.
    pub fn card_or<'a>(&'a self, layout: &'a Layout) -> &'a card::CardLink {
        self.card.as_ref().unwrap_or(&layout.home_card)
    }

    /// Marks the page as an article (a question).
    pub fn article(mut self) -> Meta {
        self.og_type = "article";
        self
    }

    /// Marks the title as the content's own words (a question's), never to be cut.
    pub fn verbatim_title(mut self) -> Meta {
        self.wording = title::Wording::Verbatim;
        self
    }

    /// The page's `<title>`: its title and the site's name, within what search results show.
    pub fn document_title(&self, layout: &Layout) -> String {
        title::document_title(&self.title, &layout.site_title, self.wording)
    }

    /// Keeps the page out of search engines (error pages, result pages).
    pub fn noindex(mut self) -> Meta {
        self.noindex = true;
        self
    }
}

/// A page as a view renders it: the bytes and what describes them.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The media type, with its charset.
    pub content_type: Cow<'static, str>,
    /// How long caches may keep it.
    pub cache: CachePolicy,
    /// The body.
    pub body: Bytes,
    /// For a file meant to be saved rather than shown (a deck), the name to save it under.
    pub download_name: Option<String>,
    /// Whether the page records the candidate's answer, so it may ask for the microphone.
    pub microphone: bool,
}

impl Rendered {
    /// A file of `content_type`, cached as `cache`.
    pub fn file(
        content_type: impl Into<Cow<'static, str>>,
        cache: CachePolicy,
        body: Bytes,
    ) -> Self {
        Rendered {
            content_type: content_type.into(),
            cache,
            body,
            download_name: None,
            microphone: false,
        }
    }

    /// The same page, allowed to ask for the microphone (it records answers).
    pub fn recording(self) -> Rendered {
        Rendered {
            microphone: true,
            ..self
        }
    }
}

/// Why a view could not render its page.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    /// What the page is of does not exist (a tag no question carries, a file not embedded).
    #[error("{0}")]
    NotFound(String),
    /// A template failed to render: a bug.
    #[error("page rendering failed: {0}")]
    Render(#[from] askama::Error),
    /// A deck could not be built: a bug or a failed allocation.
    #[error("{0}")]
    Deck(crate::deck::DeckError),
    /// A link-preview card could not be drawn: a bug.
    #[error("{0}")]
    Card(crate::card::CardError),
    /// An icon of the installed site could not be drawn: a bug.
    #[error("{0}")]
    Icon(icon::IconError),
    /// The web app manifest could not be written: a bug.
    #[error("web app manifest: {0}")]
    Manifest(serde_json::Error),
    /// The service worker or the index of what it keeps could not be written: a bug.
    #[error("offline index: {0}")]
    Offline(serde_json::Error),
}

/// Renders a page template into the bytes of a page that caches may keep for a while.
pub fn html(page: &impl Template) -> Result<Rendered, ViewError> {
    Ok(Rendered::file(
        HTML,
        CachePolicy::Page,
        exact_bytes(page.render()?),
    ))
}

/// The bytes of a rendered string, without the spare capacity it grew while rendering (up to
/// half again its length), which a page built once would otherwise keep for good.
pub fn exact_bytes(mut text: String) -> Bytes {
    text.shrink_to_fit();
    Bytes::from(text)
}

/// A user-supplied value fit to quote in a message: shortened when long. Escaping is the
/// template's job.
pub fn quote(value: &str) -> String {
    match value.char_indices().nth(MAX_QUOTED) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_string(),
    }
}

/// What a visitor reads when there is no page at `path`.
pub fn no_such_page(path: &str) -> String {
    format!("There is no page at `{}`.", quote(path))
}

/// A question's time as its timer shows it: the seconds the script counts down from, and the
/// time shown before the script starts (or without script).
#[derive(Debug)]
pub struct Countdown {
    /// The time in seconds.
    pub seconds: u32,
    /// The time as `m:00`.
    pub allotted: String,
}

impl Countdown {
    /// The countdown of `minutes`.
    pub fn of(minutes: u8) -> Countdown {
        Countdown {
            seconds: u32::from(minutes) * 60,
            allotted: format!("{minutes}:00"),
        }
    }
}

/// What a visitor reads when no category has this slug, wherever one is named.
pub fn no_such_category(slug: &str) -> String {
    format!("There is no category `{}`.", quote(slug))
}

/// The plural ending of a count: "1 question", "3 questions".
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_shortened_on_a_char_boundary() {
        assert_eq!(quote("short"), "short");
        let long = "é".repeat(500);
        let quoted = quote(&long);
        assert_eq!(quoted.chars().count(), MAX_QUOTED + 1);
        assert!(quoted.ends_with('…'));
    }
}
