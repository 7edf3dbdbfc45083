//! The canonical question page and the redirects to it.

use crate::common::{assert_in_layout, get};

const FIRST: &str = "/questions/1/what-is-the-first-question";

#[actix_web::test]
async fn question_page_shows_the_question_with_the_answer_behind_a_reveal() {
    let page = get(FIRST).await;
    assert_eq!(page.status, 200);
    assert_in_layout(&page);
    assert_eq!(page.text("h1"), "What is the first question?");
    assert_eq!(page.texts(".breadcrumb a"), ["Home", "Basics"]);
    assert_eq!(
        page.attrs(".breadcrumb a", "href"),
        ["/", "/categories/basics"]
    );
    assert_eq!(page.text(".question-meta .badge"), "Easy");
    assert_eq!(
        page.text(".question-meta span:not(.badge)"),
        "Question 1 of 3 in Basics"
    );
    assert_eq!(
        page.attrs(".question-header .tags a", "href"),
        ["/tags/alpha", "/tags/beta"]
    );
    assert!(page.text(".think-first").starts_with("Think first"));

    assert_eq!(page.text("details.answer > summary"), "Show answer");
    assert!(
        page.attrs("details.answer", "open").is_empty(),
        "answer hidden until revealed"
    );
    assert_eq!(
        page.text("details.answer .in-brief"),
        "In brief: The first question, in brief."
    );
    assert_eq!(page.text("details.answer h2#answer-why"), "Why");
    assert_eq!(
        page.attrs("details.answer pre.code", "data-lang"),
        ["python", "python"],
        "the answer's code block, then its follow-up's"
    );
    assert_eq!(
        page.attrs("details.answer .follow-up-answer pre.code", "data-lang"),
        ["python"]
    );
    assert_eq!(
        page.texts("details.answer ul.key-points > li"),
        ["first point", "second point with code", "third point"]
    );
    assert_eq!(
        page.attrs(".related a", "href"),
        [
            "/questions/2/what-is-the-second-question",
            "/questions/10/why-is-the-tenth-question-in-another-category"
        ]
    );
    assert!(
        page.attrs(".pager-prev", "href").is_empty(),
        "first question has no previous"
    );
    assert_eq!(
        page.attr(".pager-next", "href"),
        "/questions/2/what-is-the-second-question"
    );
}

#[actix_web::test]
async fn question_page_has_share_links_and_a_copy_button() {
    let page = get(FIRST).await;
    let url = format!("https://drill.example{FIRST}");
    assert_eq!(page.attr("link[rel=canonical]", "href"), url);
    assert_eq!(page.attr("meta[property='og:url']", "content"), url);
    assert_eq!(page.attr("meta[property='og:type']", "content"), "article");
    assert_eq!(
        page.attr("meta[property='og:title']", "content"),
        "What is the first question?"
    );
    assert_eq!(
        page.attr("meta[property='og:description']", "content"),
        "The first question, in brief."
    );
    assert_eq!(
        page.attr("meta[name=description]", "content"),
        "The first question, in brief."
    );
    assert_eq!(
        page.text("title"),
        "What is the first question? | drilltest"
    );
    assert_eq!(
        page.text(".share-url"),
        url,
        "the URL is shown without script"
    );
    assert_eq!(page.attr("button.copy-link", "data-copy"), url);
    assert_eq!(
        page.attrs("button.copy-link", "hidden").len(),
        1,
        "the script reveals it"
    );
}

#[actix_web::test]
async fn middle_and_last_questions_link_both_ways() {
    let middle = get("/questions/2/what-is-the-second-question").await;
    assert_eq!(
        middle.text(".question-meta span:not(.badge)"),
        "Question 2 of 3 in Basics"
    );
    assert_eq!(middle.attr(".pager-prev", "href"), FIRST);
    assert!(
        middle
            .attr(".pager-next", "href")
            .starts_with("/questions/3/")
    );

    let last = get("/questions/10/why-is-the-tenth-question-in-another-category").await;
    assert_eq!(
        last.text(".question-meta span:not(.badge)"),
        "Question 1 of 1 in Extras"
    );
    assert!(last.attrs(".pager a", "href").is_empty());
}

#[actix_web::test]
async fn other_spellings_redirect_permanently_to_the_canonical_url() {
    for uri in [
        "/questions/1",
        "/questions/1/wrong-slug",
        "/questions/01/what-is-the-first-question",
        "/questions/+1/what-is-the-first-question",
        "/questions/1/WHAT-IS-THE-FIRST-QUESTION",
    ] {
        let page = get(uri).await;
        assert_eq!(page.status, 301, "{uri}");
        assert_eq!(page.header("location"), Some(FIRST), "{uri}");
        // The target follows the title, so caches keep the redirect only as long as a page.
        assert_eq!(
            page.header("cache-control"),
            Some(drillbook::web::cache::CachePolicy::Page.header_value()),
            "{uri}"
        );
    }
}

#[actix_web::test]
async fn unknown_or_malformed_ids_are_404_pages() {
    for (uri, shown) in [
        ("/questions/999", "999"),
        ("/questions/999/anything", "999"),
        ("/questions/abc", "abc"),
        ("/questions/abc/def", "abc"),
        ("/questions/-1", "-1"),
        ("/questions/99999999999999999999", "99999999999999999999"),
    ] {
        let page = get(uri).await;
        assert_eq!(page.status, 404, "{uri}");
        assert_in_layout(&page);
        assert_eq!(
            page.text(".lead"),
            format!("There is no question with id `{shown}`."),
            "{uri}"
        );
    }
}

#[actix_web::test]
async fn content_markup_is_escaped_everywhere_it_appears() {
    let page = get("/questions/3/is-script-alert-title-script-this-escaped").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.text("h1"),
        "Is <script>alert('title')</script> & \"this\" escaped?"
    );
    for live in [
        "<script>alert",
        "<img src=x",
        "<div onclick",
        "<a href=\"javascript:",
        "<b>not",
    ] {
        assert!(!page.body.contains(live), "{live} is live in the page");
    }
    assert_eq!(
        page.text("ul.key-points li"),
        "<b>not bold</b>",
        "shown as text"
    );
}

#[actix_web::test]
async fn links_between_answers_go_straight_to_the_canonical_url() {
    let page = get(FIRST).await;
    let second = "/questions/2/what-is-the-second-question";
    assert!(
        page.attrs("details.answer a", "href")
            .contains(&format!("{second}#why")),
        "`/questions/2#why` in the Markdown is resolved, fragment kept:\n{}",
        page.body
    );
    assert_eq!(get(second).await.status, 200);
}

/// Elements an answer may contain: what Markdown makes, plus the site's own wrappers for tables
/// and highlighted code. Anything else in an answer came from the content as live markup.
const ANSWER_ELEMENTS: &[&str] = &[
    "p",
    "a",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "span",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "div",
    "sup",
    "section",
    "img",
    "mark",
];

#[actix_web::test]
async fn raw_html_scripts_and_handlers_in_content_never_reach_a_page_live() {
    let question = get("/questions/3/is-script-alert-title-script-this-escaped").await;
    let search = get("/search?q=heading+attributes").await;
    let category = get("/categories/basics").await;
    for (page, answer) in [
        (&question, "details.answer .answer-body"),
        (&category, "details.item-answer .answer-body"),
        (&search, "main .question-item"),
    ] {
        assert_eq!(page.status, 200);
        let html = page.html();
        let any = scraper::Selector::parse("*").expect("selector");
        for element in html.select(&any) {
            let tag = element.value().name();
            assert!(
                !["script", "iframe", "svg", "style", "object", "embed"].contains(&tag)
                    || element
                        .value()
                        .attr("src")
                        .is_some_and(|src| src.starts_with("/static/")),
                "live <{tag}>: {}",
                element.html()
            );
            for (name, value) in element.value().attrs() {
                assert!(!name.starts_with("on"), "handler {name}={value}");
                if matches!(name, "href" | "src") {
                    let scheme = value.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
                    assert!(
                        scheme.is_none_or(|s| ["http", "https", "mailto"].contains(&s.as_str())
                            || s.contains('/')),
                        "{name}={value}"
                    );
                }
            }
        }
        let inside = scraper::Selector::parse(&format!("{answer} *")).expect("selector");
        for element in html.select(&inside) {
            let tag = element.value().name();
            // The site folds each follow-up in a <details class="follow-up"> of its own.
            let follow_up = |e: scraper::ElementRef<'_>| {
                e.value().name() == "details" && e.value().classes().eq(["follow-up"])
            };
            let ours = match tag {
                "details" => follow_up(element),
                "summary" => element
                    .parent()
                    .and_then(scraper::ElementRef::wrap)
                    .is_some_and(follow_up),
                _ => ANSWER_ELEMENTS.contains(&tag),
            };
            assert!(ours, "<{tag}> in an answer: {}", element.html());
            assert!(
                element.value().attr("style").is_none(),
                "style attribute in an answer: {}",
                element.html()
            );
        }
    }
    let answer = question.text("details.answer .answer-body");
    for shown in [
        "<iframe src=\"https://evil.example\"></iframe>",
        "<svg onload=alert(5)>",
        "<details open ontoggle=alert(6)>",
    ] {
        assert!(
            answer.contains(shown),
            "{shown} is shown as text in:\n{answer}"
        );
    }
    for dropped in [
        "alert(7)",
        "alert(8)",
        "alert(9)",
        "alert(10)",
        "alert(12)",
        "alert(16)",
    ] {
        assert!(
            !question
                .attrs("a", "href")
                .iter()
                .any(|href| href.contains(dropped)),
            "{dropped} kept as a link"
        );
    }
}

#[actix_web::test]
async fn follow_ups_come_folded_after_the_answer_with_the_review_date() {
    let page = get("/questions/1/what-is-the-first-question").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.texts("details.answer .follow-ups-section > h2"),
        ["An interviewer may ask next"],
        "inside the revealed answer"
    );
    assert_eq!(
        page.texts("details.answer .follow-ups details.follow-up > summary"),
        [
            "What does a quokka-shaped follow-up ask?",
            "And a second one, with code?"
        ]
    );
    assert!(
        page.attrs("details.follow-up", "open").is_empty(),
        "each follow-up folded until opened"
    );
    assert_eq!(
        page.texts("details.follow-up > summary code"),
        ["follow-up"],
        "inline code kept in the question"
    );
    assert!(
        page.text("details.follow-up .follow-up-answer")
            .starts_with("It asks what comes next."),
    );
    let html = page.body.as_str();
    let at = |needle: &str| {
        html.find(needle)
            .unwrap_or_else(|| panic!("{needle} not on the page"))
    };
    assert!(
        at("id=\"key-points\"") < at("id=\"follow-ups\""),
        "after the answer and its key points"
    );
    assert_eq!(
        page.text(".question-meta .reviewed"),
        "Reviewed 30 November 2026"
    );
    assert_eq!(
        page.attr(".question-meta .reviewed time", "datetime"),
        "2026-11-30"
    );

    let second = get("/questions/2/what-is-the-second-question").await;
    assert!(
        second.texts(".follow-ups-section").is_empty(),
        "none, no heading"
    );
    assert!(
        second.texts(".reviewed").is_empty(),
        "no review date, none shown"
    );
}

#[actix_web::test]
async fn the_study_sheet_carries_the_follow_ups() {
    let page = get("/categories/basics").await;
    let first = ".question-item[data-question-id='1'] details.item-answer";
    assert_eq!(
        page.texts(&format!("{first} .follow-ups details.follow-up > summary")),
        [
            "What does a quokka-shaped follow-up ask?",
            "And a second one, with code?"
        ]
    );
    assert!(
        page.texts(".question-item[data-question-id='2'] .follow-ups")
            .is_empty(),
        "a question without follow-ups shows none"
    );
}
