//! Studying offline: the service worker (`/sw.js`), the index of what can be kept offline
//! (`/offline.json`) and the page shown for anything not kept (`/offline`).
//!
//! The worker's caches are named by the site's version (`Layout::version`), which changes with
//! the bank and the static files: a content change gives a new worker, which fills new caches
//! and drops the old ones, so pages of an earlier bank do not linger.

use askama::Template;
use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

use super::card::CardOf;
use super::question::Study;
use super::{Content, Layout, Meta, Rendered, ViewError};
use crate::bank::{Bank, Difficulty};
use crate::web::assets::Assets;
use crate::web::cache::CachePolicy;
use crate::web::urls::{Paths, category_filter_path, study_path, tag_path};

/// Where the worker is served: at the root, so that its scope is the whole site.
pub const WORKER_PATH: &str = "/sw.js";
/// Where the index of what can be kept offline is served.
pub const INDEX_PATH: &str = "/offline.json";
/// Where the page shown for what is not kept is served.
pub const PAGE_PATH: &str = "/offline";

/// The site's version: a hash of the bank's checksum, the crate's version and every static
/// file's hashed name, so that it changes whenever the pages' content or their assets can.
pub fn site_version(bank: &Bank, assets: &Assets) -> String {
    let mut names: Vec<&str> = assets.hashed_names().collect();
    names.sort_unstable();
    let mut hasher = Xxh3::new();
    for part in [bank.checksum(), env!("CARGO_PKG_VERSION")]
        .into_iter()
        .chain(names)
    {
        hasher.update(part.as_bytes());
        hasher.update(b"\0");
    }
    format!("{:016x}", hasher.digest())
}

#[derive(Template)]
#[template(path = "sw.js", escape = "none")]
struct Worker<'a> {
    version: &'a str,
    /// A JSON array of what the worker stores when it installs.
    precache: String,
    /// The rules the worker shares with the pages (static/keep.js).
    keep_script: String,
}

/// The service worker: revalidated on every check (`no-cache`), so that a new version reaches
/// browsers on their next visit.
pub fn worker(content: &Content) -> Result<Rendered, ViewError> {
    let mut precache: Vec<String> = vec![PAGE_PATH.into(), INDEX_PATH.into()];
    let mut assets: Vec<String> = content
        .assets
        .hashed_names()
        .map(|name| format!("/static/{name}"))
        .collect();
    assets.sort_unstable();
    precache.extend(assets);
    let page = Worker {
        version: &content.layout.version,
        precache: serde_json::to_string(&precache).map_err(ViewError::Offline)?,
        keep_script: content.assets.url("keep.js"),
    };
    Ok(Rendered::file(
        "text/javascript; charset=utf-8",
        CachePolicy::Revalidate,
        super::exact_bytes(page.render()?),
    ))
}

/// The index of what can be kept offline, read by the worker (which pages "Keep this category
/// offline" and "Keep everything offline" download) and by the offline page (what to list).
#[derive(Serialize)]
struct Index<'a> {
    version: &'a str,
    /// Pages that are in no category (home, about, the review queue…), kept with everything.
    pages: Vec<Entry>,
    /// Tag pages, kept with everything.
    tags: Vec<Entry>,
    categories: Vec<CategoryEntry<'a>>,
}

/// A page, and the files kept with it (its other forms and its link-preview image).
#[derive(Serialize)]
struct Entry {
    url: String,
    title: String,
    also: Vec<String>,
}

#[derive(Serialize)]
struct CategoryEntry<'a> {
    slug: &'a str,
    url: String,
    title: &'a str,
    also: Vec<String>,
    questions: Vec<Entry>,
}

/// The index of what can be kept offline.
pub fn index(content: &Content) -> Result<Rendered, ViewError> {
    let bank = &content.bank;
    let home_card = content.layout.home_card.path.clone();
    let page = |url: &str, title: &str, also: Vec<String>| Entry {
        url: url.into(),
        title: title.into(),
        also,
    };
    let pages = vec![
        page("/", "Home", vec![home_card]),
        page("/about", "About and keyboard shortcuts", vec![]),
        page("/review", "Review", vec![]),
        page("/saved", "Saved questions", vec![]),
        page("/stats", "Your statistics", vec![]),
        page("/plan", "A study plan", vec![]),
        page("/mock", "Mock interview", vec![]),
    ];
    let tags = bank
        .tags()
        .map(|(name, _)| page(&tag_path(name), name, vec![]))
        .collect();
    let categories = bank
        .categories()
        .iter()
        .map(|category| {
            let card = CardOf::Category(category);
            let mut also: Vec<String> = Difficulty::ALL
                .into_iter()
                .map(|d| category_filter_path(category, Some(d)))
                .collect();
            also.push(card.path(&card.card(content)));
            let questions = bank
                .questions_in(category)
                .map(|question| {
                    let card = CardOf::Question(question);
                    let mut also: Vec<String> = [None, Some(question.difficulty)]
                        .into_iter()
                        .map(|d| study_path(question, Study::at(question, d).difficulty))
                        .collect();
                    also.push(card.path(&card.card(content)));
                    page(&question.path(), &question.title, also)
                })
                .collect();
            CategoryEntry {
                slug: &category.slug,
                url: category.path(),
                title: &category.title,
                also,
                questions,
            }
        })
        .collect();
    let index = Index {
        version: &content.layout.version,
        pages,
        tags,
        categories,
    };
    let json = serde_json::to_string(&index).map_err(ViewError::Offline)?;
    Ok(Rendered::file(
        "application/json; charset=utf-8",
        CachePolicy::Page,
        super::exact_bytes(json),
    ))
}

#[derive(Template)]
#[template(path = "offline.html")]
struct OfflinePage<'a> {
    layout: &'a Layout,
    meta: Meta,
}

/// The page the worker shows for a page it has not kept while there is no connection; the
/// script fills in what is kept.
pub fn page(content: &Content) -> Result<Rendered, ViewError> {
    super::html(&OfflinePage {
        layout: &content.layout,
        meta: Meta::new(
            "You are offline",
            "What this browser has kept to read without a connection.",
            PAGE_PATH,
        )
        .noindex(),
    })
}
