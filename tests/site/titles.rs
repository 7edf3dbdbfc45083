//! Every page's `<title>` fits what search results and chat apps show, 70 characters with the
//! site's name last; a question's wording is never cut (a question too long for both is the whole
//! title), and link previews keep the page's full title.

use actix_web::test::{self, TestRequest};
use drillbook::bank::Question;
use drillbook::bank::title::MAX_TITLE_CHARS;
use drillbook::web;
use scraper::{Html, Selector};

use crate::common::{Page, call, shipped_state};

const LIMIT: usize = 70;
const SUFFIX: &str = " | drillbook";
const HOME_TITLE: &str = "Backend Python interview questions and mock interviews | drillbook";

/// A page's `<title>` and `og:title`, exactly as written (entities decoded, spaces kept).
fn titles(page: &Page) -> (String, String) {
    let html = Html::parse_document(&page.body);
    let title = Selector::parse("head > title").expect("selector");
    let og = Selector::parse("meta[property='og:title']").expect("selector");
    let titles: Vec<String> = html.select(&title).map(|t| t.text().collect()).collect();
    assert_eq!(titles.len(), 1, "one <title>");
    let og_title = html
        .select(&og)
        .next()
        .and_then(|m| m.value().attr("content"))
        .expect("og:title")
        .to_string();
    (titles[0].clone(), og_title)
}

/// The question a question page's URL (canonical, or a step of study mode) shows.
fn question_of<'a>(bank: &'a drillbook::bank::Bank, url: &str) -> Option<&'a Question> {
    let id = url.strip_prefix("/questions/")?.split(['/', '?']).next()?;
    bank.question(id.parse().ok()?)
}

/// Checks the titles of a page that is not a question's; the `<title>`.
fn assert_generated(url: &str, page: &Page) -> String {
    let (title, og_title) = titles(page);
    let length = title.chars().count();
    assert!(length <= LIMIT, "{url}: {length} characters: {title}");
    assert!(
        title.ends_with(SUFFIX),
        "{url}: the site's name last: {title}"
    );
    assert!(!og_title.is_empty(), "{url}");
    title
}

#[actix_web::test]
async fn every_page_of_the_shipped_bank_has_a_title_that_fits_and_questions_stay_verbatim() {
    assert_eq!(MAX_TITLE_CHARS, LIMIT);
    let state = shipped_state();
    let bank = &state.content.bank;
    let app = test::init_service(web::app(state.clone())).await;
    let mut urls: Vec<String> = state.site.urls().map(String::from).collect();
    urls.sort();
    let (mut pages, mut bare_questions, mut longest) = (0, 0, String::new());
    for url in &urls {
        let page: Page = call(&app, TestRequest::get().uri(url)).await.into();
        assert_eq!(page.status, 200, "{url}");
        if page.header("content-type") != Some("text/html; charset=utf-8") {
            continue;
        }
        pages += 1;
        let title = match question_of(bank, url) {
            Some(question) => {
                let (title, og_title) = titles(&page);
                let whole = format!("{}{SUFFIX}", question.title);
                if whole.chars().count() <= LIMIT {
                    assert_eq!(title, whole, "{url}");
                } else {
                    assert_eq!(title, question.title, "{url}: the question alone, uncut");
                    bare_questions += 1;
                }
                assert_eq!(og_title, question.title, "{url}");
                title
            }
            None => assert_generated(url, &page),
        };
        if title.chars().count() > longest.chars().count() {
            longest = title;
        }
    }
    assert!(
        pages > 3 * bank.len(),
        "every question, study step and list: {pages}"
    );
    assert!(
        bare_questions > 0,
        "the shipped bank has questions too long for the suffix"
    );
    eprintln!(
        "longest title, {} characters: {longest}",
        longest.chars().count()
    );

    let home: Page = call(&app, TestRequest::get().uri("/")).await.into();
    assert_eq!(titles(&home).0, HOME_TITLE);
    assert!(HOME_TITLE.chars().count() <= LIMIT);
}

#[actix_web::test]
async fn pages_made_per_request_shorten_their_titles_at_a_word() {
    let state = shipped_state();
    let app = test::init_service(web::app(state.clone())).await;
    let get = |uri: String| {
        let app = &app;
        async move { Page::from(call(app, TestRequest::get().uri(&uri)).await) }
    };

    let words = "why does my asyncio event loop block ".repeat(8);
    let query = words.trim_end();
    assert!(query.len() >= 290);
    for query in [query.to_string(), "q".repeat(300)] {
        let url = format!("/search?q={}", query.replace(' ', "+"));
        let page = get(url.clone()).await;
        assert_eq!(page.status, 200, "{url}");
        let title = assert_generated(&url, &page);
        assert!(title.ends_with(&format!("…{SUFFIX}")), "{title}");
        assert!(title.starts_with("Search results for "), "{title}");
        let kept = title
            .trim_start_matches("Search results for ")
            .trim_end_matches(&format!("…{SUFFIX}"));
        assert!(query.starts_with(kept) && !kept.is_empty(), "{title}");
        if query.contains(' ') {
            let next = &query[kept.len()..];
            assert!(next.starts_with(' '), "cut at a word: {title}");
        }
        let (_, og_title) = titles(&page);
        assert_eq!(
            og_title,
            format!("Search results for {query}"),
            "full in previews"
        );
    }

    let category = &state.content.bank.categories()[0].slug;
    let started = call(
        &app,
        TestRequest::post()
            .uri("/mock")
            .insert_header(("content-type", "application/x-www-form-urlencoded"))
            .set_payload(format!(
                "category={category}&difficulty=any&count=3&minutes=2"
            )),
    )
    .await;
    assert_eq!(started.status, 303);
    let first = started.header("location").expect("location").to_string();
    let code = first
        .strip_prefix("/mock/")
        .and_then(|rest| rest.strip_suffix("/1"))
        .expect("an interview's first question");
    for url in [
        first.clone(),
        format!("/mock/{code}/results"),
        format!("/mock/{code}/interviewer"),
        format!("/mock/{code}/interviewer/1"),
    ] {
        let page = get(url.clone()).await;
        assert_eq!(page.status, 200, "{url}");
        assert_generated(&url, &page);
    }

    for (url, status) in [
        ("/no/such/page".to_string(), 404),
        (format!("/tags/{}", "x".repeat(300)), 404),
        ("/search?page=0".to_string(), 400),
    ] {
        let page = get(url.clone()).await;
        assert_eq!(page.status, status, "{url}");
        assert_generated(&url, &page);
    }
}
