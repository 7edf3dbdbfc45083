//! Headers every response carries, and compression.

use actix_web::test::TestRequest;

use crate::common::{get, send};

#[actix_web::test]
async fn every_response_carries_the_security_headers() {
    let home = get("/").await;
    let css = home.attr("link[rel=stylesheet]", "href");
    for uri in [
        "/",
        "/categories/basics",
        "/questions/1",
        "/random",
        "/nope",
        "/healthz",
        css.as_str(),
    ] {
        let page = get(uri).await;
        assert_eq!(
            page.header("content-security-policy"),
            Some(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
            ),
            "{uri}"
        );
        assert_eq!(
            page.header("x-content-type-options"),
            Some("nosniff"),
            "{uri}"
        );
        assert_eq!(page.header("x-frame-options"), Some("DENY"), "{uri}");
        assert_eq!(
            page.header("referrer-policy"),
            Some("strict-origin-when-cross-origin"),
            "{uri}"
        );
        assert!(
            page.header("permissions-policy")
                .is_some_and(|p| p.contains("camera=()")),
            "{uri}"
        );
    }
}

#[actix_web::test]
async fn pages_may_be_cached_briefly() {
    let page = get("/categories/basics").await;
    assert_eq!(
        page.header("cache-control"),
        Some("public, max-age=300, stale-while-revalidate=86400")
    );
}

#[actix_web::test]
async fn responses_are_compressed_as_the_client_accepts() {
    for (accept, expected) in [
        ("gzip", Some("gzip")),
        ("br", Some("br")),
        ("br, gzip", Some("br")),
        ("identity", None),
    ] {
        let page = send(
            TestRequest::get()
                .uri("/")
                .insert_header(("accept-encoding", accept)),
        )
        .await;
        assert_eq!(page.status, 200);
        assert_eq!(page.header("content-encoding"), expected, "{accept}");
    }
}
