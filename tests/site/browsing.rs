//! The home page, category pages and tag pages.

use actix_web::test::TestRequest;

use crate::common::{Page, assert_in_layout, get, respond, state_of};

#[actix_web::test]
async fn home_lists_categories_with_counts_and_the_ways_in() {
    let page = get("/").await;
    assert_eq!(page.status, 200);
    assert_in_layout(&page);
    assert_eq!(page.text("h1"), "drilltest");
    assert_eq!(page.text(".hero .lead"), "A small bank for tests.");
    assert_eq!(
        page.texts(".category-title"),
        ["Basics", "Extras"],
        "empty category hidden"
    );
    assert_eq!(
        page.texts(".category-card .count:not(.card-progress)"),
        ["3 questions", "1 question"]
    );
    assert_eq!(
        page.attrs(".category-card a", "href"),
        ["/categories/basics", "/categories/extras"]
    );
    assert_eq!(page.attrs(".hero form", "action"), ["/search"]);
    assert_eq!(page.attrs(".hero form", "method"), ["get"]);
    assert_eq!(page.attrs(".hero input", "name"), ["q"]);
    assert_eq!(
        page.attrs(".actions a", "href"),
        ["/mock", "/random", "/plan"]
    );
    assert_eq!(
        page.texts(".actions a"),
        [
            "Start a mock interview",
            "Random question",
            "Plan to your interview date"
        ]
    );
    assert_eq!(
        page.attrs(".tag-cloud a", "href"),
        ["/tags/alpha", "/tags/beta", "/tags/gamma"]
    );
}

#[actix_web::test]
async fn home_head_carries_absolute_share_links() {
    let page = get("/").await;
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        "https://drill.example/"
    );
    assert_eq!(
        page.attr("meta[property='og:url']", "content"),
        "https://drill.example/"
    );
    assert_eq!(page.attr("meta[property='og:type']", "content"), "website");
    assert_eq!(
        page.attr("meta[property='og:site_name']", "content"),
        "drilltest"
    );
    assert_eq!(
        page.attr("meta[name=description]", "content"),
        "A small bank for tests."
    );
    assert_eq!(
        page.attr("meta[name='twitter:card']", "content"),
        "summary_large_image"
    );
    assert!(
        page.attrs("meta[name=robots]", "content").is_empty(),
        "home is indexable"
    );
}

#[actix_web::test]
async fn category_lists_its_questions_in_order() {
    let page = get("/categories/basics").await;
    assert_eq!(page.status, 200);
    assert_in_layout(&page);
    assert_eq!(page.text("h1"), "Basics");
    assert_eq!(page.texts(".breadcrumb a"), ["Home", "Basics"]);
    assert_eq!(
        page.attrs(".question-list .question-link", "href"),
        [
            "/questions/1/what-is-the-first-question",
            "/questions/2/what-is-the-second-question",
            "/questions/3/is-script-alert-title-script-this-escaped",
        ]
    );
    assert_eq!(
        page.texts(".question-list .badge"),
        ["Easy", "Medium", "Hard"]
    );
    assert_eq!(
        page.texts(".question-summary")[0],
        "The first question, in brief."
    );
    assert_eq!(
        page.texts(".filters a"),
        ["All 3", "Easy 1", "Medium 1", "Hard 1"]
    );
    assert_eq!(page.texts(".filters a[aria-current]"), ["All 3"]);
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        "https://drill.example/categories/basics"
    );
}

#[actix_web::test]
async fn category_filters_by_difficulty() {
    let page = get("/categories/basics?difficulty=hard").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.attrs(".question-list .question-link", "href").len(), 1);
    assert_eq!(page.texts(".question-list .badge"), ["Hard"]);
    assert_eq!(page.texts(".filters a[aria-current]"), ["Hard 1"]);
    assert!(page.text("title").starts_with("Hard questions in Basics"));

    let empty = get("/categories/extras?difficulty=hard").await;
    assert_eq!(empty.status, 200);
    assert_eq!(
        empty.texts(".filters li"),
        ["All 1", "Easy 1", "Medium: none", "Hard: none"],
        "a difficulty without questions says so"
    );
    assert_eq!(
        empty.attrs(".filters a", "href"),
        ["/categories/extras", "/categories/extras?difficulty=easy"],
        "and is no link to an empty list"
    );
    assert_eq!(empty.texts(".filters [aria-current]"), ["Hard: none"]);
    assert_eq!(
        empty.text(".empty"),
        "No hard questions in this category yet. See all of Extras."
    );
    assert_eq!(empty.attrs(".empty a", "href"), ["/categories/extras"]);
    assert!(
        empty.attrs(".actions a", "href").is_empty(),
        "no random link that could only 404"
    );
    assert_eq!(
        page.attrs(".actions a", "href"),
        [
            "/questions/3/is-script-alert-title-script-this-escaped?study=1&difficulty=hard",
            "/random?category=basics&difficulty=hard"
        ],
        "study mode starts at the first question the filter keeps"
    );
    assert_eq!(
        page.texts(".actions a"),
        [
            "Study mode: Basics, hard questions",
            "Random hard question from Basics"
        ]
    );

    let any = get("/categories/basics?difficulty=").await;
    assert_eq!(any.status, 200);
    assert_eq!(
        any.texts(".question-list .badge").len(),
        3,
        "empty value means any"
    );
}

#[actix_web::test]
async fn long_category_is_shown_under_sub_headings_with_contents() {
    let grouped = state_of("tests/fixtures/grouped");
    let fetch =
        async |uri: &str| Page::from(respond(grouped.clone(), TestRequest::get().uri(uri)).await);

    let page = fetch("/categories/mixed").await;
    assert_eq!(
        page.texts(".question-group > h2"),
        ["Gamma first", "Then beta", "Other questions"]
    );
    assert_eq!(
        page.texts(".contents li"),
        ["Gamma first 1", "Then beta 2", "Other questions 1"]
    );
    assert_eq!(
        page.attrs(".contents a", "href"),
        ["#group-gamma", "#group-beta", "#ungrouped"]
    );
    assert_eq!(
        page.attrs(".question-group > h2", "id"),
        ["group-gamma", "group-beta", "ungrouped"],
        "every contents link has its target"
    );
    assert_eq!(
        page.attrs("#group-beta + .question-list .question-link", "href"),
        [
            "/questions/1/which-group-holds-question-one",
            "/questions/4/is-question-four-under-beta",
        ]
    );

    assert_eq!(
        page.attrs(".question-group .question-list", "start"),
        ["2", "4"],
        "numbering runs on across sections"
    );

    let easy = fetch("/categories/mixed?difficulty=easy").await;
    assert_eq!(
        easy.texts(".question-group > h2"),
        ["Then beta"],
        "sections the filter empties are left out"
    );
    assert_eq!(easy.texts(".contents li"), ["Then beta 2"]);

    let plain = get("/categories/basics").await;
    assert!(
        plain.texts(".contents").is_empty(),
        "no groups, no contents"
    );
    assert!(plain.texts(".question-group > h2").is_empty());
}

#[actix_web::test]
async fn category_rejects_bad_filters_and_unknown_slugs() {
    let bad = get("/categories/basics?difficulty=medum").await;
    assert_eq!(bad.status, 400);
    assert_in_layout(&bad);
    assert_eq!(bad.text("h1"), "Bad request");
    assert_eq!(
        bad.text(".lead"),
        "`difficulty` must be easy, medium or hard, found `medum`."
    );

    let unknown = get("/categories/nope").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.text(".lead"), "There is no category `nope`.");

    let empty = get("/categories/empty").await;
    assert_eq!(
        empty.status, 404,
        "a category without questions has no page"
    );
}

#[actix_web::test]
async fn tag_page_lists_tagged_questions_across_categories() {
    let page = get("/tags/beta").await;
    assert_eq!(page.status, 200);
    assert_in_layout(&page);
    assert_eq!(page.text("h1"), "Questions tagged beta");
    assert_eq!(
        page.attrs(".question-list .question-link", "href"),
        [
            "/questions/1/what-is-the-first-question",
            "/questions/10/why-is-the-tenth-question-in-another-category"
        ]
    );
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        "https://drill.example/tags/beta"
    );

    let unknown = get("/tags/nope").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.text(".lead"), "No question is tagged `nope`.");
}
