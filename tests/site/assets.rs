//! Embedded static files and the health checks.

use actix_web::test::TestRequest;

use crate::common::{assert_in_layout, get, send};

#[actix_web::test]
async fn assets_are_served_under_hashed_names_and_cached_for_a_year() {
    let home = get("/").await;
    let css = home.attr("link[rel=stylesheet]", "href");
    let js = home.attr("script[src]", "src");
    let icon = home.attr("link[rel=icon]", "href");
    for (url, content_type) in [
        (&css, "text/css; charset=utf-8"),
        (&js, "text/javascript; charset=utf-8"),
        (&icon, "image/svg+xml; charset=utf-8"),
    ] {
        assert!(url.starts_with("/static/"), "{url}");
        let file = get(url).await;
        assert_eq!(file.status, 200, "{url}");
        assert_eq!(file.header("content-type"), Some(content_type), "{url}");
        assert_eq!(
            file.header("cache-control"),
            Some("public, max-age=31536000, immutable")
        );
        let etag = file.header("etag").expect("etag").to_string();

        let again = send(
            TestRequest::get()
                .uri(url)
                .insert_header(("if-none-match", etag.as_str())),
        )
        .await;
        assert_eq!(again.status, 304, "{url}");
        assert!(again.body.is_empty());
    }
    assert!(
        get(&css).await.body.contains(".hl-keyword"),
        "highlight colours ship in the stylesheet"
    );
}

#[actix_web::test]
async fn unknown_or_unhashed_assets_are_404_pages() {
    for uri in [
        "/static/app.css",
        "/static/nope.0000000000.css",
        "/static/%3Cscript%3E.js",
    ] {
        let page = get(uri).await;
        assert_eq!(page.status, 404, "{uri}");
        assert_in_layout(&page);
    }
}

#[actix_web::test]
async fn health_checks_answer_plain_text() {
    let page = get("/healthz").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body, "ok");
    assert_eq!(
        page.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    let ready = get("/readyz").await;
    assert_eq!(ready.status, 200);
    assert_eq!(ready.body, "ready");
}
