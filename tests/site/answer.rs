//! "Your answer" as the server sends it: the box, the recorder and the key points to tick on
//! question and mock interview pages, what the page says without script, and the results'
//! review of every answer.

use crate::common::{Page, get, start_interview};

const FIRST: &str = "/questions/1/what-is-the-first-question";

/// The controls every page that records shares.
fn assert_answer_box(page: &Page, key_points: usize, what: &str) {
    assert_eq!(
        page.attr(
            ".your-answer.needs-script[data-answer-first] textarea",
            "id"
        ),
        "answer-text",
        "{what}"
    );
    assert_eq!(
        page.texts("label[for=answer-text]"),
        ["Type it, record it, or both"],
        "{what}: the box is labelled"
    );
    assert_eq!(page.text("button[data-record]"), "Record", "{what}");
    assert_eq!(
        page.attr("button[data-record]", "aria-keyshortcuts"),
        "m",
        "{what}"
    );
    assert_eq!(
        page.attr("meter[data-record-level]", "aria-label"),
        "Microphone level",
        "{what}: the level meter has a name"
    );
    assert_eq!(
        page.attrs("[data-answer-check][hidden] input[name=point]", "value")
            .len(),
        key_points,
        "{what}: one box per key point, hidden until the reveal"
    );
    assert_eq!(
        page.text("[data-answer-check] legend"),
        "Which of these did you say?",
        "{what}"
    );
    assert!(
        page.body.contains(
            "<noscript><p class=\"note\">Answering here, typed or recorded, needs JavaScript;"
        ),
        "{what}: without script the page says so"
    );
    // The box comes first, then our answer, in one block the stylesheet can set side by side.
    assert_eq!(
        page.attrs(".compare > *", "class"),
        ["your-answer needs-script", "answer"],
        "{what}"
    );
}

#[actix_web::test]
async fn question_pages_have_the_answer_box_before_the_answer() {
    let page = get(FIRST).await;
    assert_eq!(page.status, 200);
    assert_answer_box(&page, 3, FIRST);
    assert_eq!(
        page.texts(".your-answer [data-grade] button"),
        ["Again", "Hard", "Good", "Easy"],
        "the review grades sit under the ticks"
    );
    assert!(
        page.attrs(".your-answer input[name=grade]", "value")
            .is_empty()
    );
    let study = get(&format!("{FIRST}?study=1")).await;
    assert_answer_box(&study, 3, "study mode");
}

#[actix_web::test]
async fn mock_pages_have_the_answer_box_and_the_results_review_every_answer() {
    let code = start_interview("category=basics&difficulty=any&count=3&minutes=2").await;
    let code = code.as_str();
    let mut ids = Vec::new();
    for n in 1..=3 {
        let page = get(&format!("/mock/{code}/{n}")).await;
        let points = page.texts("details.answer .key-points li").len();
        assert_answer_box(&page, points, &format!("question {n}"));
        assert_eq!(
            page.attrs(".your-answer input[name=grade]", "value"),
            ["missed", "partial", "solid"]
        );
        assert!(page.texts(".your-answer [data-grade] button").is_empty());
        ids.push(page.attr(".mock", "data-question-id"));
    }
    let results = get(&format!("/mock/{code}/results")).await;
    assert_eq!(results.status, 200);
    assert_eq!(
        results.attrs(".interview-answers.needs-script article", "data-number"),
        ["1", "2", "3"],
        "every question, in the order asked"
    );
    assert_eq!(
        results.attrs(".interview-answers article", "data-question-id"),
        ids
    );
    for n in 1..=3 {
        let article = format!("article[data-number='{n}']");
        let title = results.text(&format!("{article} h3 a"));
        assert!(!title.is_empty());
        assert_eq!(
            results.attrs(&format!("{article} .badge"), "class").len(),
            1,
            "the results show the difficulty, blind or not"
        );
        assert_eq!(
            results.text(&format!("{article} [data-answer-body]")),
            "Nothing typed or recorded."
        );
    }
}
