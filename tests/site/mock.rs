//! The mock interview over HTTP: setup form, start, every page of a set, results, bad input.

use drillbook::bank::Difficulty;
use drillbook::mock::{Categories, Plan, decode};

use crate::common::{assert_in_layout, get, post_form, start_interview as start};

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
    let Ok(Plan::Draw { settings, .. }) = decode(&code) else {
        panic!("{code} is not a drawn interview's code");
    };
    assert_eq!(settings.count, 2);
    assert_eq!(settings.minutes, 4);
    assert_eq!(settings.difficulty, None);
    assert!(matches!(settings.categories, Categories::Only(ref keys) if keys.len() == 1));

    let all = start("category=basics&category=extras&difficulty=easy&count=2&minutes=1").await;
    let Ok(Plan::Draw { settings, .. }) = decode(&all) else {
        panic!("{all} is not a drawn interview's code");
    };
    assert_eq!(
        settings.categories,
        Categories::All,
        "every category ticked means all"
    );
    assert_eq!(settings.difficulty, Some(Difficulty::Easy));
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
        let points = page.attrs("[data-answer-check] input[name=point]", "value");
        assert!(!points.is_empty(), "key points are checkboxes");
        assert_eq!(
            page.texts("details.answer .key-points li").len(),
            points.len(),
            "and listed in the answer, for readers without script"
        );
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
    // Rows are grouped by category; each keeps the number it was asked at.
    let mut by_number: Vec<(usize, String)> = results
        .attrs(".results-table tbody tr[data-number]", "data-number")
        .iter()
        .map(|n| n.parse().expect("a number"))
        .zip(results.texts(".results-table tbody td:nth-child(2) a"))
        .collect();
    by_number.sort();
    assert_eq!(
        by_number
            .into_iter()
            .map(|(_, title)| title)
            .collect::<Vec<_>>(),
        seen,
        "same questions, each under the number it was asked at"
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
        [
            "Retake this set",
            "New interview",
            "Have a friend interview you with these questions"
        ]
    );
    assert_eq!(
        results.attr("form.retry-form", "action"),
        format!("/mock/{code}/retry")
    );
    assert_eq!(results.attr("form.retry-form", "method"), "get");
    assert_eq!(
        results
            .attrs("form.retry-form input[name=q]", "value")
            .len(),
        3
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
        assert_eq!(page.status, 400, "{body}");
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

/// The path and query a 303 sends to.
async fn see_other(uri: &str) -> String {
    let page = get(uri).await;
    assert_eq!(page.status, 303, "{uri}: {}", page.body);
    assert_eq!(page.header("cache-control"), Some("no-store"));
    page.header("location").expect("location").to_string()
}

#[actix_web::test]
async fn results_are_grouped_by_category_with_the_points_of_each() {
    let code = start("category=basics&category=extras&difficulty=any&count=4&minutes=2").await;
    let results = get(&format!("/mock/{code}/results")).await;
    let groups = results.texts(".results-table tbody .category-row th");
    assert_eq!(groups.len(), 2, "{groups:?}");
    assert!(
        groups[0].starts_with("Basics") && groups[0].ends_with("3 questions"),
        "{groups:?}"
    );
    assert!(
        groups[1].starts_with("Extras") && groups[1].ends_with("1 question"),
        "{groups:?}"
    );
    let group_points: Vec<usize> = results
        .attrs(".category-points", "data-points")
        .iter()
        .map(|p| p.parse().expect("a number"))
        .collect();
    let row_points: usize = results
        .attrs("tr[data-number]", "data-points")
        .iter()
        .map(|p| p.parse::<usize>().expect("a number"))
        .sum();
    assert_eq!(group_points.iter().sum::<usize>(), row_points);
}

#[actix_web::test]
async fn retry_starts_an_interview_of_exactly_the_ticked_questions_in_their_order() {
    let code = start("category=basics&category=extras&difficulty=any&count=4&minutes=2").await;
    let mut asked = Vec::new();
    for n in 1..=4 {
        asked.push(get(&format!("/mock/{code}/{n}")).await.text("h1"));
    }
    let location = see_other(&format!("/mock/{code}/retry?q=3&q=1&q=3")).await;
    assert_eq!(
        see_other(&format!("/mock/{code}/retry?q=1&q=3")).await,
        location,
        "the same questions give the same link"
    );
    let retry = location
        .strip_prefix("/mock/")
        .and_then(|rest| rest.strip_suffix("/1"))
        .expect("an interview's first page");
    assert!(
        matches!(decode(retry), Ok(Plan::Fixed { minutes: 2, ref ids, blind: false }) if ids.len() == 2)
    );
    let first = get(&format!("/mock/{retry}/1")).await;
    assert_eq!(first.text(".mock-count"), "Question 1 of 2");
    assert_eq!(first.text("h1"), asked[0]);
    assert_eq!(
        first.attr(".timer", "data-seconds"),
        "120",
        "the same time per question"
    );
    assert_eq!(get(&format!("/mock/{retry}/2")).await.text("h1"), asked[2]);
    assert_eq!(get(&format!("/mock/{retry}/3")).await.status, 404);
    let results = get(&format!("/mock/{retry}/results")).await;
    assert_eq!(results.attrs("tr[data-number]", "data-number").len(), 2);
    // A retry can be retried.
    let again = see_other(&format!("/mock/{retry}/retry?q=2")).await;
    let again = get(&again).await;
    assert_eq!(again.text(".mock-count"), "Question 1 of 1");
    assert_eq!(again.text("h1"), asked[2]);
}

#[actix_web::test]
async fn a_retry_without_a_usable_choice_is_a_400_page_saying_why() {
    let code = start("category=basics&category=extras&difficulty=any&count=4&minutes=2").await;
    for (query, says) in [
        ("", "choose at least one question"),
        ("?q=", "is not a question number"),
        ("?q=9", "there is no question 9"),
        ("?q=0", "there is no question 0"),
        ("?q=two", "`two` is not a question number"),
    ] {
        let page = get(&format!("/mock/{code}/retry{query}")).await;
        assert_eq!(page.status, 400, "{query}");
        assert_in_layout(&page);
        assert!(page.body.contains(says), "{query}: {}", page.body);
    }
    assert_eq!(get("/mock/not-a-code/retry?q=1").await.status, 400);
}

#[actix_web::test]
async fn a_blind_interview_hides_difficulty_and_category_until_the_results() {
    let form = get("/mock").await;
    assert_eq!(
        form.attrs("input[name=blind]", "value"),
        ["1"],
        "the setup form offers it"
    );
    assert!(
        form.attrs("input[name=blind]", "checked").is_empty(),
        "off by default"
    );

    let seen = start("category=basics&category=extras&difficulty=any&count=2&minutes=2").await;
    let code =
        start("category=basics&category=extras&difficulty=any&count=2&minutes=2&blind=1").await;
    assert_eq!(decode(&code).map(|p| p.blind()), Ok(true));
    assert_eq!(decode(&seen).map(|p| p.blind()), Ok(false));
    for n in 1..=2 {
        let page = get(&format!("/mock/{code}/{n}")).await;
        assert_eq!(page.status, 200);
        assert!(
            page.texts(".question-meta .badge").is_empty(),
            "no difficulty on {n}"
        );
        assert!(
            page.text(".question-meta.blind")
                .starts_with("Difficulty and category hidden"),
            "question {n} says why"
        );
    }
    let shown = get(&format!("/mock/{seen}/1")).await;
    assert_eq!(
        shown.texts(".question-meta .badge").len(),
        1,
        "shown when not blind"
    );

    let results = get(&format!("/mock/{code}/results")).await;
    assert_eq!(
        results.texts(".result-meta .badge").len(),
        2,
        "the results show difficulty"
    );
    assert!(
        !results.texts(".category-row th").is_empty(),
        "and category"
    );

    let retry = see_other(&format!("/mock/{code}/retry?q=1")).await;
    let retry = retry
        .strip_prefix("/mock/")
        .and_then(|rest| rest.strip_suffix("/1"))
        .expect("an interview's first page");
    assert_eq!(
        decode(retry).map(|p| p.blind()),
        Ok(true),
        "a retry stays blind"
    );

    let bad = post_form("category=basics&difficulty=any&count=2&minutes=2&blind=yes").await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("`blind` is 1"), "{}", bad.body);
}
