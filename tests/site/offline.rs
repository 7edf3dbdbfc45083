//! What studying offline needs from the server: the service worker at the root, revalidated on
//! every check and named by the site's version; the index of what can be kept, every URL of it
//! a page the site serves; and the offline page, kept out of search engines.

use std::collections::BTreeSet;

use crate::common::{assert_in_layout, get, get_raw, state};

/// The string literal assigned to `var {name} = …;` in the worker.
fn assigned<'a>(worker: &'a str, name: &str) -> &'a str {
    let start = format!("var {name} = ");
    let from = worker
        .find(&start)
        .unwrap_or_else(|| panic!("the worker sets no {name}"))
        + start.len();
    let rest = &worker[from..];
    &rest[..rest.find(";\n").unwrap_or(rest.len())]
}

#[actix_web::test]
async fn the_worker_is_served_at_the_root_revalidated_and_named_by_the_site_version() {
    let response = get("/sw.js").await;
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(response.header("cache-control"), Some("no-cache"));
    assert!(
        response
            .header("content-security-policy")
            .is_some_and(|csp| csp.contains("default-src 'self'")),
        "the worker keeps the site's CSP"
    );
    let worker = &response.body;

    // Its version is the one every page carries.
    let home = get("/").await;
    let version = home.attr("html", "data-version");
    assert_eq!(version.len(), 16, "{version}");
    assert_eq!(assigned(worker, "VERSION"), format!("{version:?}"));

    // It stores the offline page, the index and every static file a page links.
    let precache: Vec<String> =
        serde_json::from_str(assigned(worker, "PRECACHE")).expect("PRECACHE is a JSON list");
    for url in ["/offline", "/offline.json"] {
        assert!(precache.iter().any(|u| u == url), "{url} not precached");
    }
    let linked: Vec<String> = home
        .attrs("script[src]", "src")
        .into_iter()
        .chain(home.attrs("link[rel=stylesheet]", "href"))
        .collect();
    assert!(linked.len() >= 6, "{linked:?}");
    for url in &linked {
        assert!(precache.contains(url), "{url} is linked but not precached");
    }
    for url in &precache {
        assert_eq!(get_raw(url).await.status, 200, "{url}");
    }
    // The rules it shares with the pages are the file the pages load.
    let keep = home
        .attrs("script[src]", "src")
        .into_iter()
        .find(|src| src.starts_with("/static/keep."))
        .expect("pages load keep.js");
    assert!(
        worker.contains(&format!("importScripts({keep:?});")),
        "the worker imports {keep}"
    );
}

#[actix_web::test]
async fn every_url_of_the_offline_index_is_a_page_of_the_site() {
    let response = get_raw("/offline.json").await;
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let index: serde_json::Value =
        serde_json::from_slice(&response.body).expect("the index is JSON");
    assert_eq!(
        index["version"].as_str(),
        Some(get("/").await.attr("html", "data-version").as_str())
    );

    let state = state();
    let bank = &state.content.bank;
    let categories = index["categories"].as_array().expect("categories");
    let slugs: Vec<&str> = categories
        .iter()
        .filter_map(|c| c["slug"].as_str())
        .collect();
    let bank_slugs: Vec<&str> = bank.categories().iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(slugs, bank_slugs);

    let mut urls = BTreeSet::new();
    let mut questions = 0;
    let mut entry = |entry: &serde_json::Value| {
        urls.insert(entry["url"].as_str().expect("a url").to_string());
        for also in entry["also"].as_array().expect("also") {
            urls.insert(also.as_str().expect("a url").to_string());
        }
    };
    for page in index["pages"].as_array().expect("pages") {
        entry(page);
    }
    for tag in index["tags"].as_array().expect("tags") {
        entry(tag);
    }
    for category in categories {
        entry(category);
        let slug = category["slug"].as_str().unwrap_or_default();
        let listed = category["questions"].as_array().expect("questions");
        let in_bank = bank.category(slug).map_or(0, |c| c.question_ids.len());
        assert_eq!(listed.len(), in_bank, "{slug}");
        questions += listed.len();
        for question in listed {
            entry(question);
            let also = question["also"].as_array().expect("also");
            // Both study-mode pages and the card are kept with the question.
            assert_eq!(also.len(), 3, "{question}");
        }
    }
    assert_eq!(questions, bank.len());
    assert_eq!(
        bank.tags().count(),
        index["tags"].as_array().map_or(0, Vec::len)
    );

    // Each one a whole page, none a redirect or an error, none marked no-store.
    for url in &urls {
        let page = get_raw(url).await;
        assert_eq!(page.status, 200, "{url}");
        let control = page.header("cache-control").unwrap_or_default();
        assert!(!control.contains("no-store"), "{url}: {control}");
    }
}

#[actix_web::test]
async fn the_offline_page_is_kept_out_of_search_engines_and_the_sitemap() {
    let page = get("/offline").await;
    assert_eq!(page.status, 200);
    assert_in_layout(&page);
    assert_eq!(page.text("h1"), "You are offline");
    assert_eq!(page.attr("meta[name=robots]", "content"), "noindex");
    assert!(page.text("main noscript").contains("needs JavaScript"));
    assert_eq!(page.attrs("[data-offline-page]", "class").len(), 1);
    let sitemap = get("/sitemap.xml").await;
    assert!(
        !sitemap.body.contains("/offline"),
        "the sitemap lists /offline"
    );
}

#[actix_web::test]
async fn categories_and_about_offer_to_keep_their_pages_once_the_script_can() {
    let category = get("/categories/basics").await;
    assert_eq!(
        category.attrs("[data-keep=basics][hidden]", "class").len(),
        1
    );
    assert_eq!(
        category.text("[data-keep=basics] [data-keep-start]"),
        "Keep this category offline"
    );
    let about = get("/about").await;
    assert_eq!(about.attrs("[data-keep=all][hidden]", "class").len(), 1);
    assert_eq!(
        about.text("[data-keep=all] [data-keep-start]"),
        "Keep everything offline"
    );
    assert_eq!(about.attrs("a[href='#offline']", "href").len(), 1);
}
