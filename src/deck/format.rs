//! The kinds of deck, with what a download of each is called and what type it is.

use crate::bank::{Bank, Category};

use super::{DeckError, Permalinks};

/// A deck format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An Anki package (`.apkg`).
    Anki,
    /// A CSV table.
    Csv,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 2] = [Format::Anki, Format::Csv];

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Anki => "apkg",
            Format::Csv => "csv",
        }
    }

    /// The name a download is saved under: `drillbook.apkg` for every question,
    /// `drillbook-{slug}.apkg` for a category's, so the two do not overwrite each other.
    pub fn file_name(self, category: Option<&Category>) -> String {
        match category {
            Some(c) => format!("drillbook-{}.{}", c.slug, self.extension()),
            None => format!("drillbook.{}", self.extension()),
        }
    }

    /// The media type. The Anki package's is the one Anki's installers register for `.apkg`
    /// files, so a system that opens downloads by type hands it to Anki; the CSV table's is
    /// RFC 4180's, with the charset for the programs that would otherwise guess.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Anki => "application/x-apkg",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }

    /// The deck of every question, or of `category`'s.
    pub fn build(
        self,
        bank: &Bank,
        category: Option<&Category>,
        links: &Permalinks,
    ) -> Result<Vec<u8>, DeckError> {
        let slug = category.map(|c| c.slug.as_str());
        match self {
            Format::Anki => super::apkg(bank, slug, links, super::RELEASE_TIME),
            Format::Csv => super::csv(bank, slug, links),
        }
    }
}
