//! Decks for studying elsewhere: the bank (or one category of it) as a CSV table for
//! spreadsheets and other flashcard tools, and as an Anki package (`.apkg`) that Anki imports as
//! a deck per category.
//!
//! Both are pure functions of the bank and the site's addresses, so every replica serving the
//! same bank builds the same bytes, and a package downloaded again after the bank changed updates
//! the cards already imported instead of adding copies (see [`apkg`]).
//!
//! Knows the bank but nothing of HTTP: the web layer passes the public base URL and the function
//! that gives a question's path.

mod anki;
mod format;
mod table;

pub use anki::{RELEASE_TIME, apkg, note_time};
pub use format::Format;
pub use table::csv;

use crate::bank::{Bank, Category, Html, Question};

/// Why a deck could not be built. Every variant but the first is a bug or a failed allocation:
/// the deck is built in memory from a bank that loaded.
#[derive(Debug, thiserror::Error)]
pub enum DeckError {
    /// The category slug names no category with questions.
    #[error("there is no category `{0}`")]
    UnknownCategory(String),
    /// Writing the CSV table failed.
    #[error("writing the CSV table: {0}")]
    Csv(#[from] ::csv::Error),
    /// Building the Anki collection failed.
    #[error("building the Anki collection: {0}")]
    Database(#[from] rusqlite::Error),
    /// Encoding the Anki collection's settings failed.
    #[error("encoding the Anki collection's settings: {0}")]
    Json(#[from] serde_json::Error),
    /// Zipping the Anki package failed.
    #[error("zipping the Anki package: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// Writing into memory failed.
    #[error("writing the deck: {0}")]
    Io(#[from] std::io::Error),
}

/// Where questions live on the public site: decks link every card back to its page, and a deck
/// opened in another program has no site to resolve a relative link against.
pub struct Permalinks<'a> {
    base_url: &'a str,
    path: &'a dyn Fn(&Question) -> String,
}

impl<'a> Permalinks<'a> {
    /// Addresses under `base_url` (absolute, without a trailing slash), with the path `path`
    /// gives each question.
    pub fn new(base_url: &'a str, path: &'a dyn Fn(&Question) -> String) -> Permalinks<'a> {
        Permalinks { base_url, path }
    }

    /// The absolute URL of a question's page.
    pub fn url(&self, question: &Question) -> String {
        format!("{}{}", self.base_url, (self.path)(question))
    }

    /// The site's own address.
    pub fn home(&self) -> String {
        format!("{}/", self.base_url)
    }

    /// Rendered answer HTML with its site-relative links (to other questions, or any other
    /// `/…` path an answer links to) made absolute.
    fn absolute_links(&self, html: &Html) -> String {
        html.with_origin(self.base_url)
    }
}

/// The questions a deck holds, with their categories: every question of the bank, or of the
/// category `slug` names, in the order the site lists them (categories in home-page order, each
/// in its page's order), which is the order a new deck is studied in.
fn selection<'a>(
    bank: &'a Bank,
    slug: Option<&str>,
) -> Result<Vec<(&'a Category, &'a Question)>, DeckError> {
    let categories: Vec<&Category> = match slug {
        Some(slug) => vec![
            bank.category(slug)
                .ok_or_else(|| DeckError::UnknownCategory(slug.to_string()))?,
        ],
        None => bank.categories().iter().collect(),
    };
    Ok(categories
        .into_iter()
        .flat_map(|category| {
            bank.sections(category)
                .into_iter()
                .flat_map(|section| section.questions)
                .map(move |question| (category, question))
        })
        .collect())
}

/// Text with HTML's special characters escaped, for a field or description that Anki shows as
/// HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}
