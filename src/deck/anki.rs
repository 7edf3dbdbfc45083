//! The bank as an Anki package: a zip holding `collection.anki2`, an SQLite database in the
//! schema Anki has read since 2.0 (version 11, the one its importer still upgrades from), and
//! an empty `media` list.
//!
//! What Anki does on import decides the ids and times written here:
//!
//! - A note whose `guid` the collection already has is updated in place (its cards, due dates
//!   and review history kept), and only when the incoming `mod` is newer than the stored one.
//!   So each note's guid is `drillbook-q<id>`, fixed by the question's id, and its `mod` is
//!   [`note_time`], which grows with both the question's `reviewed` date and the release time
//!   the site passes in, the time of the commit its binary was built from ([`RELEASE_TIME`]).
//!   Whatever changes a note's fields moves one of the two forward: its own file is re-reviewed
//!   (on a later day), or the change (to a category's title, the site's base URL, the rendering,
//!   the note type) ships in a new build. Both come from the content and the binary alone, so
//!   replicas built from them write the same bytes, whatever their files' times.
//! - A note type is matched by id and updated only when its `mod` is newer, so the note type
//!   has a fixed id, [`MODEL_ID`], and a `mod`, [`MODEL_MOD`], raised whenever its fields,
//!   templates or style change (a test holds a digest of them to catch a forgotten raise).
//! - Decks are matched by name, and a card already imported stays in the deck it is in: a deck
//!   renamed in a later package would be a new, empty deck beside the old one. So every question
//!   goes to `<site title>::<category slug>`, named by the slug that is also in the category's
//!   URL and never changes, whichever package it came in (the full deck and a category's deck
//!   fill the same decks); the category's title is in the deck's description and on each card.
//!   Their ids are hashes of the category slug, stable but not relied on.
//! - Note and card ids are the question id above a fixed base, so two builds of one bank write
//!   the same bytes (replicas agree on the ETag). Anki moves an id that clashes with one of
//!   its own aside on import.
//!
//! The layout of the tables and JSON follows Anki's `rslib/src/storage/schema11.sql` and the
//! schema 11 types of `rslib/src/{notetype,decks,deckconfig}/schema11.rs`, which say which keys
//! Anki requires.

use std::io::{Cursor, Write};

use rusqlite::{Connection, MAIN_DB, params};
use serde_json::{Value, json};
use sha1::{Digest, Sha1};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::bank::{Bank, Category, Question};

use super::{DeckError, Permalinks, escape, selection};

/// The note type's id. Chosen once; changing it would make Anki see a new note type and every
/// re-imported note a conflict.
pub const MODEL_ID: i64 = 1_627_390_245;

/// The note type's name, as Anki lists it.
pub const MODEL_NAME: &str = "drillbook question";

/// When the note type last changed (Unix seconds, 2026-12-02). Raise it with any change to
/// [`FIELDS`], the templates or [`CSS`], so that re-importing updates the note type.
pub const MODEL_MOD: i64 = 1_796_169_600;

/// When the commit the binary was built from was made (Unix seconds; build.rs reads it from
/// `SOURCE_DATE_EPOCH` or git, 0 when neither says).
pub const RELEASE_TIME: i64 = unix_seconds_of(env!("DRILLBOOK_RELEASE_TIME"));

/// Digits as a number, at compile time; anything else is 0.
const fn unix_seconds_of(digits: &str) -> i64 {
    let bytes = digits.as_bytes();
    let mut value: i64 = 0;
    let mut i = 0;
    while i < bytes.len() {
        let digit = bytes[i];
        if !digit.is_ascii_digit() || value > (i64::MAX - 9) / 10 {
            return 0;
        }
        value = value * 10 + (digit - b'0') as i64;
        i += 1;
    }
    value
}

/// A note's `mod` (Unix seconds): the later of `released` and [`MODEL_MOD`], plus one second for
/// every day from 2000-01-01 to the question's `reviewed` date. A sum, not the later of the two
/// times, so that each moves the time forward on its own: a review dated the day of a release
/// still counts, and so does a release made after the latest review. Days count as seconds so
/// that the time stays close to the release and a learner's own later edit of a note in Anki
/// keeps winning, as Anki's "newer wins" rule means it to. See the module's notes for why the
/// time never falls behind a change to the note.
pub fn note_time(reviewed: Option<time::Date>, released: i64) -> i64 {
    let review_days = reviewed.map_or(0, |day| (day - REVIEW_EPOCH).whole_days().max(0));
    released.max(MODEL_MOD) + review_days
}

/// The day review dates are counted from.
const REVIEW_EPOCH: time::Date = match time::Date::from_calendar_date(2000, time::Month::January, 1)
{
    Ok(day) => day,
    Err(_) => time::Date::MIN,
};

/// Note and card ids are this plus the question id: Anki's ids are creation times in
/// milliseconds, and this one (2023-11-14) is in the past, as Anki's importer requires.
pub const NOTE_ID_BASE: i64 = 1_700_000_000_000;

/// The note type's fields, in order. The first is what Anki sorts by and checks duplicates on.
pub const FIELDS: [&str; 5] = ["Front", "Back", "Follow-ups", "Id", "URL"];

/// Separates fields in a note's `flds` column.
const FIELD_SEPARATOR: char = '\u{1f}';

/// The card template's question side.
const QUESTION_FORMAT: &str = "{{Front}}";

/// The card template's answer side: Anki's Basic layout, then the follow-ups when there are any.
const ANSWER_FORMAT: &str = "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}\n\n\
{{#Follow-ups}}<div class=\"drillbook-follow-ups\">\n\
<p><strong>An interviewer may ask next</strong></p>\n{{Follow-ups}}</div>{{/Follow-ups}}";

/// The note type's style: readable cards with the site's code colours, light and in Anki's night
/// mode.
const CSS: &str = include_str!("anki/card.css");

/// LaTeX wrappers every schema 11 note type carries (Anki's defaults; the cards use none).
const LATEX_PRE: &str = "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\
\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\
\\setlength{\\parindent}{0in}\n\\begin{document}\n";
const LATEX_POST: &str = "\\end{document}";

/// When the collection was created (Unix seconds): a fixed day, so builds agree. Anki reads it
/// only to shift the due dates of cards already in review, and these cards are all new.
const CREATED: i64 = 1_700_000_000;

/// Anki's "Default" deck and options group, which every collection has.
const DEFAULT_DECK_ID: i64 = 1;
const DEFAULT_CONF_ID: i64 = 1;

/// Anki's tables, from `rslib/src/storage/schema11.sql`.
const SCHEMA: &str = include_str!("anki/schema11.sql");

/// Every question of the bank, or of the category `category` names, as an Anki package: one
/// note of the "drillbook question" type and one new card per question, in a deck per category
/// under a deck named after the site, new cards due in the order the site lists them. `released`
/// is when the site's build was made (Unix seconds; the server passes [`RELEASE_TIME`]): no note
/// is older.
pub fn apkg(
    bank: &Bank,
    category: Option<&str>,
    links: &Permalinks<'_>,
    released: i64,
) -> Result<Vec<u8>, DeckError> {
    let selected = selection(bank, category)?;
    let collection = collection(bank, &selected, links, released)?;
    let newest = newest_mod(selected.iter().map(|(_, q)| *q), released);
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip_time(newest));
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("collection.anki2", options)?;
    zip.write_all(&collection)?;
    zip.start_file("media", options)?;
    zip.write_all(b"{}")?;
    Ok(zip.finish()?.into_inner())
}

/// The SQLite database file of a collection holding `selected`.
fn collection(
    bank: &Bank,
    selected: &[(&Category, &Question)],
    links: &Permalinks<'_>,
    released: i64,
) -> Result<Vec<u8>, DeckError> {
    let site = &bank.site().title;
    let parent_id = deck_id(None);
    let mut decks = serde_json::Map::new();
    let mut deck = |id: i64, name: String, description: String, modified: i64| {
        decks.insert(id.to_string(), deck_json(id, &name, &description, modified));
    };
    deck(DEFAULT_DECK_ID, "Default".to_string(), String::new(), 0);
    deck(
        parent_id,
        deck_name(site),
        format!(
            "{} <a href=\"{}\">{}</a>",
            escape(&bank.site().description),
            escape(&links.home()),
            escape(&links.home())
        ),
        newest_mod(selected.iter().map(|(_, q)| *q), released),
    );
    let mut categories: Vec<&Category> = selected.iter().map(|(c, _)| *c).collect();
    categories.dedup_by_key(|c| &c.slug);
    for category in categories {
        deck(
            deck_id(Some(&category.slug)),
            format!("{}::{}", deck_name(site), category.slug),
            format!(
                "<strong>{}</strong> {}",
                escape(&category.title),
                escape(&category.description)
            ),
            newest_mod(
                selected
                    .iter()
                    .filter(|(c, _)| c.slug == category.slug)
                    .map(|(_, q)| *q),
                released,
            ),
        );
    }
    let newest = newest_mod(selected.iter().map(|(_, q)| *q), released);

    let mut db = Connection::open_in_memory()?;
    db.execute_batch(SCHEMA)?;
    db.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?3, 11, 0, 0, 0, ?4, ?5, ?6, ?7, '{}')",
        params![
            CREATED,
            newest.max(MODEL_MOD) * 1000,
            MODEL_MOD * 1000,
            serde_json::to_string(&collection_conf(parent_id))?,
            serde_json::to_string(&json!({ MODEL_ID.to_string(): model_json(parent_id) }))?,
            serde_json::to_string(&decks)?,
            serde_json::to_string(&json!({ DEFAULT_CONF_ID.to_string(): options_json() }))?,
        ],
    )?;
    let tx = db.transaction()?;
    {
        let mut insert_note =
            tx.prepare("INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')")?;
        let mut insert_card = tx.prepare(
            "INSERT INTO cards VALUES (?1, ?2, ?3, 0, ?4, -1, 0, 0, ?5, 0, 0, 0, 0, 0, 0, 0, 0, '')",
        )?;
        for (position, (category, question)) in selected.iter().enumerate() {
            let note = Note::new(category, question, links, released);
            let id = NOTE_ID_BASE + i64::from(question.id);
            insert_note.execute(params![
                id,
                guid(question),
                MODEL_ID,
                note.modified,
                note.tags,
                note.fields.join(&FIELD_SEPARATOR.to_string()),
                note.sort_text,
                checksum(&note.sort_text),
            ])?;
            let due = i64::try_from(position + 1).unwrap_or(i64::MAX);
            insert_card.execute(params![
                id,
                id,
                deck_id(Some(&category.slug)),
                note.modified,
                due
            ])?;
        }
    }
    tx.commit()?;
    Ok(db.serialize(MAIN_DB)?.to_vec())
}

/// The guid Anki recognises a question's note by on every later import.
pub fn guid(question: &Question) -> String {
    format!("drillbook-q{}", question.id)
}

/// One question's note.
struct Note {
    /// Front, Back, Follow-ups, Id, URL (see [`FIELDS`]).
    fields: [String; 5],
    /// The first field as Anki reads it for sorting and duplicate checks: with its markup taken
    /// out and its entities decoded.
    sort_text: String,
    /// Space-separated, with a space at each end, as Anki stores them.
    tags: String,
    /// [`note_time`], Unix seconds.
    modified: i64,
}

impl Note {
    fn new(
        category: &Category,
        question: &Question,
        links: &Permalinks<'_>,
        released: i64,
    ) -> Note {
        let url = links.url(question);
        let meta = format!("{} · {}", category.title, question.difficulty.label());
        let front = format!(
            "<div class=\"drillbook-title\">{}</div>\n<div class=\"drillbook-meta\">{}</div>",
            escape(&question.title),
            escape(&meta)
        );
        let answer = &question.answer;
        let mut back = format!(
            "<p class=\"drillbook-summary\">{}</p>\n{}",
            escape(&question.summary),
            links.absolute_links(&answer.sheet_html)
        );
        if !answer.key_points.is_empty() {
            back.push_str("<p><strong>Key points</strong></p>\n<ul>\n");
            for point in &answer.key_points {
                back.push_str(&format!("<li>{}</li>\n", links.absolute_links(&point.html)));
            }
            back.push_str("</ul>\n");
        }
        back.push_str(&format!(
            "<p class=\"drillbook-source\"><a href=\"{0}\">{0}</a></p>",
            escape(&url)
        ));
        let follow_ups: String = answer
            .follow_ups
            .iter()
            .map(|f| {
                format!(
                    "<p class=\"drillbook-follow-up\">{}</p>\n{}",
                    links.absolute_links(&f.question_html),
                    links.absolute_links(&f.html)
                )
            })
            .collect();
        let tags: Vec<String> = question
            .tags
            .iter()
            .cloned()
            .chain(std::iter::once(format!(
                "difficulty::{}",
                question.difficulty.as_str()
            )))
            .collect();
        Note {
            // The separator cannot appear inside a field; front matter could spell one.
            fields: [
                front,
                back,
                follow_ups,
                question.id.to_string(),
                escape(&url),
            ]
            .map(|field| field.replace(FIELD_SEPARATOR, " ")),
            sort_text: format!("{}\n{meta}", question.title).replace(FIELD_SEPARATOR, " "),
            tags: format!(" {} ", tags.join(" ")),
            modified: note_time(question.reviewed, released),
        }
    }
}

/// Anki's field checksum: the first 32 bits of the SHA-1 of the field's text, big-endian.
fn checksum(text: &str) -> i64 {
    let digest = Sha1::digest(text.as_bytes());
    i64::from(u32::from_be_bytes([
        digest[0], digest[1], digest[2], digest[3],
    ]))
}

/// A deck's id: the site's deck for `None`, a category's deck for its slug. A hash, so that it
/// stays put across builds, in the range genanki recommends (2^30 to 2^31, clear of the small
/// ids Anki gives its own decks).
fn deck_id(slug: Option<&str>) -> i64 {
    let key = match slug {
        Some(slug) => format!("drillbook::{slug}"),
        None => "drillbook".to_string(),
    };
    let digest = Sha1::digest(key.as_bytes());
    let bits = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
    i64::from(bits & 0x3fff_ffff) | 1 << 30
}

/// A deck name component: `::` separates levels in Anki, so a title holding it would nest.
fn deck_name(title: &str) -> String {
    title.replace("::", ":")
}

/// The newest [`note_time`] among `questions`, Unix seconds.
fn newest_mod<'a>(questions: impl IntoIterator<Item = &'a Question>, released: i64) -> i64 {
    questions
        .into_iter()
        .map(|q| note_time(q.reviewed, released))
        .max()
        .unwrap_or_else(|| note_time(None, released))
}

/// Unix seconds as a zip entry's time (UTC; zip times run from 1980 to 2107).
fn zip_time(seconds: i64) -> DateTime {
    let Ok(time) = time::OffsetDateTime::from_unix_timestamp(seconds) else {
        return DateTime::default();
    };
    DateTime::from_date_and_time(
        u16::try_from(time.year()).unwrap_or(0),
        u8::from(time.month()),
        time.day(),
        time.hour(),
        time.minute(),
        time.second(),
    )
    .unwrap_or_default()
}

/// The collection's settings (`col.conf`): the site's deck selected.
fn collection_conf(deck: i64) -> Value {
    json!({
        "activeDecks": [deck],
        "curDeck": deck,
        "curModel": MODEL_ID.to_string(),
        "addToCur": true,
        "collapseTime": 1200,
        "dueCounts": true,
        "estTimes": true,
        "newSpread": 0,
        "nextPos": 1,
        "sortBackwards": false,
        "sortType": "noteFld",
        "timeLim": 0,
    })
}

/// The note type, in `col.models`.
fn model_json(deck: i64) -> Value {
    let fields: Vec<Value> = FIELDS
        .iter()
        .enumerate()
        .map(|(ord, name)| {
            json!({
                "name": name, "ord": ord, "sticky": false, "rtl": false,
                "font": "Arial", "size": 20, "media": [],
            })
        })
        .collect();
    json!({
        "id": MODEL_ID.to_string(),
        "name": MODEL_NAME,
        "type": 0,
        "mod": MODEL_MOD,
        "usn": -1,
        "sortf": 0,
        "did": deck,
        "tmpls": [{
            "name": "Recall", "ord": 0, "qfmt": QUESTION_FORMAT, "afmt": ANSWER_FORMAT,
            "bqfmt": "", "bafmt": "", "did": null, "bfont": "", "bsize": 0,
        }],
        "flds": fields,
        "css": CSS,
        "latexPre": LATEX_PRE,
        "latexPost": LATEX_POST,
        "latexsvg": false,
        // The one card needs the Front field.
        "req": [[0, "all", [0]]],
        "tags": [],
        "vers": [],
    })
}

/// A deck, in `col.decks`.
fn deck_json(id: i64, name: &str, description: &str, modified: i64) -> Value {
    json!({
        "id": id,
        "name": name,
        "desc": description,
        "mod": modified,
        "usn": -1,
        "collapsed": false,
        "browserCollapsed": false,
        "dyn": 0,
        "conf": DEFAULT_CONF_ID,
        "extendNew": 0,
        "extendRev": 0,
        "newToday": [0, 0],
        "revToday": [0, 0],
        "lrnToday": [0, 0],
        "timeToday": [0, 0],
    })
}

/// Anki's default options group, in `col.dconf`; the importer keeps the learner's own unless
/// asked to import options.
fn options_json() -> Value {
    json!({
        "id": DEFAULT_CONF_ID,
        "name": "Default",
        "mod": 0,
        "usn": 0,
        "maxTaken": 60,
        "autoplay": true,
        "timer": 0,
        "replayq": true,
        "dyn": false,
        "new": {
            "bury": true, "delays": [1, 10], "initialFactor": 2500, "ints": [1, 4, 0],
            "order": 1, "perDay": 20, "separate": true,
        },
        "rev": {
            "bury": true, "ease4": 1.3, "fuzz": 0.05, "ivlFct": 1, "maxIvl": 36500,
            "minSpace": 1, "perDay": 200,
        },
        "lapse": {
            "delays": [10], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0,
        },
    })
}

#[cfg(test)]
#[path = "../../tests/support/anki_text.rs"]
mod anki_text;

#[cfg(test)]
mod tests {
    use super::anki_text::anki_strip_html;
    use super::*;

    fn question(id: u32, title: &str) -> Question {
        Question {
            id,
            title: title.to_string(),
            slug: "slug".to_string(),
            category: "basics".to_string(),
            difficulty: crate::bank::Difficulty::Medium,
            tags: vec!["alpha".to_string()],
            summary: "In brief & <b>plain</b>.".to_string(),
            related: Vec::new(),
            answer: crate::bank::Answer::default(),
            source: "x.md".into(),
            reviewed: Some(
                time::Date::from_calendar_date(2030, time::Month::June, 1).expect("day"),
            ),
        }
    }

    fn category() -> Category {
        Category {
            slug: "basics".to_string(),
            title: "Basics & <More>".to_string(),
            description: String::new(),
            order: 1,
            groups: Vec::new(),
            question_ids: vec![1],
        }
    }

    #[test]
    fn the_sort_text_is_the_front_field_as_anki_strips_it() {
        let path = |q: &Question| format!("/questions/{}", q.id);
        let links = Permalinks::new("https://drill.example", &path);
        for title in [
            "Plain?",
            "Is <script>alert('x')</script> & \"this\" escaped?",
            "a\u{1f}b",
        ] {
            let note = Note::new(&category(), &question(7, title), &links, 0);
            assert_eq!(
                anki_strip_html(&note.fields[0]),
                note.sort_text,
                "{title:?}"
            );
            assert!(note.sort_text.starts_with(&title.replace('\u{1f}', " ")));
        }
    }

    #[test]
    fn notes_carry_the_question_and_link_back_to_it() {
        let path = |q: &Question| format!("/questions/{}/slug", q.id);
        let links = Permalinks::new("https://drill.example", &path);
        let note = Note::new(&category(), &question(7, "Why?"), &links, 0);
        let [front, back, follow_ups, id, url] = &note.fields;
        assert!(front.contains("Why?") && front.contains("Basics &amp; &lt;More&gt; · Medium"));
        assert!(back.starts_with("<p class=\"drillbook-summary\">In brief &amp; &lt;b&gt;"));
        assert!(back.contains("<a href=\"https://drill.example/questions/7/slug\">"));
        assert_eq!(id, "7");
        assert_eq!(url, "https://drill.example/questions/7/slug");
        assert_eq!(note.tags, " alpha difficulty::medium ");
        assert_eq!(
            follow_ups, "",
            "no follow-ups, an empty field: the template leaves it out"
        );
        assert_eq!(
            note.modified,
            MODEL_MOD + 11_109,
            "2030-06-01 is day 11,109"
        );
        assert_eq!(guid(&question(7, "Why?")), "drillbook-q7");
    }

    #[test]
    fn note_times_grow_with_the_review_date_and_the_release() {
        let day = |year, month, d| time::Date::from_calendar_date(year, month, d).ok();
        let release = 2_000_000_000;
        assert_eq!(note_time(None, release), release);
        assert_eq!(note_time(None, 0), MODEL_MOD, "never before the note type");
        assert_eq!(
            note_time(day(2000, time::Month::January, 1), release),
            release
        );
        assert_eq!(
            note_time(day(2026, time::Month::December, 2), release),
            release + 9_832,
            "9,832 days after 2000-01-01"
        );
        let reviewed = day(2033, time::Month::May, 18);
        let next_day = day(2033, time::Month::May, 19);
        assert!(note_time(next_day, release) > note_time(reviewed, release));
        assert!(note_time(reviewed, release + 1) > note_time(reviewed, release));
    }

    #[test]
    fn the_release_time_is_read_from_digits_only() {
        assert_eq!(unix_seconds_of("1796169600"), 1_796_169_600);
        assert_eq!(unix_seconds_of(""), 0);
        assert_eq!(unix_seconds_of("12a"), 0);
        assert_eq!(unix_seconds_of("99999999999999999999999"), 0);
    }

    #[test]
    fn answer_links_to_other_questions_become_absolute() {
        let file = "+++\nid = 1\ntitle = \"T?\"\ndifficulty = \"easy\"\nsummary = \"S.\"\n+++\n\
                    See [2](/questions/2#why) and [x](https://x.example/).\n\n## Key points\n- p\n";
        let question =
            crate::bank::parse_question_file(std::path::Path::new("q.md"), "c", file.as_bytes())
                .expect("valid");
        let path = |_: &Question| String::new();
        let links = Permalinks::new("https://drill.example", &path);
        assert_eq!(
            links.absolute_links(&question.answer.sheet_html),
            "<p>See <a href=\"https://drill.example/questions/2#why\">2</a> and \
             <a href=\"https://x.example/\">x</a>.</p>\n"
        );
    }

    #[test]
    fn the_checksum_is_the_first_32_bits_of_sha1() {
        // sha1("abc") = a9993e36…
        assert_eq!(checksum("abc"), 0xa999_3e36);
    }

    #[test]
    fn deck_ids_are_stable_distinct_and_in_range() {
        let ids = [
            deck_id(None),
            deck_id(Some("python-basics")),
            deck_id(Some("advanced-python")),
        ];
        for id in ids {
            assert!((1 << 30..1 << 31).contains(&id), "{id}");
        }
        assert_ne!(ids[0], ids[1]);
        assert_ne!(ids[1], ids[2]);
        assert_eq!(deck_id(Some("python-basics")), ids[1]);
    }

    #[test]
    fn zip_times_are_utc_and_clamped_to_the_zip_range() {
        let at = zip_time;
        let t = at(1_795_564_800 + 3_661);
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (2026, 11, 25, 1, 1, 0)
        );
        assert_eq!(at(0), DateTime::default(), "1970 is before zip time");
    }

    /// Changing the note type without raising [`MODEL_MOD`] would leave every learner who
    /// imported an earlier package with the old templates: Anki keeps a note type whose `mod`
    /// is not newer. When this fails, raise `MODEL_MOD` to today and record the new digest.
    #[test]
    fn the_note_type_is_unchanged_since_model_mod() {
        let mut hash = Sha1::new();
        for part in FIELDS
            .iter()
            .chain(&[QUESTION_FORMAT, ANSWER_FORMAT, CSS, MODEL_NAME])
        {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        let digest: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            (MODEL_MOD, digest.as_str()),
            (1_796_169_600, "12b8a17ceec381f43166b7993740153edcaf6216")
        );
    }
}
