//! The review queue and the study tools on question pages, as the server renders them: frames and
//! controls the script fills and enables, hidden when script is off.

use crate::common::{assert_in_layout, get};

const FIRST: &str = "/questions/1/what-is-the-first-question";

#[actix_web::test]
async fn review_lists_every_question_hidden_for_the_script_with_a_no_script_explanation() {
    let page = get("/review").await;
    assert_eq!(page.status, 200);
    assert_in_layout(&page);
    assert_eq!(page.text("h1"), "Review queue");
    assert_eq!(page.attr("meta[name=robots]", "content"), "noindex");
    assert!(page.text("main noscript").contains("needs JavaScript"));
    assert!(page.text(".lead").contains("FSRS"));

    // Every question of the bank, in the categories' order, each hidden until the script finds
    // it due; all of it inside a block that the no-script stylesheet hides.
    assert_eq!(
        page.attrs(
            "[data-review].needs-script [data-review-list] li",
            "data-question-id"
        ),
        ["1", "2", "3", "10"]
    );
    assert_eq!(
        page.attrs("[data-review-list] li[hidden]", "data-question-id")
            .len(),
        4
    );
    assert_eq!(
        page.attrs("[data-review-list] li a.question-link", "href")[0],
        FIRST
    );
    assert!(
        page.texts("[data-review-list] li .review-meta")
            .iter()
            .all(|meta| meta == "Basics" || meta == "Extras"),
        "{:?}",
        page.texts("[data-review-list] li .review-meta")
    );
    for hidden in [
        "[data-review-empty]",
        "[data-review-done]",
        "[data-review-start-row]",
    ] {
        assert_eq!(
            page.attrs(hidden, "hidden").len(),
            1,
            "{hidden} starts hidden"
        );
    }
    assert!(page.attrs("[data-review-start]", "href").is_empty());

    let home = get("/").await;
    assert!(
        home.attrs(".site-nav a", "href")
            .contains(&"/review".to_string()),
        "in the menu"
    );
    assert_eq!(home.attr("[data-review-due] a", "href"), "/review");
    assert_eq!(
        home.attrs("[data-review-due].needs-script[hidden]", "class")
            .len(),
        1,
        "the home page's due count waits for the script"
    );
}

#[actix_web::test]
async fn question_pages_offer_grades_and_a_labelled_note_to_the_script() {
    let page = get(FIRST).await;
    assert_eq!(
        page.texts(".your-answer.needs-script [data-grade] button[data-grade]"),
        ["Again", "Hard", "Good", "Easy"]
    );
    assert_eq!(
        page.attrs("[data-grade] button", "data-grade"),
        ["1", "2", "3", "4"]
    );
    assert_eq!(
        page.attrs("[data-grade] button", "aria-keyshortcuts"),
        ["1", "2", "3", "4"]
    );
    assert_eq!(
        page.attr("[data-grade][role=group]", "aria-labelledby"),
        "grade-label"
    );
    assert_eq!(page.text("#grade-label"), "How well did you know it?");
    assert_eq!(page.attr("[data-grade-status]", "role"), "status");

    assert_eq!(
        page.attr(".needs-script[data-note] textarea", "id"),
        "note-text"
    );
    assert_eq!(
        page.text("[data-note] label[for=note-text]"),
        "Your notes on this question"
    );
    assert_eq!(page.attr("[data-note-status]", "aria-live"), "polite");

    // The scripts load, the scheduler, the storage rules (which the answer-first loop uses),
    // the answer-first loop, pair practice, the study plan and offline support before the page
    // script that uses them, each from this origin with a hashed name.
    let scripts = page.attrs("script[src]", "src");
    assert_eq!(scripts.len(), 8, "{scripts:?}");
    for (script, name) in scripts.iter().zip([
        "srs",
        "storage",
        "answer",
        "scorecard",
        "plan",
        "keep",
        "offline",
        "app",
    ]) {
        assert!(
            script.starts_with(&format!("/static/{name}.")) && script.ends_with(".js"),
            "{scripts:?}"
        );
    }
    assert_eq!(page.attrs("script[src][defer]", "src").len(), 8);
    let srs = get(&scripts[0]).await;
    assert_eq!(srs.status, 200);
    assert_eq!(
        srs.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(srs.body.contains("FSRS-5"));
}
