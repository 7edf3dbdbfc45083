//! `/export/drillbook.apkg` and `/export/drillbook.csv`: the decks of the fixture bank, as
//! served, read back with the csv, zip and rusqlite crates: what each holds, the rules Anki
//! imports by (guids, ids, modification times), and the HTTP around them.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{Cursor, Read};
use std::path::Path;
use std::time::{Duration, SystemTime};

use actix_web::test::TestRequest;
use actix_web::web::Data;
use drillbook::bank;
use drillbook::web::AppState;
use rusqlite::Connection;
use serde_json::Value;

use crate::anki_text::anki_strip_html;
use crate::common::{Raw, assert_in_layout, get, respond, state, state_of};
use crate::tree::copy_tree;

const FIXTURE: &str = "tests/fixtures/valid";
const BASE: &str = "https://drill.example";
const PAGE_CACHE: &str = "public, max-age=300, stale-while-revalidate=86400";

/// The fixture's questions: id, category slug, category title and canonical path.
const QUESTIONS: [(u32, &str, &str, &str); 4] = [
    (
        1,
        "basics",
        "Basics",
        "/questions/1/what-is-the-first-question",
    ),
    (
        2,
        "basics",
        "Basics",
        "/questions/2/what-is-the-second-question",
    ),
    (
        3,
        "basics",
        "Basics",
        "/questions/3/is-script-alert-title-script-this-escaped",
    ),
    (
        10,
        "extras",
        "Extras",
        "/questions/10/why-is-the-tenth-question-in-another-category",
    ),
];

/// Every deck URL, with its content type and the file name it is saved under.
const DECKS: [(&str, &str, &str); 6] = [
    (
        "/export/drillbook.apkg",
        "application/x-apkg",
        "drillbook.apkg",
    ),
    (
        "/export/drillbook.apkg?category=basics",
        "application/x-apkg",
        "drillbook-basics.apkg",
    ),
    (
        "/export/drillbook.apkg?category=extras",
        "application/x-apkg",
        "drillbook-extras.apkg",
    ),
    (
        "/export/drillbook.csv",
        "text/csv; charset=utf-8",
        "drillbook.csv",
    ),
    (
        "/export/drillbook.csv?category=basics",
        "text/csv; charset=utf-8",
        "drillbook-basics.csv",
    ),
    (
        "/export/drillbook.csv?category=extras",
        "text/csv; charset=utf-8",
        "drillbook-extras.csv",
    ),
];

/// A GET of `uri` from the fixture bank's app.
async fn fetch(uri: &str) -> Raw {
    respond(state(), TestRequest::get().uri(uri)).await
}

/// The path of the file a question of the fixture was loaded from.
fn question_file(root: &Path, id: u32) -> std::path::PathBuf {
    let name = match id {
        1 => "basics/001-first.md",
        2 => "basics/002-second-crlf-bom.md",
        3 => "basics/003-hostile.md",
        _ => "extras/010-tenth.md",
    };
    root.join(name)
}

/// An Anki package, opened.
struct Package {
    /// The names in the zip, in order, with their compression method.
    entries: Vec<(String, zip::CompressionMethod)>,
    media: String,
    db: Connection,
    /// Keeps the database file alive while `db` is open.
    _dir: tempfile::TempDir,
}

impl Package {
    fn open(bytes: &[u8]) -> Package {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
        let entries = (0..archive.len())
            .map(|index| {
                let entry = archive.by_index(index).expect("entry");
                (
                    entry.name().expect("a name").into_owned(),
                    entry.compression(),
                )
            })
            .collect();
        let mut media = String::new();
        archive
            .by_name("media")
            .expect("a media list")
            .read_to_string(&mut media)
            .expect("text");
        let mut collection = Vec::new();
        archive
            .by_name("collection.anki2")
            .expect("a collection")
            .read_to_end(&mut collection)
            .expect("bytes");
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("collection.anki2");
        fs::write(&path, collection).expect("write collection");
        let db = Connection::open(&path).expect("an SQLite database");
        Package {
            entries,
            media,
            db,
            _dir: dir,
        }
    }

    /// The `col` row's JSON column `name`.
    fn col_json(&self, name: &str) -> Value {
        let text: String = self
            .db
            .query_row(&format!("SELECT {name} FROM col"), [], |row| row.get(0))
            .expect("one col row");
        serde_json::from_str(&text).unwrap_or_else(|err| panic!("col.{name} is JSON: {err}"))
    }

    /// Deck names by id.
    fn decks(&self) -> BTreeMap<i64, String> {
        let decks = self.col_json("decks");
        decks
            .as_object()
            .expect("an object")
            .iter()
            .map(|(key, deck)| {
                let id = deck["id"].as_i64().expect("numeric id");
                assert_eq!(key, &id.to_string(), "keyed by id");
                (id, deck["name"].as_str().expect("a name").to_string())
            })
            .collect()
    }

    /// Every note: id, guid, note type, mod, tags, fields, sort field, checksum.
    fn notes(&self) -> Vec<Note> {
        let mut statement = self
            .db
            .prepare("SELECT id, guid, mid, mod, tags, flds, sfld, csum FROM notes ORDER BY id")
            .expect("notes table");
        statement
            .query_map([], |row| {
                Ok(Note {
                    id: row.get(0)?,
                    guid: row.get(1)?,
                    model: row.get(2)?,
                    modified: row.get(3)?,
                    tags: row.get(4)?,
                    fields: row
                        .get::<_, String>(5)?
                        .split('\u{1f}')
                        .map(str::to_string)
                        .collect(),
                    sort_field: row.get(6)?,
                    checksum: row.get(7)?,
                })
            })
            .expect("query")
            .map(|note| note.expect("a note"))
            .collect()
    }

    /// Every card: note id, deck id, template, type, queue, due.
    fn cards(&self) -> Vec<(i64, i64, i64, i64, i64, i64)> {
        let mut statement = self
            .db
            .prepare("SELECT nid, did, ord, type, queue, due FROM cards ORDER BY due")
            .expect("cards table");
        statement
            .query_map([], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                ))
            })
            .expect("query")
            .map(|card| card.expect("a card"))
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Note {
    id: i64,
    guid: String,
    model: i64,
    modified: i64,
    tags: String,
    fields: Vec<String>,
    sort_field: String,
    checksum: i64,
}

/// Anki's field checksum: the first 32 bits of SHA-1, big-endian.
fn anki_checksum(text: &str) -> i64 {
    use sha1::Digest;
    let digest = sha1::Sha1::digest(text.as_bytes());
    i64::from(u32::from_be_bytes([
        digest[0], digest[1], digest[2], digest[3],
    ]))
}

#[actix_web::test]
async fn every_deck_is_a_download_served_from_memory_with_its_type_and_file_name() {
    for (url, content_type, file_name) in DECKS {
        let deck = fetch(url).await;
        assert_eq!(deck.status, 200, "{url}");
        assert_eq!(deck.header("content-type"), Some(content_type), "{url}");
        assert_eq!(deck.header("cache-control"), Some(PAGE_CACHE), "{url}");
        assert_eq!(
            deck.header("content-disposition"),
            Some(format!("attachment; filename=\"{file_name}\"").as_str()),
            "{url}"
        );
        assert_eq!(deck.header("x-content-type-options"), Some("nosniff"));
        assert!(state().site.get(url).is_some(), "{url} is prerendered");
        let etag = deck.header("etag").expect("an ETag").to_string();

        let head = respond(
            state(),
            TestRequest::default()
                .method(actix_web::http::Method::HEAD)
                .uri(url),
        )
        .await;
        assert_eq!(head.status, 200, "HEAD {url}");
        assert_eq!(head.header("etag"), Some(etag.as_str()), "HEAD {url}");
        assert_eq!(
            head.header("content-disposition"),
            deck.header("content-disposition")
        );

        let again = respond(
            state(),
            TestRequest::get()
                .uri(url)
                .insert_header(("if-none-match", etag.as_str())),
        )
        .await;
        assert_eq!(again.status, 304, "{url}");
        assert!(again.body.is_empty(), "{url}");
        assert_eq!(again.header("etag"), Some(etag.as_str()), "{url}");
        assert_eq!(again.header("cache-control"), Some(PAGE_CACHE), "{url}");

        let gzip = respond(
            state(),
            TestRequest::get()
                .uri(url)
                .insert_header(("accept-encoding", "gzip")),
        )
        .await;
        let compressed = content_type.starts_with("text/");
        assert_eq!(
            gzip.header("content-encoding"),
            compressed.then_some("gzip"),
            "{url}: the CSV is compressed, the zip is not compressed again"
        );
    }
}

#[actix_web::test]
async fn an_unknown_category_is_a_404_page_and_a_malformed_query_a_400_page() {
    for deck in ["apkg", "csv"] {
        let missing = get(&format!("/export/drillbook.{deck}?category=nope")).await;
        assert_eq!(missing.status, 404, "{deck}");
        assert_in_layout(&missing);
        assert!(
            missing.body.contains("There is no category `nope`."),
            "{}",
            missing.body
        );

        let hostile = get(&format!(
            "/export/drillbook.{deck}?category=%3Cscript%3Ex9q%3C%2Fscript%3E"
        ))
        .await;
        assert_eq!(hostile.status, 404, "{deck}");
        assert!(hostile.body.contains("&#60;script&#62;x9q"), "escaped");
        assert!(!hostile.body.contains("<script>x9q"), "{}", hostile.body);

        // The empty category (an empty category folder) has no questions, so no deck.
        let empty = get(&format!("/export/drillbook.{deck}?category=empty")).await;
        assert_eq!(empty.status, 404, "{deck}");

        for query in ["category=basics&category=extras", "category=%FF"] {
            let bad = get(&format!("/export/drillbook.{deck}?{query}")).await;
            assert_eq!(bad.status, 400, "{deck}?{query}");
            assert_in_layout(&bad);
        }
    }
}

#[actix_web::test]
async fn other_parameters_and_an_empty_category_get_the_same_bytes_as_the_canonical_url() {
    for (url, _, _) in DECKS {
        let canonical = fetch(url).await;
        let separator = if url.contains('?') { '&' } else { '?' };
        let mut spellings = vec![format!("{url}{separator}utm_source=chat")];
        if !url.contains('?') {
            spellings.push(format!("{url}?category="));
        }
        for other in spellings {
            let response = fetch(&other).await;
            assert_eq!(response.status, 200, "{other}");
            assert_eq!(response.header("etag"), canonical.header("etag"), "{other}");
            assert_eq!(
                response.header("content-disposition"),
                canonical.header("content-disposition"),
                "{other}"
            );
            assert!(response.body == canonical.body, "{other}: same bytes");
        }
    }
}

#[actix_web::test]
async fn the_csv_has_a_header_and_one_row_per_question_with_its_permalink() {
    let csv = fetch("/export/drillbook.csv").await;
    assert!(
        csv.body.starts_with(b"\xef\xbb\xbf"),
        "a UTF-8 byte order mark"
    );
    let text = std::str::from_utf8(&csv.body).expect("UTF-8");
    assert!(
        text.starts_with(
            "\u{feff}id,category,difficulty,tags,title,summary,key_points,url,follow_ups\r\n"
        ),
        "CRLF after the header: {text}"
    );
    assert!(text.ends_with("\r\n"), "CRLF after the last record");

    let mut reader = csv::Reader::from_reader(&csv.body[..]);
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "id",
            "category",
            "difficulty",
            "tags",
            "title",
            "summary",
            "key_points",
            "url",
            "follow_ups"
        ],
        "the csv crate drops the mark"
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|row| row.expect("a record")).collect();
    assert_eq!(rows.len(), QUESTIONS.len(), "one row per question");
    let bank = &state().content.bank;
    for (row, (id, _, category, path)) in rows.iter().zip(QUESTIONS) {
        let question = bank.question(id).expect("fixture question");
        assert_eq!(row.len(), 9);
        assert_eq!(&row[0], id.to_string(), "rows in the site's order");
        assert_eq!(&row[1], category);
        assert_eq!(&row[2], question.difficulty.as_str());
        assert_eq!(&row[3], question.tags.join(" "));
        assert_eq!(&row[4], question.title);
        assert_eq!(&row[5], question.summary);
        assert_eq!(&row[7], format!("{BASE}{path}"));
    }
    assert_eq!(
        &rows[0][6], "first point\nsecond point with code\nthird point",
        "key points as plain text, one per line"
    );
    assert_eq!(
        &rows[0][8],
        "What does a quokka-shaped follow-up ask?\nIt asks what comes next. Its answer is folded \
         until opened.\n\nAnd a second one, with code?\nCode runs like the answer's.",
        "each follow-up's question on a line, its answer as plain text, a blank line between"
    );
    assert_eq!(&rows[1][8], "", "a question without follow-ups");
    assert_eq!(
        &rows[2][4], "Is <script>alert('title')</script> & \"this\" escaped?",
        "a CSV is text: the title as written"
    );

    let extras = fetch("/export/drillbook.csv?category=extras").await;
    let ids: Vec<String> = csv::Reader::from_reader(&extras.body[..])
        .records()
        .map(|row| row.expect("a record")[0].to_string())
        .collect();
    assert_eq!(ids, ["10"], "the category's questions only");
}

#[actix_web::test]
async fn the_anki_package_holds_one_note_and_card_per_question_in_its_category_deck() {
    let package = Package::open(&fetch("/export/drillbook.apkg").await.body);
    assert_eq!(
        package.entries,
        [
            (
                "collection.anki2".to_string(),
                zip::CompressionMethod::Deflated
            ),
            ("media".to_string(), zip::CompressionMethod::Deflated),
        ]
    );
    assert_eq!(package.media, "{}");
    let (version, rows): (i64, i64) = package
        .db
        .query_row(
            "SELECT ver, (SELECT count(*) FROM col) FROM col",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("a col row");
    assert_eq!((version, rows), (11, 1), "schema 11, one col row");
    for table in ["revlog", "graves"] {
        let count: i64 = package
            .db
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                row.get(0)
            })
            .expect("table exists");
        assert_eq!(count, 0, "{table}");
    }

    let models = package.col_json("models");
    let models = models.as_object().expect("models by id");
    assert_eq!(models.len(), 1, "one note type");
    let (model_key, model) = models.iter().next().expect("a note type");
    let model_id: i64 = model_key.parse().expect("numeric key");
    assert_eq!(model["name"], "drillbook question");
    assert_eq!(model["type"], 0, "standard, not cloze");
    let fields: Vec<&str> = model["flds"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(fields, ["Front", "Back", "Follow-ups", "Id", "URL"]);
    let templates = model["tmpls"].as_array().expect("templates");
    assert_eq!(templates.len(), 1, "one card per note");
    assert!(
        templates[0]["qfmt"]
            .as_str()
            .expect("qfmt")
            .contains("{{Front}}")
    );
    assert!(
        templates[0]["afmt"]
            .as_str()
            .expect("afmt")
            .contains("{{Back}}")
    );
    assert!(
        templates[0]["afmt"]
            .as_str()
            .expect("afmt")
            .contains("{{#Follow-ups}}"),
        "the back shows the follow-ups when a note has any"
    );
    for required in [
        "id", "name", "type", "mod", "usn", "sortf", "did", "tmpls", "flds", "css",
    ] {
        assert!(model.get(required).is_some(), "Anki requires `{required}`");
    }
    assert!(
        package.col_json("dconf")["1"].is_object(),
        "the default options"
    );
    assert!(package.col_json("conf").is_object());

    let decks = package.decks();
    let deck_names: BTreeSet<&str> = decks.values().map(String::as_str).collect();
    assert_eq!(
        deck_names,
        BTreeSet::from([
            "Default",
            "drilltest",
            "drilltest::basics",
            "drilltest::extras"
        ]),
        "a deck per category under the site's deck, named by its slug, which never changes"
    );

    let notes = package.notes();
    let cards = package.cards();
    assert_eq!(notes.len(), QUESTIONS.len(), "one note per question");
    assert_eq!(cards.len(), QUESTIONS.len(), "one card per note");
    let bank = &state().content.bank;
    for (note, (id, slug, category, path)) in notes.iter().zip(QUESTIONS) {
        let permalink = format!("{BASE}{path}");
        assert_eq!(note.guid, format!("drillbook-q{id}"));
        assert_eq!(note.id, 1_700_000_000_000 + i64::from(id));
        assert_eq!(note.model, model_id);
        assert_eq!(note.fields.len(), 5, "{:?}", note.fields);
        assert_eq!(note.fields[3], id.to_string());
        assert_eq!(note.fields[4], permalink);
        assert!(
            note.fields[1].contains(&format!("<a href=\"{permalink}\">")),
            "the back links to the question: {}",
            note.fields[1]
        );
        assert!(note.fields[0].contains(category), "{}", note.fields[0]);
        assert_eq!(note.sort_field, anki_strip_html(&note.fields[0]));
        assert_eq!(note.checksum, anki_checksum(&note.sort_field));
        let reviewed = bank.question(id).and_then(|q| q.reviewed);
        assert_eq!(
            note.modified,
            drillbook::deck::note_time(reviewed, drillbook::deck::RELEASE_TIME)
        );
        assert!(note.modified >= drillbook::deck::RELEASE_TIME);
        assert!(note.tags.starts_with(' ') && note.tags.ends_with(' '));

        let card: Vec<_> = cards.iter().filter(|c| c.0 == note.id).collect();
        assert_eq!(card.len(), 1, "note {id}: one card");
        let (_, deck, template, kind, queue, _) = *card[0];
        assert_eq!(
            decks.get(&deck).map(String::as_str),
            Some(format!("drilltest::{slug}").as_str()),
            "note {id}"
        );
        assert_eq!((template, kind, queue), (0, 0, 0), "a new card");
    }
    let first = &notes[0];
    assert_eq!(first.tags, " alpha beta difficulty::easy ");
    assert!(
        first.fields[2].starts_with(
            "<p class=\"drillbook-follow-up\">What does a quokka-shaped <code>follow-up</code> \
             ask?</p>\n<p>It asks what comes next."
        ),
        "the follow-ups field: {}",
        first.fields[2]
    );
    assert!(first.fields[2].contains("And a second one, with code?"));
    assert!(
        !first.fields[1].contains("quokka"),
        "not repeated on the back"
    );
    assert_eq!(notes[1].fields[2], "", "no follow-ups, an empty field");
    assert!(first.fields[1].contains("<li>second point with <code>code</code></li>"));
    assert!(
        first.fields[1].contains(&format!(
            "href=\"{BASE}/questions/2/what-is-the-second-question#why\""
        )),
        "links between answers point at the site: {}",
        first.fields[1]
    );
    let hostile = &notes[2];
    assert!(
        hostile.fields[0]
            .contains("Is &lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; &quot;this"),
        "fields are HTML, the title escaped: {}",
        hostile.fields[0]
    );
    assert!(
        !notes
            .iter()
            .any(|n| n.fields.iter().any(|f| f.contains("<script"))),
        "no live markup from content"
    );
    let dues: Vec<i64> = cards.iter().map(|c| c.5).collect();
    assert_eq!(dues, [1, 2, 3, 4], "new cards in the site's order");
}

#[actix_web::test]
async fn a_category_package_holds_only_its_questions_in_the_same_deck() {
    let whole = Package::open(&fetch("/export/drillbook.apkg").await.body);
    let extras = Package::open(&fetch("/export/drillbook.apkg?category=extras").await.body);
    let notes = extras.notes();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].guid, "drillbook-q10");
    let deck_names: BTreeSet<String> = extras.decks().into_values().collect();
    assert_eq!(
        deck_names,
        BTreeSet::from(["Default", "drilltest", "drilltest::extras"].map(str::to_string))
    );
    let in_whole = whole
        .notes()
        .into_iter()
        .find(|n| n.guid == "drillbook-q10")
        .expect("in the whole deck");
    assert_eq!(
        notes[0], in_whole,
        "the same note whichever package it comes in"
    );
    assert_eq!(
        extras.cards()[0].1,
        whole
            .cards()
            .iter()
            .find(|c| c.0 == in_whole.id)
            .expect("card")
            .1,
        "in the same deck"
    );
}

#[actix_web::test]
async fn two_builds_of_one_bank_give_the_same_bytes() {
    let other = state_of(FIXTURE);
    for (url, _, _) in DECKS {
        let first = fetch(url).await;
        let second = respond(other.clone(), TestRequest::get().uri(url)).await;
        assert!(first.body == second.body, "{url}: same bytes");
        assert_eq!(first.header("etag"), second.header("etag"), "{url}");
    }
    let first = Package::open(&fetch("/export/drillbook.apkg").await.body);
    let second = Package::open(
        &respond(other, TestRequest::get().uri("/export/drillbook.apkg"))
            .await
            .body,
    );
    let ids = |p: &Package| -> Vec<(i64, String)> {
        p.notes().into_iter().map(|n| (n.id, n.guid)).collect()
    };
    assert_eq!(ids(&first), ids(&second), "note ids and guids");
    assert_eq!(first.decks(), second.decks(), "deck ids and names");
}

/// The notes of the whole Anki package of the bank at `root`, as the app serves it.
async fn notes_of(root: &Path) -> Vec<Note> {
    let bank = bank::load(root).expect("the bank loads");
    let state = Data::new(AppState::new(bank, None).expect("state"));
    let package = respond(state, TestRequest::get().uri("/export/drillbook.apkg")).await;
    Package::open(&package.body).notes()
}

#[actix_web::test]
async fn a_question_reviewed_again_comes_with_a_newer_mod_and_the_same_guid() {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_tree(Path::new(FIXTURE), dir.path());
    let before = notes_of(dir.path()).await;

    let edited = question_file(dir.path(), 10);
    let today = time::OffsetDateTime::now_utc().date();
    let text = fs::read_to_string(&edited).expect("read");
    let text = text
        .replace("ids are stable", "ids never change")
        .replace("reviewed = 2026-10-05", &format!("reviewed = {today}"));
    fs::write(&edited, text).expect("write");
    let after = notes_of(dir.path()).await;

    for (old, new) in before.iter().zip(&after) {
        assert_eq!((old.id, &old.guid), (new.id, &new.guid), "same note");
        if new.guid == "drillbook-q10" {
            assert!(new.modified > old.modified, "newer, so Anki updates it");
            assert!(new.fields[1].contains("ids never change"));
        } else {
            assert_eq!(old, new, "untouched, so Anki leaves it alone");
        }
    }
}

#[actix_web::test]
async fn replicas_with_different_file_times_serve_the_same_sitemap_feed_and_decks() {
    let copies = [
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    ];
    for (copy, seconds) in copies.iter().zip([1_500_000_000, 1_790_000_000]) {
        copy_tree(Path::new(FIXTURE), copy.path());
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(seconds);
        for (id, ..) in QUESTIONS {
            fs::File::options()
                .write(true)
                .open(question_file(copy.path(), id))
                .and_then(|file| file.set_modified(time))
                .expect("set the file's time");
        }
    }
    let replica = |root: &Path| {
        let bank = bank::load(root).expect("the bank loads");
        Data::new(AppState::new(bank, None).expect("state"))
    };
    let (first, second) = (replica(copies[0].path()), replica(copies[1].path()));
    for url in ["/sitemap.xml", "/feed.xml", DECKS[0].0, DECKS[3].0] {
        let a = respond(first.clone(), TestRequest::get().uri(url)).await;
        let b = respond(second.clone(), TestRequest::get().uri(url)).await;
        assert_eq!(a.status, 200, "{url}");
        assert!(a.body == b.body, "{url}: the same bytes from both replicas");
        assert_eq!(a.header("etag"), b.header("etag"), "{url}");
    }
}

#[actix_web::test]
async fn the_home_category_and_about_pages_link_the_decks() {
    let home = get("/").await;
    let links: Vec<(String, String)> = home
        .attrs(".share a", "href")
        .into_iter()
        .zip(home.texts(".share a"))
        .collect();
    assert_eq!(
        links,
        [
            (
                "/export/drillbook.apkg".to_string(),
                "Anki deck of all 4 questions".to_string()
            ),
            (
                "/export/drillbook.csv".to_string(),
                "CSV table of all 4 questions".to_string()
            ),
        ]
    );

    for (url, count, title) in [
        ("/categories/basics", "3 Basics questions", "basics"),
        (
            "/categories/basics?difficulty=hard",
            "3 Basics questions",
            "basics",
        ),
        ("/categories/extras", "1 Extras question", "extras"),
    ] {
        let page = get(url).await;
        assert_eq!(
            page.attrs(".share a", "href"),
            [
                format!("/export/drillbook.apkg?category={title}"),
                format!("/export/drillbook.csv?category={title}"),
            ],
            "{url}: the whole category's decks, whatever the filter"
        );
        assert_eq!(
            page.texts(".share a"),
            [
                format!("Anki deck of the {count}"),
                format!("CSV table of the {count}"),
            ],
            "{url}"
        );
    }

    let about = get("/about").await;
    let hrefs = about.attrs("section[aria-labelledby=elsewhere] a", "href");
    assert!(
        hrefs.contains(&"/export/drillbook.apkg".to_string()),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"/export/drillbook.csv".to_string()),
        "{hrefs:?}"
    );
}
