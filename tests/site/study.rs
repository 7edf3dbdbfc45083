//! Study mode, the pages the script fills (about, saved), the category page as a study sheet,
//! and what crawlers read (sitemap, robots).

use std::collections::HashSet;

use crate::common::{assert_in_layout, get};

const FIRST: &str = "/questions/1/what-is-the-first-question";
const SECOND: &str = "/questions/2/what-is-the-second-question";
const THIRD: &str = "/questions/3/is-script-alert-title-script-this-escaped";

#[actix_web::test]
async fn study_mode_walks_the_category_without_distractions() {
    let category = get("/categories/basics").await;
    let start = category.attr(".study-actions a", "href");
    assert_eq!(start, format!("{FIRST}?study=1"));

    let first = get(&start).await;
    assert_eq!(first.status, 200);
    assert_in_layout(&first);
    assert_eq!(
        first.attr("link[rel=canonical]", "href"),
        format!("https://drill.example{FIRST}"),
        "study mode is the same page for search engines"
    );
    assert!(first.text(".study-bar").starts_with("Study mode: Basics."));
    assert_eq!(first.attr(".study-bar progress", "value"), "1");
    assert_eq!(first.attr(".study-bar progress", "max"), "3");
    assert_eq!(first.attr(".study-bar a", "href"), "/categories/basics");
    assert!(
        first.attrs("details.answer[open]", "open").is_empty(),
        "answer hidden"
    );
    assert!(first.texts(".share").is_empty(), "no share link");
    assert!(first.texts(".related").is_empty(), "no related list");
    assert!(first.texts(".question-header .tags").is_empty(), "no tags");
    assert!(first.attrs("a[rel=prev]", "href").is_empty());
    assert_eq!(
        first.attr("a[rel=next]", "href"),
        format!("{SECOND}?study=1")
    );

    let last = get(&format!("{THIRD}?study=1")).await;
    assert_eq!(
        last.attr("a[rel=prev]", "href"),
        format!("{SECOND}?study=1")
    );
    assert!(last.attrs("a[rel=next]", "href").is_empty());
    assert_eq!(last.text(".pager-next"), "Finished Back to Basics");
    assert_eq!(last.attr(".pager-next", "href"), "/categories/basics");

    let plain = get(FIRST).await;
    assert!(plain.texts(".study-bar").is_empty());
    assert_eq!(plain.attr("a[rel=next]", "href"), SECOND);
    assert!(!plain.texts(".share").is_empty());
}

#[actix_web::test]
async fn study_mode_through_one_difficulty_skips_the_others() {
    let category = get("/categories/extras?difficulty=easy").await;
    assert_eq!(
        category.attr(".study-actions a", "href"),
        "/questions/10/why-is-the-tenth-question-in-another-category?study=1&difficulty=easy"
    );

    let page = get(&format!("{FIRST}?study=1&difficulty=easy")).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.attr(".study-bar progress", "max"), "1");
    assert!(
        page.attrs("a[rel=next]", "href").is_empty(),
        "2 and 3 are not easy"
    );
    assert_eq!(
        page.attr(".pager-next", "href"),
        "/categories/basics?difficulty=easy"
    );

    // A link naming a difficulty the question does not have studies the whole category.
    let mismatched = get(&format!("{SECOND}?study=1&difficulty=easy")).await;
    assert_eq!(mismatched.status, 200);
    assert_eq!(mismatched.attr(".study-bar progress", "max"), "3");
    assert_eq!(
        mismatched.attr("a[rel=next]", "href"),
        format!("{THIRD}?study=1")
    );
}

#[actix_web::test]
async fn study_mode_links_survive_redirects_and_reject_bad_values() {
    for from in ["/questions/1?study=1", "/questions/1/old-slug?study=1"] {
        let moved = get(from).await;
        assert_eq!(moved.status, 301, "{from}");
        assert_eq!(
            moved.header("location"),
            Some(format!("{FIRST}?study=1").as_str()),
            "{from}"
        );
    }

    let bad = get(&format!("{FIRST}?study=yes")).await;
    assert_eq!(bad.status, 400);
    assert_in_layout(&bad);
    assert_eq!(
        bad.text(".lead"),
        "`study` must be 1 (study mode) or left out, found `yes`."
    );
    let bad_difficulty = get(&format!("{FIRST}?study=1&difficulty=%3Cb%3E")).await;
    assert_eq!(bad_difficulty.status, 400);
    assert!(!bad_difficulty.body.contains("<b>"), "value escaped");
}

#[actix_web::test]
async fn a_category_page_carries_every_answer_folded_for_printing() {
    let page = get("/categories/basics").await;
    assert_eq!(page.texts(".question-item details.item-answer").len(), 3);
    assert!(
        page.attrs("details.item-answer[open]", "open").is_empty(),
        "folded on screen"
    );
    let first = page.text(".question-item:first-child .item-answer .answer-body");
    assert!(first.contains("Why"), "{first}");
    assert!(
        page.texts(".item-answer h2, .item-answer h3").is_empty(),
        "sub-headings are paragraphs, so the page outline stays the page's"
    );
    assert_eq!(
        page.texts(".item-answer .answer-subheading"),
        ["Why", "A heading with attributes"]
    );
    assert!(page.texts(".item-answer .key-points li").len() >= 3);
    assert_eq!(page.texts("button[data-print].needs-script").len(), 1);
    assert_eq!(
        page.text("[data-list-progress]"),
        "0 known, 0 to review, 3 unseen"
    );

    let ids = page.attrs("[id]", "id");
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "ids repeat: {ids:?}");
}

#[actix_web::test]
async fn lists_and_question_pages_carry_what_the_script_marks() {
    let category = get("/categories/basics").await;
    assert_eq!(
        category.attrs(".question-item", "data-question-id"),
        ["1", "2", "3"]
    );
    let tag = get("/tags/alpha").await;
    assert_eq!(tag.attrs(".question-item", "data-question-id"), ["1", "2"]);
    assert_eq!(
        tag.text("[data-list-progress]"),
        "0 known, 0 to review, 2 unseen"
    );

    let search = get("/search?q=tenth").await;
    assert_eq!(
        search.attrs(".search-result.question-item", "data-question-id"),
        ["10"]
    );

    let home = get("/").await;
    assert_eq!(
        home.attrs("[data-progress-ids]", "data-progress-ids"),
        ["1 2 3", "10"]
    );
    assert!(
        home.text("[data-progress-summary]")
            .starts_with("0/4 known")
    );

    let question = get(FIRST).await;
    assert_eq!(
        question.attr("article.question", "data-question-path"),
        FIRST
    );
    assert_eq!(
        question.texts(".question-actions.needs-script button"),
        ["Mark as known", "Review again", "Save"]
    );
    assert_eq!(
        question.attrs(".question-actions button", "aria-pressed"),
        ["false", "false", "false"]
    );
    // With script off, a stylesheet in <noscript> hides every control that needs it.
    let noscript_css = question
        .body
        .split(r#"<noscript><link rel="stylesheet" href=""#)
        .nth(1)
        .and_then(|rest| rest.split_once('"'))
        .map(|(href, _)| href.to_string())
        .expect("a stylesheet inside <noscript> in the head");
    let css = get(&noscript_css).await;
    assert_eq!(css.status, 200);
    assert!(css.body.contains(".needs-script"), "{}", css.body);
    assert!(css.body.contains("display: none"), "{}", css.body);
}

#[actix_web::test]
async fn about_documents_the_shortcuts_and_the_progress_tools() {
    let page = get("/about").await;
    assert_eq!(page.status, 200);
    assert_in_layout(&page);
    let keys = page.texts(".key-table tbody td:first-child");
    for key in ["/", "?", "j or →", "k or ←", "r", "Esc"] {
        assert!(keys.iter().any(|k| k == key), "{key} missing from {keys:?}");
    }
    assert_eq!(
        page.attrs("[data-progress-tools] [data-progress-export]", "type"),
        ["button"]
    );
    assert_eq!(
        page.attr("[data-progress-tools] input[type=file]", "accept"),
        "application/json,.json"
    );
    assert!(page.text("main noscript").contains("need JavaScript"));
    assert!(
        page.attrs("meta[name=robots]", "content").is_empty(),
        "indexable"
    );
    assert!(
        get("/")
            .await
            .attrs(".site-footer a", "href")
            .contains(&"/about".to_string()),
        "every page links to it"
    );
}

#[actix_web::test]
async fn saved_is_a_frame_for_the_script_with_a_no_script_explanation() {
    let page = get("/saved").await;
    assert_eq!(page.status, 200);
    assert_in_layout(&page);
    assert_eq!(page.text("h1"), "Saved questions");
    assert_eq!(page.attr("meta[name=robots]", "content"), "noindex");
    assert!(page.text("main noscript").contains("needs JavaScript"));
    assert_eq!(page.attrs("ol[data-saved-list]", "class").len(), 1);
    assert!(page.attrs("ol[data-saved-list] li", "class").is_empty());
    assert!(
        get("/")
            .await
            .attrs(".site-nav a", "href")
            .contains(&"/saved".to_string()),
        "in the menu"
    );
}

#[actix_web::test]
async fn sitemap_lists_every_canonical_page_with_its_review_date() {
    let sitemap = get("/sitemap.xml").await;
    assert_eq!(sitemap.status, 200);
    assert_eq!(
        sitemap.header("content-type"),
        Some("application/xml; charset=utf-8")
    );
    assert!(
        sitemap
            .body
            .starts_with(r#"<?xml version="1.0" encoding="UTF-8"?>"#)
    );
    let locs = elements(&sitemap.body, "loc");
    let base = "https://drill.example";
    let expected: Vec<String> = [
        "/",
        "/about",
        "/mock",
        "/plan",
        "/categories/basics",
        "/categories/extras",
        "/tags/alpha",
        "/tags/beta",
        "/tags/gamma",
        FIRST,
        SECOND,
        THIRD,
        "/questions/10/why-is-the-tenth-question-in-another-category",
    ]
    .iter()
    .map(|path| format!("{base}{path}"))
    .collect();
    assert_eq!(locs, expected);
    // Every listed page answers 200 at that path (no redirect, no 404).
    for loc in &locs {
        let path = loc.trim_start_matches(base);
        assert_eq!(get(path).await.status, 200, "{path}");
    }
    // A page's date is the newest review date of what it shows; pages without one have none.
    let dated: Vec<(&str, Option<&str>)> = elements(&sitemap.body, "url")
        .into_iter()
        .map(|url| {
            let loc = elements(url, "loc")[0].trim_start_matches(base);
            (loc, elements(url, "lastmod").first().copied())
        })
        .collect();
    let reviewed_1 = Some("2026-11-30");
    let reviewed_10 = Some("2026-10-05");
    assert_eq!(
        dated,
        [
            ("/", reviewed_1),
            ("/about", None),
            ("/mock", None),
            ("/plan", None),
            ("/categories/basics", reviewed_1),
            ("/categories/extras", reviewed_10),
            ("/tags/alpha", reviewed_1),
            ("/tags/beta", reviewed_1),
            ("/tags/gamma", None),
            (FIRST, reviewed_1),
            (SECOND, None),
            (THIRD, None),
            (
                "/questions/10/why-is-the-tenth-question-in-another-category",
                reviewed_10
            ),
        ]
    );
}

/// The text of every `<name>` element of some XML.
fn elements<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    xml.split(open.as_str())
        .skip(1)
        .filter_map(|rest| rest.split_once(close.as_str()).map(|(text, _)| text))
        .collect()
}

#[actix_web::test]
async fn robots_allows_everything_and_points_to_the_sitemap() {
    let robots = get("/robots.txt").await;
    assert_eq!(robots.status, 200);
    assert_eq!(
        robots.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(
        robots.body,
        "User-agent: *\nAllow: /\n\nSitemap: https://drill.example/sitemap.xml\n"
    );
}
