//! The mock interview over HTTP: setup form, start, every page of a set, results, bad input.

use actix_web::test::TestRequest;
use drillbook::bank::Difficulty;
use drillbook::mock::{Categories, decode};

use crate::common::{Page, assert_in_layout, get, send};

async fn post_form(body: &str) -> Page {
    send(
        TestRequest::post()
            .uri("/mock")
            .insert_header(("content-type", "application/x-www-form-urlencoded"))
            .set_payload(body.to_string()),
    )
    .await
}

/// Starts an interview and returns its code.
async fn start(body: &str) -> String {
    let started = post_form(body).await;
    assert_eq!(started.status, 303, "{}", started.body);
    let location = started.header("location").expect("location").to_string();
    let code = location
        .strip_prefix("/mock/")
        .and_then(|rest| rest.strip_suffix("/1"))
        .unwrap_or_else(|| panic!("unexpected location {location}"));
    code.to_string()
}

#[actix_web::test]
async fn setup_form_has_every_choice_at_its_default() {
    let page = get("/mock").await;
    assert_eq!(page.status, 200);
    assert_in_layout(&page);
    assert_eq!(page.text("h1"), "Mock interview");
    assert_eq!(page.attr("form.mock-setup", "method"), "post");
    assert_eq!(page.attr("form.mock-setup", "action"), "/mock");
    assert_eq!(
        page.attrs("input[name=category]", "value"),
        ["basics", "extras"]
    );
    assert_eq!(
        page.attrs("input[name=category][checked]", "value").len(),
        2,
        "all on by default"
    );
    assert_eq!(
        page.attrs("input[name=difficulty]", "value"),
        ["any", "easy", "medium", "hard"]
    );
    assert_eq!(
        page.attrs("input[name=difficulty][checked]", "value"),
        ["any"]
    );
    assert_eq!(page.attr("input[name=count]", "value"), "5");
    assert_eq!(
        (
            page.attr("input[name=count]", "min"),
            page.attr("input[name=count]", "max")
        ),
        ("1".into(), "20".into())
    );
    assert_eq!(page.attr("input[name=minutes]", "value"), "3");
    assert_eq!(
        (
            page.attr("input[name=minutes]", "min"),
            page.attr("input[name=minutes]", "max")
        ),
        ("1".into(), "15".into())
    );
    assert!(page.texts("label[for=count]")[0].starts_with("Number of questions"));
}

#[actix_web::test]
async fn starting_encodes_the_choices_in_the_code() {
    let code = start("category=basics&difficulty=any&count=2&minutes=4").await;
    let plan = decode(&code).expect("a valid code");
    assert_eq!(plan.settings.count, 2);
    assert_eq!(plan.settings.minutes, 4);
    assert_eq!(plan.settings.difficulty, None);
    assert!(matches!(plan.settings.categories, Categories::Only(ref keys) if keys.len() == 1));

    let all = start("category=basics&category=extras&difficulty=easy&count=2&minutes=1").await;
    let plan = decode(&all).expect("a valid code");
    assert_eq!(
        plan.settings.categories,
        Categories::All,
        "every category ticked means all"
    );
    assert_eq!(plan.settings.difficulty, Some(Difficulty::Easy));
}

#[actix_web::test]
async fn every_page_of_a_set_leads_to_the_next_and_then_to_results() {
    let code = start("category=basics&category=extras&difficulty=any&count=3&minutes=2").await;
    let mut seen = Vec::new();
    for n in 1..=3 {
        let page = get(&format!("/mock/{code}/{n}")).await;
        assert_eq!(page.status, 200, "page {n}");
        assert_in_layout(&page);
        assert_eq!(page.text(".mock-count"), format!("Question {n} of 3"));
        assert_eq!(page.attr("progress", "value"), n.to_string());
        assert_eq!(page.attr("progress", "max"), "3");
        assert_eq!(page.attr(".timer", "data-seconds"), "120");
        assert_eq!(
            page.text(".timer-value"),
            "2:00",
            "the allotted time shows without script"
        );
        assert_eq!(page.text("details.answer > summary"), "Show answer");
        let points = page.attrs("details.answer input[name=point]", "value");
        assert!(!points.is_empty(), "key points are checkboxes");
        assert_eq!(
            page.attrs("input[name=grade]", "value"),
            ["missed", "partial", "solid"]
        );
        assert_eq!(page.attrs("meta[name=robots]", "content"), ["noindex"]);
        assert_eq!(
            page.attr("link[rel=canonical]", "href"),
            format!("https://drill.example/mock/{code}/{n}")
        );
        let next = page.attr("a[data-key-next]", "href");
        if n < 3 {
            assert_eq!(next, format!("/mock/{code}/{}", n + 1));
            assert_eq!(page.text("a[data-key-next]"), "Next question");
        } else {
            assert_eq!(next, format!("/mock/{code}/results"));
            assert_eq!(page.text("a[data-key-next]"), "Finish and see results");
        }
        seen.push(page.text("h1"));
    }
    let distinct: std::collections::BTreeSet<&String> = seen.iter().collect();
    assert_eq!(distinct.len(), 3, "no question asked twice: {seen:?}");

    let results = get(&format!("/mock/{code}/results")).await;
    assert_eq!(results.status, 200);
    assert_in_layout(&results);
    assert_eq!(
        results.texts(".results-table tbody td:nth-child(2) a"),
        seen,
        "same questions, same order"
    );
    for href in results.attrs(".results-table tbody a", "href") {
        assert!(
            href.starts_with("/questions/"),
            "links to the permalink: {href}"
        );
        assert_eq!(get(&href).await.status, 200);
    }
    assert_eq!(
        results.attr("a[data-mock-retake]", "href"),
        format!("/mock/{code}/1")
    );
    assert_eq!(
        results.texts(".actions a"),
        ["Retake this set", "New interview"]
    );
    assert_eq!(
        results.text(".share-url"),
        format!("https://drill.example/mock/{code}/1")
    );
    assert_eq!(results.attrs("meta[name=robots]", "content"), ["noindex"]);
}

#[actix_web::test]
async fn the_same_link_gives_the_same_questions_every_time() {
    let code = start("category=basics&category=extras&difficulty=any&count=4&minutes=3").await;
    let first = get(&format!("/mock/{code}/results"))
        .await
        .texts(".results-table tbody a");
    for _ in 0..3 {
        assert_eq!(
            get(&format!("/mock/{code}/results"))
                .await
                .texts(".results-table tbody a"),
            first
        );
    }
}

#[actix_web::test]
async fn form_problems_show_the_form_again_with_a_message() {
    let cases = [
        (
            "difficulty=any&count=2&minutes=3",
            "Choose at least one category.",
        ),
        (
            "category=basics&category=extras&difficulty=any&count=5&minutes=3",
            "Not enough questions: only 4 questions match",
        ),
        (
            "category=basics&difficulty=hard&count=2&minutes=3",
            "Not enough questions: only 1 question matches",
        ),
        (
            "category=basics&difficulty=any&count=0&minutes=3",
            "The number of questions must be a whole number from 1 to 20, found `0`.",
        ),
        (
            "category=basics&difficulty=any&count=abc&minutes=3",
            "found `abc`",
        ),
        (
            "category=basics&difficulty=any&count=2&minutes=16",
            "The minutes per question must be a whole number from 1 to 15, found `16`.",
        ),
        (
            "category=basics&difficulty=any&count=2",
            "minutes per question must be a whole number",
        ),
        (
            "category=nope&difficulty=any&count=2&minutes=3",
            "There is no category `nope`.",
        ),
        (
            "category=basics&difficulty=extreme&count=2&minutes=3",
            "Difficulty must be any, easy, medium or hard, found `extreme`.",
        ),
        (
            "category=%3Cscript%3E&count=2&minutes=3",
            "There is no category `<script>`.",
        ),
        ("", "Choose at least one category."),
        ("%%%", "Choose at least one category."),
    ];
    for (body, message) in cases {
        let page = post_form(body).await;
        assert_eq!(page.status, 422, "{body}");
        assert_in_layout(&page);
        assert!(
            page.text(".form-problem").contains(message),
            "{body}: {}",
            page.text(".form-problem")
        );
        assert!(!page.body.contains("<script>"), "{body}");
        assert_eq!(
            page.attrs("form.mock-setup", "action"),
            ["/mock"],
            "the form is shown again"
        );
    }
    let kept = post_form("category=extras&difficulty=hard&count=9&minutes=3").await;
    assert_eq!(
        kept.attrs("input[name=category][checked]", "value"),
        ["extras"],
        "choices are kept"
    );
    assert_eq!(
        kept.attrs("input[name=difficulty][checked]", "value"),
        ["hard"]
    );
    assert_eq!(kept.attr("input[name=count]", "value"), "9");
}

#[actix_web::test]
async fn bad_codes_get_a_400_page_offering_a_new_interview() {
    let good = start("category=basics&difficulty=any&count=2&minutes=3").await;
    let mut tampered: Vec<char> = good.chars().collect();
    tampered[3] = if tampered[3] == 'A' { 'B' } else { 'A' };
    let tampered: String = tampered.into_iter().collect();
    for code in [
        "nonsense!",
        "AQ",
        tampered.as_str(),
        "CQAAAAAFAwAAAAA",
        "%3Cscript%3E",
    ] {
        for suffix in ["1", "results"] {
            let page = get(&format!("/mock/{code}/{suffix}")).await;
            assert_eq!(page.status, 400, "{code}/{suffix}");
            assert_in_layout(&page);
            assert_eq!(page.attr(".error-page .button.primary", "href"), "/mock");
            assert_eq!(
                page.text(".error-page .button.primary"),
                "Start a new interview"
            );
            assert!(!page.body.contains("<script>"), "{code}");
        }
    }
}

#[actix_web::test]
async fn question_numbers_out_of_range_are_404_and_non_numbers_400() {
    let code = start("category=basics&difficulty=any&count=2&minutes=3").await;
    for (n, status) in [
        ("0", 404),
        ("3", 404),
        ("999999999999", 404),
        ("99999999999999999999999999", 400),
        ("abc", 400),
        ("-1", 400),
        ("%3Cb%3E", 400),
    ] {
        let page = get(&format!("/mock/{code}/{n}")).await;
        assert_eq!(page.status, status, "question {n}");
        assert_in_layout(&page);
        assert!(!page.body.contains("<b>"), "{n}");
    }
}

#[actix_web::test]
async fn oversized_form_bodies_are_refused() {
    let body = format!(
        "category=basics&count=2&minutes=3&padding={}",
        "x".repeat(64 * 1024)
    );
    let page = post_form(&body).await;
    assert_eq!(page.status, 413);
    assert_in_layout(&page);
}
