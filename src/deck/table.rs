//! The bank as a CSV table: one row per question, for spreadsheets and for flashcard tools that
//! import CSV (Anki's own text import among them).

use crate::bank::Bank;

use super::{DeckError, Permalinks, selection};

/// The columns, in order.
pub const COLUMNS: [&str; 9] = [
    "id",
    "category",
    "difficulty",
    "tags",
    "title",
    "summary",
    "key_points",
    "url",
    "follow_ups",
];

/// The UTF-8 byte order mark. Excel reads a CSV file without it in the system's legacy code
/// page, garbling every character outside ASCII (`·`, `—`, curly quotes); with it, Excel,
/// LibreOffice, Google Sheets, Numbers, Anki and the `csv` crate all read UTF-8 and drop the
/// mark. Python reads it away with `encoding="utf-8-sig"`.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Every question of the bank, or of the category `category` names, as CSV (RFC 4180: CRLF
/// after each record, fields quoted when they hold a comma, quote or line break), UTF-8 with a
/// byte order mark, header row first. Tags are joined by spaces (tags have none); key points,
/// as plain text, by line feeds inside their quoted field; `url` is the question's absolute
/// address; `follow_ups`, last so that the earlier columns keep their places, holds each
/// follow-up question on a line of its own followed by its answer as plain text, the follow-ups
/// separated by a blank line.
///
/// Fields are written as the content has them, with no apostrophe before a leading `=`, `+`,
/// `-` or `@` (the usual guard against spreadsheet formulas): every field comes from the bank's
/// own files, never from a request, and a key point such as `@classmethod gets cls` is the
/// author's text, which the guard would corrupt for every program that reads the table.
pub fn csv(
    bank: &Bank,
    category: Option<&str>,
    links: &Permalinks<'_>,
) -> Result<Vec<u8>, DeckError> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    writer.write_record(COLUMNS)?;
    for (category, question) in selection(bank, category)? {
        writer.write_record([
            question.id.to_string().as_str(),
            &category.title,
            question.difficulty.as_str(),
            &question.tags.join(" "),
            &question.title,
            &question.summary,
            &question.answer.key_points_text("\n"),
            &links.url(question),
            &question.answer.follow_ups_text(),
        ])?;
    }
    writer
        .into_inner()
        .map_err(|err| DeckError::Io(err.into_error()))
}
