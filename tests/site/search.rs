//! `/search` and `/opensearch.xml` through the real app.

use actix_web::test::{self, TestRequest};
use drillbook::web;
use proptest::prelude::*;

use crate::common::{assert_in_layout, call, get, state};

#[actix_web::test]
async fn results_are_ranked_linked_and_highlighted() {
    let page = get("/search?q=second").await;
    assert_eq!(page.status, 200);
    assert_in_layout(&page);
    assert_eq!(page.text("h1"), "Results for “second”");
    let links = page.attrs(".search-results .question-link", "href");
    assert_eq!(
        links[0], "/questions/2/what-is-the-second-question",
        "title match first"
    );
    assert!(
        page.text(".result-count")
            .starts_with(&format!("{} question", links.len()))
    );
    assert!(
        page.body.contains("<mark>"),
        "matches are marked: {}",
        page.body
    );
    assert_eq!(page.texts(".search-result .badge")[0], "Medium");
    assert_eq!(page.attrs("meta[name=robots]", "content"), ["noindex"]);
    assert_eq!(
        page.attr("#site-search", "value"),
        "second",
        "the header box carries the query"
    );
    assert_eq!(page.attr("#search-q", "value"), "second");
}

#[actix_web::test]
async fn stems_and_typos_find_their_question() {
    for (query, expected) in [
        ("questions", "/questions/"),
        ("tenth", "/questions/10/"),
        ("categroy", "/questions/10/"),
        ("\"another category\"", "/questions/10/"),
    ] {
        let page = get(&format!(
            "/search?q={}",
            query.replace(' ', "+").replace('"', "%22")
        ))
        .await;
        assert_eq!(page.status, 200, "{query}");
        let first = page.attrs(".search-results .question-link", "href");
        assert!(
            first.first().is_some_and(|h| h.starts_with(expected)),
            "{query}: {first:?}"
        );
    }
    let typo = get("/search?q=categroy").await;
    assert!(
        typo.text(".corrections").contains("category"),
        "{}",
        typo.body
    );
}

#[actix_web::test]
async fn filters_narrow_results_and_bad_values_are_400() {
    let all = get("/search?q=question").await;
    let easy = get("/search?q=question&difficulty=easy").await;
    assert!(
        easy.texts(".search-result .badge")
            .iter()
            .all(|b| b == "Easy"),
        "{:?}",
        easy.texts(".search-result .badge")
    );
    assert!(easy.texts(".search-result").len() < all.texts(".search-result").len());
    let extras = get("/search?q=question&category=extras").await;
    assert_eq!(
        extras.attrs(".search-results .question-link", "href"),
        ["/questions/10/why-is-the-tenth-question-in-another-category"]
    );
    assert_eq!(
        extras.attrs("#search-category option[selected]", "value"),
        ["extras"]
    );

    for (uri, message) in [
        (
            "/search?q=x&difficulty=medum",
            "`difficulty` must be easy, medium or hard, found `medum`.",
        ),
        (
            "/search?q=x&page=0",
            "`page` must be a whole number from 1, found `0`.",
        ),
        (
            "/search?q=x&page=-1",
            "`page` must be a whole number from 1, found `-1`.",
        ),
        (
            "/search?q=x&page=two",
            "`page` must be a whole number from 1, found `two`.",
        ),
    ] {
        let page = get(uri).await;
        assert_eq!(page.status, 400, "{uri}");
        assert_in_layout(&page);
        assert_eq!(page.text(".lead"), message, "{uri}");
    }
}

/// How many questions a results page says match; 0 when it says none do.
fn matches(page: &crate::common::Page) -> usize {
    let counts = page.texts(".result-count");
    counts
        .first()
        .and_then(|count| count.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The count an option of a filter shows, `Medium (3)` → 3.
fn shown_count(option: &str) -> Option<usize> {
    let (_, count) = option.rsplit_once(" (")?;
    count.strip_suffix(')')?.parse().ok()
}

#[actix_web::test]
async fn each_filter_choice_says_how_many_results_it_would_leave() {
    for query in [
        "q=question",
        "q=question&difficulty=easy",
        "q=question&category=basics",
    ] {
        let page = get(&format!("/search?{query}")).await;
        let categories = page.texts("#search-category option");
        let slugs = page.attrs("#search-category option", "value");
        let difficulties = page.texts("#search-difficulty option");
        let levels = page.attrs("#search-difficulty option", "value");
        assert_eq!(categories.len(), 3, "{categories:?}");
        for (filter, options, values) in [
            ("category", &categories, &slugs),
            ("difficulty", &difficulties, &levels),
        ] {
            for (option, value) in options.iter().zip(values) {
                let count = shown_count(option).unwrap_or_else(|| panic!("{query}: {option:?}"));
                // The choice, the other filter kept as it is.
                let kept: Vec<&str> = query
                    .split('&')
                    .filter(|p| !p.starts_with(&format!("{filter}=")))
                    .collect();
                let chosen = format!("/search?{}&{filter}={value}", kept.join("&"));
                let narrowed = get(&chosen).await;
                assert_eq!(matches(&narrowed), count, "{query}: {option:?} → {chosen}");
            }
        }
    }
    let none = get("/search?q=question&category=extras&difficulty=hard").await;
    assert_eq!(matches(&none), 0);
    assert!(
        none.texts("#search-difficulty option")
            .contains(&"Hard (0)".to_string()),
        "{:?}",
        none.texts("#search-difficulty option")
    );
    let empty = get("/search").await;
    assert!(
        empty
            .texts("#search-category option")
            .iter()
            .all(|o| shown_count(o).is_none()),
        "no counts without a query"
    );
}

#[actix_web::test]
async fn an_unknown_category_is_a_404_as_on_every_page_that_takes_one() {
    for uri in [
        "/search?q=x&category=nope",
        "/random?category=nope",
        "/export/drillbook.csv?category=nope",
        "/export/drillbook.apkg?category=nope",
        "/categories/nope",
    ] {
        let page = get(uri).await;
        assert_eq!(page.status, 404, "{uri}");
        assert_in_layout(&page);
        assert_eq!(page.text(".lead"), "There is no category `nope`.", "{uri}");
    }
}

#[actix_web::test]
async fn past_the_last_page_is_an_empty_page_with_a_way_back() {
    for far in ["9", "1844674407370955162", &usize::MAX.to_string()] {
        let page = get(&format!("/search?q=question&page={far}")).await;
        assert_eq!(page.status, 200, "page {far}");
        assert!(page.texts(".search-result").is_empty(), "page {far}");
        assert_eq!(page.attr(".lead a", "href"), "/search?q=question");
    }
}

#[actix_web::test]
async fn no_results_say_so_and_suggest() {
    let page = get("/search?q=zzzzqqqq").await;
    assert_eq!(page.status, 200);
    assert!(
        page.text(".no-results .lead")
            .starts_with("No questions match “zzzzqqqq”")
    );
    assert_eq!(
        page.attrs(".no-results .plain-list a", "href"),
        ["/categories/basics", "/categories/extras"]
    );

    let near = get("/search?q=tenthh&category=basics").await;
    assert!(near.texts(".search-result").is_empty());
    assert_eq!(near.attrs(".did-you-mean a", "href"), ["/search?q=tenth"]);
    assert_eq!(
        near.attr(".no-results p a[href='/search?q=tenthh']", "href"),
        "/search?q=tenthh",
        "offers to drop filters"
    );
}

#[actix_web::test]
async fn an_empty_query_shows_the_box_focused_and_popular_topics() {
    let page = get("/search").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.text("h1"), "Search");
    assert_eq!(page.attrs("#search-q[autofocus]", "name"), ["q"]);
    assert_eq!(
        page.attrs(".tag-cloud a", "href"),
        ["/tags/alpha", "/tags/beta", "/tags/gamma"]
    );
    assert_eq!(get("/search?q=+++").await.text("h1"), "Search");
}

#[actix_web::test]
async fn query_language_is_just_text() {
    for raw in [
        "%22unbalanced",
        "AND+OR+NOT",
        "title%3A",
        "*",
        "((",
        "%F0%9F%90%8D",
        "%22%22",
        "-",
        "a%22b%22c%22",
    ] {
        let page = get(&format!("/search?q={raw}")).await;
        assert_eq!(page.status, 200, "{raw}");
        assert_in_layout(&page);
    }
}

#[actix_web::test]
async fn long_queries_and_invalid_utf8_are_400_pages_that_say_why() {
    let long = get(&format!("/search?q={}", "a".repeat(5000))).await;
    assert_eq!(long.status, 400);
    assert_in_layout(&long);
    assert_eq!(
        long.text(".lead"),
        "Search queries are limited to 500 characters; this one has 5000."
    );
    let bytes = get("/search?q=%FF%FE").await;
    assert_eq!(bytes.status, 400);
    assert_eq!(
        bytes.text(".lead"),
        "The query string is not valid UTF-8 text."
    );
}

#[actix_web::test]
async fn hostile_queries_are_escaped() {
    let page = get("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E+second").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("<script>alert"), "{}", page.body);
    assert_eq!(
        page.text("h1"),
        "Results for “<script>alert(1)</script> second”"
    );
}

#[actix_web::test]
async fn opensearch_description_is_served_and_linked() {
    let home = get("/").await;
    assert_eq!(home.attr("link[rel=search]", "href"), "/opensearch.xml");
    assert_eq!(
        home.attr("link[rel=search]", "type"),
        "application/opensearchdescription+xml"
    );
    let xml = get("/opensearch.xml").await;
    assert_eq!(xml.status, 200);
    assert_eq!(
        xml.header("content-type"),
        Some("application/opensearchdescription+xml; charset=utf-8")
    );
    assert!(
        xml.body
            .contains(r#"template="https://drill.example/search?q={searchTerms}""#),
        "{}",
        xml.body
    );
    assert!(xml.body.contains("<ShortName>drilltest</ShortName>"));
}

/// A percent-encoded parameter value: any text, query-language lookalikes, or raw bytes that
/// need not be UTF-8.
fn query_value() -> impl Strategy<Value = String> {
    let encode = |s: String| {
        percent_encoding::utf8_percent_encode(&s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    prop_oneof![
        ".{0,40}".prop_map(encode),
        "[a-z \"*():<>]{0,30}".prop_map(encode),
        "<script>[a-z]{0,5}".prop_map(encode),
        proptest::collection::vec(any::<u8>(), 0..20)
            .prop_map(|bytes| bytes.iter().map(|b| format!("%{b:02X}")).collect()),
    ]
}

#[test]
fn any_search_parameters_give_a_page_never_a_server_error() {
    let system = actix_web::rt::System::new();
    let app = system.block_on(test::init_service(web::app(state())));
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(300));
    runner
        .run(
            &(query_value(), query_value(), query_value(), query_value()),
            |(q, page, category, difficulty)| {
                let uri = format!(
                    "/search?q={q}&page={page}&category={category}&difficulty={difficulty}"
                );
                let response = system.block_on(call(&app, TestRequest::get().uri(&uri)));
                let status = response.status;
                prop_assert!(
                    status.is_success() || status.is_client_error(),
                    "{uri}: {status}"
                );
                prop_assert!(
                    !String::from_utf8_lossy(&response.body).contains("<script>"),
                    "{uri}"
                );
                Ok(())
            },
        )
        .expect("no server errors");
}

#[actix_web::test]
async fn a_follow_ups_words_find_its_question_with_a_snippet_from_it() {
    let page = get("/search?q=quokka").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.attrs(".search-results .question-link", "href"),
        ["/questions/1/what-is-the-first-question"]
    );
    assert!(
        page.body.contains("<mark>quokka</mark>"),
        "the snippet comes from the follow-up: {}",
        page.text(".search-results")
    );
}
