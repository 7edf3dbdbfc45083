//! The statistics page as the server renders it: a frame of empty charts and tables that the
//! script fills from this browser's stores, the categories it counts, and a page kept out of
//! search engines and the sitemap.

use crate::common::{assert_in_layout, get};

#[actix_web::test]
async fn stats_is_a_noindex_frame_listing_every_category_for_the_script() {
    let page = get("/stats").await;
    assert_eq!(page.status, 200);
    assert_in_layout(&page);
    assert_eq!(page.text("h1"), "Your statistics");
    assert_eq!(page.attr("meta[name=robots]", "content"), "noindex");
    assert!(
        page.attr("meta[name=description]", "content")
            .contains("in this browser"),
        "{}",
        page.attr("meta[name=description]", "content")
    );
    let noscript = page.text("main noscript");
    assert!(noscript.contains("drawn by its script"), "{noscript}");
    assert!(noscript.contains("Nothing is sent anywhere"), "{noscript}");

    // The categories in the bank's order (one without questions is not among them) with their
    // question ids, their totals already there.
    let rows = "[data-stats].needs-script [data-table=categories] tbody tr";
    assert_eq!(page.attrs(rows, "data-category"), ["basics", "extras"]);
    assert_eq!(page.attrs(rows, "data-ids"), ["1 2 3", "10"]);
    assert_eq!(page.texts(&format!("{rows} th a")), ["Basics", "Extras"]);
    assert_eq!(
        page.texts(&format!("{rows} th .result-meta")),
        ["3 questions", "1 question"]
    );

    // Every section the script draws, each with its table. The frame is that of a browser with
    // nothing stored (the empty state and "no mock interviews" shown, the review-based sections
    // hidden), so the script moves nothing on a first visit.
    for section in [
        "activity",
        "forecast",
        "retention",
        "categories",
        "mocks",
        "streak",
    ] {
        let css = format!("[data-stats-section={section}]");
        assert_eq!(page.attrs(&css, "aria-labelledby").len(), 1, "{section}");
    }
    for table in ["months", "forecast", "retention", "categories", "mocks"] {
        assert_eq!(
            page.attrs(&format!("table[data-table={table}] thead th"), "scope")
                .iter()
                .filter(|scope| *scope == "col")
                .count(),
            page.attrs(&format!("table[data-table={table}] thead th"), "scope")
                .len(),
            "{table} has column headers"
        );
    }
    for shown in ["[data-stats-empty]", "[data-mocks-none]"] {
        assert!(
            page.attrs(shown, "hidden").is_empty(),
            "{shown} starts shown"
        );
    }
    for hidden in [
        "[data-mocks-shown]",
        "[data-stats-section=activity]",
        "[data-stats-section=streak]",
        "[data-streak]",
    ] {
        assert_eq!(
            page.attrs(hidden, "hidden").len(),
            1,
            "{hidden} starts hidden"
        );
    }
    assert_eq!(page.texts("label[for=streak-show]"), ["Show my streak"]);
    assert!(page.attrs("input#streak-show", "checked").is_empty());
}

#[actix_web::test]
async fn only_the_stats_page_loads_its_script_and_the_site_links_to_it() {
    let page = get("/stats").await;
    let scripts = page.attrs("script[src]", "src");
    let stats: Vec<&String> = scripts
        .iter()
        .filter(|src| src.starts_with("/static/stats."))
        .collect();
    assert_eq!(stats.len(), 1, "{scripts:?}");
    let ours = scripts.iter().position(|src| src == stats[0]);
    let app = scripts
        .iter()
        .position(|src| src.starts_with("/static/app."));
    assert!(
        ours < app,
        "stats.js runs before app.js calls it: {scripts:?}"
    );
    assert_eq!(get(stats[0]).await.status, 200);

    for uri in [
        "/",
        "/review",
        "/about",
        "/questions/1/what-is-the-first-question",
    ] {
        let other = get(uri).await;
        assert!(
            !other.body.contains("/static/stats."),
            "{uri} loads the statistics script"
        );
        assert_eq!(
            other.attrs(".site-footer a[href='/stats']", "href").len(),
            1,
            "{uri} links to /stats in its footer"
        );
    }
    let review = get("/review").await;
    assert_eq!(review.texts("main .stats-link a[href='/stats']").len(), 1);
}

#[actix_web::test]
async fn stats_is_in_no_sitemap() {
    let sitemap = get("/sitemap.xml").await;
    assert_eq!(sitemap.status, 200);
    assert!(sitemap.body.contains("<loc>"), "the sitemap lists pages");
    assert!(!sitemap.body.contains("/stats"), "{}", sitemap.body);
}
