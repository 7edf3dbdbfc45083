//! The Anki package as Anki itself reads it: imported by Anki's own backend (the `anki` package
//! from PyPI, run by tests/anki/import_decks.py), once, and again after the bank changed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use drillbook::bank::{self, Bank};
use drillbook::deck::{self, Permalinks};
use drillbook::web::urls::Paths;
use serde_json::Value;

use crate::tree::copy_tree;

const FIXTURE: &str = "tests/fixtures/valid";

/// The Python that has Anki's package: `ANKI_PYTHON`, else the environment `scripts/anki` makes.
fn anki_python() -> PathBuf {
    let python = std::env::var_os("ANKI_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/anki/venv/bin/python"));
    assert!(
        python.exists(),
        "{} is missing: these tests import decks with Anki's own backend; run scripts/test \
         (or scripts/anki) to install it, or name a Python that has it in ANKI_PYTHON",
        python.display()
    );
    python
}

/// A bank as the site has it.
fn site_bank(root: &Path) -> Bank {
    bank::load(root).expect("the bank loads")
}

/// The whole bank's package, under `base_url`, as a build released at `released` makes it.
fn package(bank: &Bank, base_url: &str, released: i64) -> Vec<u8> {
    let path = |q: &bank::Question| q.path();
    deck::apkg(bank, None, &Permalinks::new(base_url, &path), released).expect("a package")
}

/// Imports the packages one after another into one new collection, each with Anki's defaults
/// (or, where its flag says, with "Merge note types" and "Update notes: Always", as a learner
/// migrates once); what the collection holds after each.
fn import(packages: &[(&[u8], bool)]) -> Vec<Value> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut args = vec![
        PathBuf::from("tests/anki/import_decks.py"),
        dir.path().join("collection.anki2"),
    ];
    for (i, (bytes, merge)) in packages.iter().enumerate() {
        let file = dir.path().join(format!("deck-{i}.apkg"));
        fs::write(&file, bytes).expect("write the package");
        let mut arg = file.into_os_string();
        if *merge {
            arg.push(":merge");
        }
        args.push(PathBuf::from(arg));
    }
    let output = Command::new(anki_python())
        .args(&args)
        .output()
        .expect("run Anki's importer");
    assert!(
        output.status.success(),
        "Anki's importer failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the importer's JSON")
}

fn log(state: &Value) -> [u64; 4] {
    ["new", "updated", "duplicate", "conflicting"]
        .map(|kind| state["log"][kind].as_u64().unwrap_or(99))
}

fn note(state: &Value, id: u32) -> &Value {
    let guid = format!("drillbook-q{id}");
    state["notes"]
        .as_array()
        .and_then(|notes| notes.iter().find(|n| n["guid"] == guid.as_str()))
        .unwrap_or_else(|| panic!("no note {guid}"))
}

fn field<'a>(state: &'a Value, id: u32, name: &str) -> &'a str {
    note(state, id)["fields"][name].as_str().unwrap_or_default()
}

fn card_deck(state: &Value, id: u32) -> String {
    let guid = format!("drillbook-q{id}");
    let decks: Vec<&str> = state["cards"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["guid"] == guid.as_str())
        .filter_map(|c| c["deck"].as_str())
        .collect();
    assert_eq!(decks.len(), 1, "one card for {guid}");
    decks[0].to_string()
}

#[test]
fn anki_imports_the_shipped_deck_as_one_note_per_question_with_its_follow_ups() {
    let bank = site_bank(Path::new("content"));
    let shipped = package(&bank, "https://drillbook.example.org", deck::RELEASE_TIME);
    let [state] = <[Value; 1]>::try_from(import(&[(&shipped, false)])).expect("one import");
    assert_eq!(log(&state), [150, 0, 0, 0], "every note new");
    assert_eq!(state["notes"].as_array().map(Vec::len), Some(bank.len()));
    assert_eq!(state["cards"].as_array().map(Vec::len), Some(bank.len()));
    for q in bank.questions() {
        assert_eq!(note(&state, q.id)["notetype"], "drillbook question");
        let follow_ups = field(&state, q.id, "Follow-ups");
        for f in &q.answer.follow_ups {
            let heading = format!("<p class=\"drillbook-follow-up\">{}</p>", f.question_html);
            assert!(
                follow_ups.contains(&heading),
                "question {}: the follow-ups field holds `{}`",
                q.id,
                f.question
            );
        }
        assert!(!follow_ups.is_empty(), "question {} has follow-ups", q.id);
        assert_eq!(
            card_deck(&state, q.id),
            format!("drillbook::{}", q.category)
        );
    }
}

#[test]
fn reimporting_a_changed_deck_updates_every_changed_note_in_place() {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_tree(Path::new(FIXTURE), dir.path());
    let released = deck::RELEASE_TIME;
    let first = package(&site_bank(dir.path()), "https://drill.example", released);

    // The first question is edited and reviewed again, today.
    let today = time::OffsetDateTime::now_utc().date();
    let question = dir.path().join("basics/001-first.md");
    let text = fs::read_to_string(&question).expect("read");
    let text = text
        .replace("The first answer", "The first answer, edited")
        .replace("reviewed = 2026-11-30", &format!("reviewed = {today}"));
    fs::write(&question, text).expect("write");
    let reviewed = package(&site_bank(dir.path()), "https://drill.example", released);

    // A new build renames a category and moves the site: nothing in a question file changed.
    let category = dir.path().join("extras/_category.toml");
    let text = fs::read_to_string(&category).expect("read");
    fs::write(
        &category,
        text.replace("\"Extras\"", "\"Further questions\""),
    )
    .expect("write");
    let moved = package(
        &site_bank(dir.path()),
        "https://drill.new.example",
        released + 3_600,
    );

    let states = import(&[
        (&first, false),
        (&reviewed, false),
        (&moved, false),
        (&first, false),
    ]);
    let [imported, after_review, after_release, after_old] =
        <[Value; 4]>::try_from(states).expect("four imports");

    assert_eq!(log(&imported), [4, 0, 0, 0]);
    assert!(field(&imported, 1, "Follow-ups").contains("quokka"));
    assert_eq!(field(&imported, 2, "Follow-ups"), "");

    assert_eq!(
        log(&after_review),
        [0, 1, 3, 0],
        "only the reviewed note updates"
    );
    assert!(field(&after_review, 1, "Back").contains("The first answer, edited"));

    let mods = |s: &Value| {
        s["notes"]
            .as_array()
            .map(|n| n.iter().map(|n| n["mod"].clone()).collect::<Vec<_>>())
    };
    assert_eq!(
        log(&after_release),
        [0, 4, 0, 0],
        "every note of the new build updates: {:?} {:?} {:?}",
        mods(&imported),
        mods(&after_review),
        mods(&after_release)
    );
    assert_eq!(
        after_release["notes"].as_array().map(Vec::len),
        Some(4),
        "no copies"
    );
    assert_eq!(after_release["cards"].as_array().map(Vec::len), Some(4));
    for id in [1, 2, 3, 10] {
        assert!(
            field(&after_release, id, "URL").starts_with("https://drill.new.example/"),
            "question {id} links to the new address"
        );
    }
    assert!(field(&after_release, 10, "Front").contains("Further questions"));
    assert_eq!(
        card_deck(&after_release, 10),
        "drilltest::extras",
        "the card stays in its deck, which keeps its name"
    );
    assert!(
        after_release["decks"]["drilltest::extras"]
            .as_str()
            .is_some_and(|d| d.contains("Further questions")),
        "the deck's description has the new title: {}",
        after_release["decks"]
    );

    assert_eq!(
        log(&after_old),
        [0, 0, 4, 0],
        "an older package changes nothing"
    );
    assert!(field(&after_old, 10, "Front").contains("Further questions"));
}

/// `package` as the release before follow-ups wrote it: a note type of four fields (no
/// Follow-ups) and an older `mod` on it and on every note.
fn without_follow_ups_field(package: &[u8]) -> Vec<u8> {
    use std::io::{Cursor, Read, Write};

    let mut zip = zip::ZipArchive::new(Cursor::new(package)).expect("a zip");
    let mut collection = Vec::new();
    zip.by_name("collection.anki2")
        .and_then(|mut entry| Ok(entry.read_to_end(&mut collection)?))
        .expect("the collection");
    let dir = tempfile::tempdir().expect("temporary folder");
    let file = dir.path().join("collection.anki2");
    fs::write(&file, &collection).expect("write");
    let db = rusqlite::Connection::open(&file).expect("open");
    let models: String = db
        .query_row("SELECT models FROM col", [], |row| row.get(0))
        .expect("models");
    let mut models: Value = serde_json::from_str(&models).expect("JSON");
    for model in models.as_object_mut().expect("by id").values_mut() {
        let fields = model["flds"].as_array_mut().expect("fields");
        fields.retain(|f| f["name"] != "Follow-ups");
        for (ord, field) in fields.iter_mut().enumerate() {
            field["ord"] = ord.into();
        }
        model["tmpls"][0]["afmt"] = "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}".into();
        model["mod"] = 1_795_564_800.into();
    }
    db.execute("UPDATE col SET models = ?1", [models.to_string()])
        .expect("update");
    let notes: Vec<(i64, String)> = db
        .prepare("SELECT id, flds FROM notes")
        .and_then(|mut rows| {
            rows.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect()
        })
        .expect("notes");
    for (id, fields) in notes {
        let mut fields: Vec<&str> = fields.split('\u{1f}').collect();
        fields.remove(2);
        db.execute(
            "UPDATE notes SET flds = ?1, mod = 1795564800 WHERE id = ?2",
            rusqlite::params![fields.join("\u{1f}"), id],
        )
        .expect("update");
    }
    drop(db);
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    out.start_file("collection.anki2", options).expect("entry");
    out.write_all(&fs::read(&file).expect("read"))
        .expect("write");
    out.start_file("media", options).expect("entry");
    out.write_all(b"{}").expect("write");
    out.finish().expect("zip").into_inner()
}

#[test]
fn learners_of_the_deck_without_follow_ups_get_them_by_one_merging_import() {
    let bank = site_bank(Path::new(FIXTURE));
    let current = package(&bank, "https://drill.example", deck::RELEASE_TIME);
    let earlier = without_follow_ups_field(&current);
    let states = import(&[(&earlier, false), (&current, false), (&current, true)]);
    let [imported, unmerged, merged] = <[Value; 3]>::try_from(states).expect("three imports");
    assert_eq!(log(&imported), [4, 0, 0, 0]);
    assert!(note(&imported, 1)["fields"].get("Follow-ups").is_none());
    assert_eq!(
        log(&unmerged),
        [0, 0, 0, 4],
        "without merging, Anki sets the new note type aside and changes nothing"
    );
    assert!(note(&unmerged, 1)["fields"].get("Follow-ups").is_none());
    assert_eq!(
        log(&merged),
        [0, 4, 0, 0],
        "merged: every note updated in place"
    );
    assert_eq!(
        merged["notes"].as_array().map(Vec::len),
        Some(4),
        "no copies"
    );
    assert!(field(&merged, 1, "Follow-ups").contains("quokka"));
    assert_eq!(note(&merged, 1)["notetype"], "drillbook question");
}
