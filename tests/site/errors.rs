//! Error pages: unknown paths, wrong methods, unreadable queries and hostile values.

use actix_web::test::TestRequest;

use crate::common::{assert_in_layout, get, send};

#[actix_web::test]
async fn unknown_paths_get_a_404_page_in_the_layout() {
    let page = get("/no/such/page").await;
    assert_eq!(page.status, 404);
    assert_in_layout(&page);
    assert_eq!(page.text("h1"), "Page not found");
    assert_eq!(page.text(".lead"), "There is no page at `/no/such/page`.");
    assert_eq!(page.attrs("meta[name=robots]", "content"), ["noindex"]);
    assert_eq!(page.header("cache-control"), Some("no-store"));
}

#[actix_web::test]
async fn a_trailing_slash_redirects_to_the_page_without_it() {
    for (uri, location) in [
        ("/questions/1/", "/questions/1"),
        ("/categories/basics/", "/categories/basics"),
        (
            "/categories/basics/?difficulty=easy",
            "/categories/basics?difficulty=easy",
        ),
        ("/about//", "/about"),
    ] {
        let page = get(uri).await;
        assert_eq!(page.status, 301, "{uri}");
        assert_eq!(page.header("location"), Some(location), "{uri}");
    }
    for uri in [
        "//evil.example/",
        "/\\evil.example/",
        "/no/such/page/",
        "/static/",
    ] {
        let page = get(uri).await;
        assert_eq!(
            page.status, 404,
            "{uri}: nothing on this site to send it to"
        );
        assert!(page.header("location").is_none(), "{uri}");
    }
    let post = send(TestRequest::post().uri("/about/")).await;
    assert_eq!(post.status, 404, "only reads are redirected");
}

#[actix_web::test]
async fn other_methods_get_a_405_page() {
    let page = send(TestRequest::post().uri("/")).await;
    assert_eq!(page.status, 405);
    assert_in_layout(&page);
    assert_eq!(
        page.text(".lead"),
        "This address only answers GET and HEAD requests."
    );
}

#[actix_web::test]
async fn head_is_answered_like_get_without_a_body() {
    let css = get("/").await.attr("link[rel=stylesheet]", "href");
    for uri in [
        "/",
        "/categories/basics",
        "/categories/basics?study=1",
        "/tags/alpha",
        "/questions/1/what-is-the-first-question",
        "/search?q=first",
        "/opensearch.xml",
        "/saved",
        "/review",
        "/about",
        "/sitemap.xml",
        "/robots.txt",
        "/mock",
        css.as_str(),
        "/healthz",
        "/readyz",
        "/nope",
    ] {
        let get_page = get(uri).await;
        let head = send(
            TestRequest::default()
                .method(actix_web::http::Method::HEAD)
                .uri(uri),
        )
        .await;
        assert_eq!(head.status, get_page.status, "{uri}");
        for name in ["content-type", "etag", "cache-control"] {
            assert_eq!(head.header(name), get_page.header(name), "{uri}: {name}");
        }
    }
    let redirect = send(
        TestRequest::default()
            .method(actix_web::http::Method::HEAD)
            .uri("/questions/1"),
    )
    .await;
    assert_eq!(redirect.status, 301);
}

#[actix_web::test]
async fn unreadable_query_strings_get_a_400_page() {
    let page = get("/categories/basics?difficulty=easy&difficulty=hard").await;
    assert_eq!(page.status, 400);
    assert_in_layout(&page);
    assert!(
        page.text(".lead")
            .starts_with("The query string `difficulty=easy&difficulty=hard` could not be read")
    );
}

#[actix_web::test]
async fn hostile_values_in_every_parameter_are_escaped() {
    let evil = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";
    let uris = [
        format!("/{evil}"),
        format!("/categories/{evil}"),
        format!("/categories/basics?difficulty={evil}"),
        format!("/tags/{evil}"),
        format!("/questions/{evil}"),
        format!("/questions/{evil}/{evil}"),
        format!("/questions/1/{evil}"),
        format!("/random?category={evil}"),
        format!("/random?difficulty={evil}"),
        format!("/static/{evil}"),
        format!("/categories/basics?difficulty=a&difficulty={evil}"),
    ];
    for uri in &uris {
        let page = get(uri).await;
        assert!(
            page.status.is_client_error() || page.status.is_redirection(),
            "{uri}: {}",
            page.status
        );
        assert!(
            !page.body.contains("<script>alert"),
            "{uri} reflected live markup:\n{}",
            page.body
        );
        if page.status.is_client_error() {
            assert_in_layout(&page);
        }
    }
    let shown = get(&format!("/tags/{evil}")).await;
    assert_eq!(
        shown.text(".lead"),
        "No question is tagged `<script>alert(1)</script>`."
    );
}

#[actix_web::test]
async fn very_long_values_are_shortened_in_the_message() {
    let long = "x".repeat(5000);
    let page = get(&format!("/tags/{long}")).await;
    assert_eq!(page.status, 404);
    assert!(page.body.len() < 10_000, "the value is not echoed whole");
}
