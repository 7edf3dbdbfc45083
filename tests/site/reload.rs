//! `serve --watch`: a valid edit is served from the next request on, through the prerendered
//! pages and the routes alike; an invalid one is reported, file and line, and changes nothing.

use crate::common::{Page, respond};
use crate::tree::copy_tree;
use std::fs;
use std::path::Path;

use actix_web::test::TestRequest;
use drillbook::bank;
use drillbook::reload::{Outcome, Reloader};
use drillbook::web::{AppState, LiveState};

/// A copy of the valid fixture bank that a test may edit.
fn editable_bank() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_tree(Path::new("tests/fixtures/valid"), dir.path());
    dir
}

/// The `<title>` of `uri` as the app serves it now, and its status.
async fn title(live: &LiveState, uri: &str) -> (u16, String) {
    let page = Page::from(respond(live.clone(), TestRequest::get().uri(uri)).await);
    let title = page
        .body
        .split_once("<title>")
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .map_or(String::new(), |(title, _)| title.to_string());
    (page.status.as_u16(), title)
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).expect("read question");
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).expect("write question");
}

#[actix_web::test]
async fn a_valid_edit_is_swapped_in_and_an_invalid_one_keeps_the_last_good_bank() {
    let dir = editable_bank();
    let bank = bank::load(dir.path()).expect("fixture loads");
    let first_checksum = bank.checksum().to_string();
    let live = LiveState::new(AppState::new(bank, None).expect("state"));
    let reloader = Reloader::new(dir.path(), None, live.clone());
    // The canonical URL is answered by the prerendered pages; the bare id by the routes.
    let canonical = "/questions/1/what-is-the-first-question";
    assert_eq!(
        title(&live, canonical).await.1,
        "What is the first question? | drilltest"
    );

    // Touching files without changing them rebuilds nothing.
    let question = dir.path().join("basics/001-first.md");
    fs::write(&question, fs::read(&question).expect("read")).expect("rewrite");
    assert!(matches!(reloader.reload(), Outcome::Unchanged));

    edit(
        &question,
        "title = \"What is the first question?\"",
        "title = \"What is the edited question?\"",
    );
    match reloader.reload() {
        Outcome::Swapped {
            questions,
            checksum,
        } => {
            assert_eq!(questions, live.current().content.bank.len());
            assert_ne!(checksum, first_checksum, "an edit changes the checksum");
        }
        other => panic!("expected the edit to be swapped in, got {other:?}"),
    }
    let edited = "/questions/1/what-is-the-edited-question";
    assert_eq!(
        title(&live, edited).await,
        (200, "What is the edited question? | drilltest".to_string())
    );
    // The old canonical URL now redirects to the new one instead of serving the old page.
    assert_eq!(title(&live, canonical).await.0, 301);

    // An invalid edit: every problem with its file and line; the edited bank keeps serving.
    edit(
        &question,
        "difficulty = \"easy\"",
        "difficulty = \"impossible\"",
    );
    match reloader.reload() {
        Outcome::Invalid(err) => {
            let problems: Vec<String> = err.problems.iter().map(|p| p.to_string()).collect();
            assert!(
                problems
                    .iter()
                    .any(|p| p.contains("001-first.md:4:") && p.contains("impossible")),
                "{problems:#?}"
            );
        }
        other => panic!("expected the invalid edit to be refused, got {other:?}"),
    }
    assert_eq!(
        title(&live, edited).await,
        (200, "What is the edited question? | drilltest".to_string())
    );
    assert_ne!(live.current().content.bank.checksum(), first_checksum);
}
