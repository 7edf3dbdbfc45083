//! Link-preview cards: every page names one in its Open Graph tags, every card is a PNG of
//! 1200 × 630 cached for a year under a URL that changes with the picture, a URL of an earlier
//! picture is sent on to today's, and a mock interview's card is shared by interviews of the same
//! settings and never names their questions.

use std::path::Path;

use actix_web::test::{self, TestRequest};
use actix_web::web::Data;
use drillbook::bank;
use drillbook::web::{self, AppState};

use drillbook::web::views::card::CardOf;

use crate::common::{Page, Raw, call, card_urls, get, get_raw, respond, start_interview, state};
use crate::tree::copy_tree;

const BASE: &str = "https://drill.example";

/// The width and height in a PNG's header, after checking its signature.
fn png_size(body: &[u8]) -> (u32, u32) {
    assert!(body.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let word = |at: usize| u32::from_be_bytes([body[at], body[at + 1], body[at + 2], body[at + 3]]);
    (word(16), word(20))
}

/// The card path a page's `og:image` names, checked to be absolute on the site.
fn card_path(page: &Page) -> String {
    let image = page.attr(r#"meta[property="og:image"]"#, "content");
    let path = image
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("og:image {image} is not on {BASE}"));
    assert_eq!(page.attr(r#"meta[name="twitter:image"]"#, "content"), image);
    path.to_string()
}

fn assert_is_card(card: &Raw, what: &str) {
    assert_eq!(card.status, 200, "{what}");
    assert_eq!(card.header("content-type"), Some("image/png"), "{what}");
    assert_eq!(
        card.header("cache-control"),
        Some("public, max-age=31536000, immutable"),
        "{what}"
    );
    assert!(
        card.header("etag").is_some_and(|tag| tag.starts_with('"')),
        "{what}"
    );
    assert_eq!(png_size(&card.body), (1200, 630), "{what}");
}

#[actix_web::test]
async fn every_page_names_a_card_with_its_size_and_alt_text() {
    for uri in [
        "/",
        "/about",
        "/categories/basics",
        "/questions/1/what-is-the-first-question",
        "/tags/alpha",
        "/search?q=first",
        "/no/such/page",
    ] {
        let page = get(uri).await;
        let card = card_path(&page);
        assert!(card.starts_with("/cards/"), "{uri}: {card}");
        assert_eq!(
            page.attr(r#"meta[property="og:image:width"]"#, "content"),
            "1200"
        );
        assert_eq!(
            page.attr(r#"meta[property="og:image:height"]"#, "content"),
            "630"
        );
        assert!(
            page.attr(r#"meta[property="og:image:alt"]"#, "content")
                .len()
                > 10
        );
        assert_eq!(
            page.attr(r#"meta[name="twitter:card"]"#, "content"),
            "summary_large_image"
        );
        assert_is_card(&get_raw(&card).await, uri);
    }
    let question = get("/questions/3/x").await;
    let question = get(question.header("location").expect("canonical")).await;
    let alt = question.attr(r#"meta[property="og:image:alt"]"#, "content");
    assert!(
        alt.contains("Is <script>alert('title')</script> & \"this\" escaped?"),
        "{alt}"
    );
    assert!(card_path(&question).starts_with("/cards/questions/3."));
    assert!(card_path(&get("/categories/extras").await).starts_with("/cards/categories/extras."));
    assert_eq!(card_path(&get("/about").await), card_path(&get("/").await));
}

#[actix_web::test]
async fn every_card_of_the_catalog_is_a_png_that_revalidates() {
    let state = state();
    let app = test::init_service(web::app(state.clone())).await;
    let cards = card_urls(&state);
    // Home, two categories, four questions.
    assert_eq!(cards.len(), 1 + 2 + 4, "{cards:?}");
    for url in &cards {
        let card = call(&app, TestRequest::get().uri(url)).await;
        assert_is_card(&card, url);
        let tag = card.header("etag").expect("etag").to_string();
        let again = call(
            &app,
            TestRequest::get()
                .uri(url)
                .insert_header(("if-none-match", tag.as_str())),
        )
        .await;
        assert_eq!(again.status, 304, "{url}");
    }
}

#[actix_web::test]
async fn a_card_is_drawn_on_the_pool_not_by_the_thread_that_reads_requests() {
    let state = Data::new(
        AppState::new(
            bank::load(Path::new("tests/fixtures/valid")).expect("fixture"),
            None,
        )
        .expect("state"),
    );
    let card = card_path(
        &respond(state.clone(), TestRequest::get().uri("/"))
            .await
            .into(),
    );
    let headers = actix_web::http::header::HeaderMap::new();
    assert!(
        state.site.respond_cheaply(&card, &headers).is_none(),
        "an unmade card is left to its handler"
    );
    assert!(state.site.respond_cheaply("/about", &headers).is_some());
    assert_is_card(
        &respond(state.clone(), TestRequest::get().uri(&card)).await,
        &card,
    );
    assert!(
        state.site.respond_cheaply(&card, &headers).is_some(),
        "a card made once is served from memory"
    );
}

#[actix_web::test]
async fn a_card_url_changes_with_its_picture_and_an_earlier_one_is_sent_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(Path::new("tests/fixtures/valid"), dir.path());
    let before = AppState::new(bank::load(dir.path()).expect("bank"), None).expect("state");
    let first = "basics/001-first.md";
    let text = std::fs::read_to_string(dir.path().join(first)).expect("read");
    let edited = text.replace(
        "What is the first question?",
        "What is the very first question?",
    );
    std::fs::write(dir.path().join(first), edited).expect("write");
    let after =
        Data::new(AppState::new(bank::load(dir.path()).expect("bank"), None).expect("state"));

    let (old, new) = (card_urls(&before), card_urls(&after));
    let changed: Vec<_> = old.iter().filter(|url| !new.contains(url)).collect();
    assert_eq!(
        changed.len(),
        1,
        "only the edited question's card moves: {changed:?}"
    );
    assert!(changed[0].starts_with("/cards/questions/1."), "{changed:?}");

    let moved = respond(after.clone(), TestRequest::get().uri(changed[0])).await;
    assert_eq!(moved.status, 302);
    let location = moved.header("location").expect("location").to_string();
    assert!(
        location.starts_with("/cards/questions/1.") && new.contains(&location),
        "{location}"
    );

    for missing in [
        "/cards/questions/99.0123456789abcdef.png",
        "/cards/categories/nope.0123456789abcdef.png",
        "/cards/elsewhere.png",
        "/cards/questions/1.png",
    ] {
        let page: Page = respond(after.clone(), TestRequest::get().uri(missing))
            .await
            .into();
        assert_eq!(page.status, 404, "{missing}");
        assert!(page.body.contains("<!doctype html>"), "{missing}");
    }
}

#[actix_web::test]
async fn a_mock_interview_card_is_shared_by_its_settings_and_names_no_question() {
    let settings = "count=2&minutes=3&category=basics";
    let one = start_interview(settings).await;
    let page = get(&format!("/mock/{one}/1")).await;
    let card = card_path(&page);
    assert!(card.starts_with(&format!("/mock/{one}/card.")), "{card}");
    let alt = page.attr(r#"meta[property="og:image:alt"]"#, "content");
    assert!(alt.contains("2 questions, 3 minutes each"), "{alt}");
    assert!(alt.contains("Basics"), "{alt}");
    for n in 1..=2 {
        let asked = get(&format!("/mock/{one}/{n}")).await.text("h1");
        assert!(
            !alt.contains(&asked),
            "the card names question {n}: {asked}"
        );
    }
    let results = get(&format!("/mock/{one}/results")).await;
    assert_eq!(card_path(&results), card);
    let drawn = get_raw(&card).await;
    assert_is_card(&drawn, &card);

    // Another interview of the same settings: another URL, the same picture.
    let mut two = start_interview(settings).await;
    for _ in 0..20 {
        if two != one {
            break;
        }
        two = start_interview(settings).await;
    }
    assert_ne!(two, one);
    let other = card_path(&get(&format!("/mock/{two}/1")).await);
    let other = get_raw(&other).await;
    assert_is_card(&other, "the second interview's card");
    assert_eq!(other.header("etag"), drawn.header("etag"));

    // An earlier picture's URL is sent on; a bad code is a 400 page.
    let stale = respond(
        state(),
        TestRequest::get().uri(&format!("/mock/{one}/card.0000000000000000.png")),
    )
    .await;
    assert_eq!(stale.status, 302);
    assert_eq!(stale.header("location"), Some(card.as_str()));
    let bad: Page = get("/mock/not-a-code/card.0000000000000000.png").await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("<!doctype html>"));
}

#[test]
fn every_shipped_title_is_whole_and_large_on_its_card() {
    let state = crate::common::shipped_state();
    let content = &state.content;
    let mut smallest = f32::MAX;
    for question in content.bank.questions() {
        let svg = CardOf::Question(question).card(content).svg();
        assert!(
            !svg.contains('…'),
            "question {} is cut on its card",
            question.id
        );
        // The title's lines are the bold text in the text colour, one <text> a line.
        let lines: Vec<&str> = svg
            .split("<text ")
            .filter(|text| text.contains(r##"font-weight="700" fill="#1b1f24""##))
            .collect();
        let words: Vec<String> = lines
            .iter()
            .filter_map(|text| text.split_once('>'))
            .map(|(_, rest)| rest.split("</text>").next().unwrap_or_default().to_string())
            .collect();
        let unescaped = words
            .join(" ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        assert_eq!(unescaped, question.title, "question {}", question.id);
        for text in lines {
            let size: f32 = text
                .split("font-size=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .and_then(|size| size.parse().ok())
                .expect("a font size");
            smallest = smallest.min(size);
        }
    }
    // At the width chat apps show a card (about 400 px of its 1200), 64 px is over 21 px.
    assert!(
        smallest >= 64.0,
        "the smallest title is set at {smallest} px"
    );
}
