//! The decks to study elsewhere (`/export/drillbook.apkg`, `/export/drillbook.csv`, each also per
//! category), as downloads, and the links to them that pages show.

use super::{Content, Rendered, ViewError};
use crate::bank::{Category, Question};
use crate::deck::{DeckError, Format, Permalinks};
use crate::web::cache::CachePolicy;
use crate::web::urls::{Paths, deck_path};

/// The "Study elsewhere" links of a page: the decks of every question, or of one category's.
#[derive(Debug)]
pub struct DeckLinks {
    /// The Anki package.
    pub anki: String,
    /// The CSV table.
    pub csv: String,
}

impl DeckLinks {
    /// The decks of `category`, or of the whole bank.
    pub fn of(category: Option<&Category>) -> DeckLinks {
        DeckLinks {
            anki: deck_path(Format::Anki, category),
            csv: deck_path(Format::Csv, category),
        }
    }
}

/// A deck of every question, or of `category`'s, as a download.
pub fn render(
    content: &Content,
    format: Format,
    category: Option<&Category>,
) -> Result<Rendered, ViewError> {
    let path = |question: &Question| question.path();
    let links = Permalinks::new(&content.layout.base_url, &path);
    let body = format
        .build(&content.bank, category, &links)
        .map_err(|err| match err {
            DeckError::UnknownCategory(slug) => ViewError::NotFound(super::no_such_category(&slug)),
            other => ViewError::Deck(other),
        })?;
    Ok(Rendered {
        download_name: Some(format.file_name(category)),
        ..Rendered::file(format.content_type(), CachePolicy::Page, body.into())
    })
}
