//! Study plans over HTTP: the form, the plan link it makes, a plan's page, and every way a form
//! or a link can be wrong.

use drillbook::mock::{Categories, CategoryKey};
use drillbook::plan::{Pace, StudyPlan, decode, encode};
use time::{Date, Duration, OffsetDateTime};

use crate::common::{Page, assert_in_layout, get};

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// The plan the form makes of `query`: its code, from the 303's Location.
async fn made(query: &str) -> String {
    let page = get(&format!("/plan?{query}")).await;
    assert_eq!(page.status, 303, "{query}: {}", page.body);
    let location = page.header("location").unwrap_or_default();
    location
        .strip_prefix("/plan/")
        .unwrap_or_else(|| panic!("{query} went to {location}"))
        .to_string()
}

/// The form shown again for `query`, and the problem it states.
async fn refused(query: &str) -> (Page, String) {
    let page = get(&format!("/plan?{query}")).await;
    assert_eq!(page.status, 400, "{query}");
    assert_in_layout(&page);
    assert_eq!(page.header("cache-control"), Some("no-store"));
    let problem = page.text("#plan-problem");
    (page, problem)
}

#[actix_web::test]
async fn the_form_has_every_choice_and_works_without_script() {
    let page = get("/plan").await;
    assert_eq!(page.status, 200);
    assert_in_layout(&page);
    assert_eq!(page.text("h1"), "Study plan");
    assert_eq!(page.attr("form.plan-form", "method"), "get");
    assert_eq!(page.attr("form.plan-form", "action"), "/plan");
    assert_eq!(page.attr("input[name=date]", "type"), "date");
    assert_eq!(
        page.attrs("input[name=pace]", "value"),
        ["minutes", "questions"]
    );
    assert_eq!(
        page.attrs("input[name=pace][checked]", "value"),
        ["minutes"]
    );
    assert_eq!(page.attr("input[name=minutes]", "value"), "30");
    assert_eq!(page.attr("input[name=questions]", "value"), "5");
    assert_eq!(
        page.attrs("input[name=category][checked]", "value"),
        ["basics", "extras"]
    );
    assert!(page.attrs("input[name=known][checked]", "value").is_empty());
}

#[actix_web::test]
async fn the_form_makes_a_link_that_encodes_its_choices() {
    let date = today() + Duration::days(21);
    let code = made(&format!(
        "date={date}&pace=questions&questions=4&minutes=30&category=basics&known=1"
    ))
    .await;
    assert_eq!(
        decode(&code),
        Ok(StudyPlan {
            date,
            pace: Pace::QuestionsPerDay(4),
            categories: Categories::Only([CategoryKey::of("basics")].into_iter().collect()),
            include_known: true,
        })
    );
    // Every category ticked means every category, whatever the bank adds later.
    let every = made(&format!(
        "date={date}&pace=minutes&minutes=45&category=basics&category=extras"
    ))
    .await;
    let plan = decode(&every).expect("a plan");
    assert_eq!(plan.categories, Categories::All);
    assert_eq!(plan.pace, Pace::MinutesPerDay(45));
    assert!(!plan.include_known);
}

#[actix_web::test]
async fn a_plan_page_lists_its_questions_for_the_script_and_says_what_it_holds() {
    let date = today() + Duration::days(10);
    let code = made(&format!(
        "date={date}&pace=minutes&minutes=45&category=basics"
    ))
    .await;
    let page = get(&format!("/plan/{code}")).await;
    assert_eq!(page.status, 200);
    assert_in_layout(&page);
    assert!(page.text("h1").starts_with("Study plan to "));
    assert_eq!(page.attr("meta[name=robots]", "content"), "noindex");
    assert_eq!(
        page.text(".lead"),
        "3 questions: 1 hard, 1 medium, 1 easy, from Basics, at 45 minutes a day, leaving out \
         questions you have marked known."
    );
    assert_eq!(page.attr("[data-plan]", "data-plan-code"), code);
    assert_eq!(page.attr("[data-plan]", "data-plan-date"), date.to_string());
    assert_eq!(page.attr("[data-plan]", "data-plan-unit"), "minutes");
    assert_eq!(page.attr("[data-plan]", "data-plan-amount"), "45");
    assert_eq!(
        page.attr("[data-plan]", "data-plan-query"),
        format!("date={date}&pace=minutes&minutes=45&category=basics")
    );
    // The Basics questions only, hardest first, each opening in study mode.
    assert_eq!(
        page.attrs("[data-plan-questions] .question-item", "data-question-id"),
        ["3", "2", "1"]
    );
    assert_eq!(
        page.attrs("[data-plan-questions] .question-item", "data-difficulty"),
        ["hard", "medium", "easy"]
    );
    assert!(
        page.attrs("[data-plan-questions] .question-link", "href")
            .iter()
            .all(|href| href.ends_with("?study=1"))
    );
    // Without script the page says what needs it; the form to change the plan holds its values.
    assert!(page.body.contains("<noscript>"));
    assert_eq!(
        page.attr(".plan-change input[name=date]", "value"),
        date.to_string()
    );
    assert_eq!(
        page.attrs(".plan-change input[name=category][checked]", "value"),
        ["basics"]
    );
    assert!(page.texts(".form-problem[role=alert]").is_empty());
}

#[actix_web::test]
async fn a_plan_whose_date_has_passed_says_so_without_script() {
    let code = encode(&StudyPlan {
        date: today() - Duration::days(5),
        pace: Pace::QuestionsPerDay(3),
        categories: Categories::All,
        include_known: false,
    });
    let page = get(&format!("/plan/{code}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.text(".form-problem[role=alert]")
            .contains("has passed")
    );
}

#[actix_web::test]
async fn bad_choices_get_the_form_back_saying_what_to_change() {
    let soon = today() + Duration::days(7);
    for (query, says) in [
        (
            "pace=minutes&minutes=30&category=basics".to_string(),
            "The interview date must be a date such as 2027-01-15, found ``.".to_string(),
        ),
        (
            "date=24/12/2026&minutes=30&category=basics".into(),
            "The interview date must be a date such as 2027-01-15, found `24/12/2026`.".into(),
        ),
        (
            "date=2026-W52-4&minutes=30&category=basics".into(),
            "The interview date must be a date such as 2027-01-15, found `2026-W52-4`.".into(),
        ),
        (
            format!(
                "date={}&minutes=30&category=basics",
                today() - Duration::days(3)
            ),
            format!(
                "The interview date, {}, has passed: choose a later one.",
                today() - Duration::days(3)
            ),
        ),
        (
            format!("date={soon}&pace=hours&category=basics"),
            "The pace is counted in minutes or questions a day, found `hours`.".into(),
        ),
        (
            format!("date={soon}&pace=minutes&minutes=5&category=basics"),
            "The minutes a day must be a whole number from 10 to 480, found `5`.".into(),
        ),
        (
            format!("date={soon}&pace=questions&questions=lots&category=basics"),
            "The new questions a day must be a whole number from 1 to 100, found `lots`.".into(),
        ),
        (
            format!("date={soon}&minutes=30"),
            "Choose at least one category.".into(),
        ),
        (
            format!("date={soon}&minutes=30&category=basics&known=yes"),
            "`known` is 1 (study questions already marked known) or left out, found `yes`.".into(),
        ),
    ] {
        let (_, problem) = refused(&query).await;
        assert_eq!(problem, says, "{query}");
    }
    let far = today() + Duration::days(800);
    let (_, problem) = refused(&format!("date={far}&minutes=30&category=basics")).await;
    assert!(problem.contains("is more than 730 days away"), "{problem}");
    // What was sent is shown again, escaped.
    let (page, problem) = refused(&format!(
        "date={soon}&minutes=30&category=%3Cscript%3Ex%3C%2Fscript%3E"
    ))
    .await;
    assert_eq!(problem, "There is no category `<script>x</script>`.");
    assert!(!page.body.contains("<script>x"));
    assert_eq!(page.attr("input[name=date]", "value"), soon.to_string());
}

#[actix_web::test]
async fn bad_links_are_explained() {
    let good = encode(&StudyPlan {
        date: today() + Duration::days(9),
        pace: Pace::MinutesPerDay(60),
        categories: Categories::All,
        include_known: false,
    });
    let mut tampered = good.clone().into_bytes();
    tampered[3] = if tampered[3] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("ascii");
    for (path, says) in [
        (
            "/plan/%3Cb%3Enope".to_string(),
            "`&#60;b&#62;nope` is not a study-plan code.",
        ),
        (format!("/plan/{tampered}"), "changed or mistyped"),
        ("/plan/CQAA".into(), "format 9"),
    ] {
        let page = get(&path).await;
        assert_eq!(page.status, 400, "{path}");
        assert_in_layout(&page);
        assert!(page.body.contains(says), "{path}: {}", page.body);
        assert!(!page.body.contains("<b>nope"));
        assert!(page.body.contains("href=\"/plan\""), "a way to a new plan");
    }
    // A plan of categories the bank no longer has.
    let gone = encode(&StudyPlan {
        date: today() + Duration::days(9),
        pace: Pace::MinutesPerDay(60),
        categories: Categories::Only([CategoryKey::of("removed")].into_iter().collect()),
        include_known: false,
    });
    let page = get(&format!("/plan/{gone}")).await;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("None of this plan"), "{}", page.body);
}
