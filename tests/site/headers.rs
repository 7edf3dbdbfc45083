//! Headers every response carries, and compression.

use actix_web::test::TestRequest;

use crate::common::{get, send, start_interview};

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
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
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

/// The Permissions-Policy of every page but those that record answers.
const NO_MICROPHONE: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), \
                             accelerometer=(), gyroscope=(), magnetometer=()";
/// The Permissions-Policy of a page that records answers: the microphone, for this origin only.
const OWN_MICROPHONE: &str = "camera=(), microphone=(self), geolocation=(), payment=(), usb=(), \
                              accelerometer=(), gyroscope=(), magnetometer=()";

#[actix_web::test]
async fn only_pages_that_record_may_ask_for_the_microphone() {
    let code = start_interview("category=basics&difficulty=any&count=2&minutes=3").await;
    let code = code.as_str();
    let first = format!("/mock/{code}/1");
    let recording = [
        "/questions/1/what-is-the-first-question".to_string(),
        "/questions/1/what-is-the-first-question?study=1".to_string(),
        "/questions/1/what-is-the-first-question?study=1&difficulty=easy".to_string(),
        first.clone(),
        format!("/mock/{code}/2"),
    ];
    let css = get("/").await.attr("link[rel=stylesheet]", "href");
    let others = [
        "/".to_string(),
        "/about".to_string(),
        "/categories/basics".to_string(),
        "/tags/alpha".to_string(),
        "/search?q=first".to_string(),
        "/saved".to_string(),
        "/review".to_string(),
        "/mock".to_string(),
        format!("/mock/{code}/results"),
        format!("/mock/{code}/9"),
        "/questions/99".to_string(),
        "/questions/1".to_string(),
        "/nope".to_string(),
        "/healthz".to_string(),
        css,
    ];
    for (uris, policy) in [
        (&recording[..], OWN_MICROPHONE),
        (&others[..], NO_MICROPHONE),
    ] {
        for uri in uris {
            let page = get(uri).await;
            assert_eq!(page.header("permissions-policy"), Some(policy), "{uri}");
            assert_eq!(
                page.headers.get_all("permissions-policy").count(),
                1,
                "{uri}: one policy, not two"
            );
        }
    }
    // Question pages are answered from memory: each coding carries the same policy.
    for coding in ["gzip", "br", "identity"] {
        let page = get_with(recording[0].as_str(), &[("accept-encoding", coding)]).await;
        assert_eq!(page.status, 200, "{coding}");
        assert_eq!(
            page.header("permissions-policy"),
            Some(OWN_MICROPHONE),
            "{coding}"
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

/// Sends `uri` with extra headers.
async fn get_with(uri: &str, headers: &[(&str, &str)]) -> crate::common::Page {
    let mut request = TestRequest::get().uri(uri);
    for &(name, value) in headers {
        request = request.insert_header((name, value));
    }
    send(request).await
}

#[actix_web::test]
async fn pages_and_assets_carry_a_strong_etag_and_answer_304_when_it_matches() {
    let home = get("/").await;
    let css = home.attr("link[rel=stylesheet]", "href");
    for uri in [
        "/",
        "/categories/basics",
        "/questions/1/what-is-the-first-question",
        "/tags/alpha",
        "/search?q=first",
        "/sitemap.xml",
        "/robots.txt",
        css.as_str(),
    ] {
        let page = get_with(uri, &[("accept-encoding", "identity")]).await;
        assert_eq!(page.status, 200, "{uri}");
        let etag = page
            .header("etag")
            .unwrap_or_else(|| panic!("{uri}: no ETag"));
        assert!(
            etag.starts_with('"') && etag.ends_with('"'),
            "{uri}: strong tag {etag}"
        );
        assert_eq!(
            get_with(uri, &[("accept-encoding", "identity")])
                .await
                .header("etag"),
            Some(etag),
            "{uri}: the same bytes keep their tag"
        );

        let weak = format!("W/{etag}");
        for condition in [
            etag.to_string(),
            format!("\"other\", {etag}"),
            weak,
            "*".to_string(),
        ] {
            let again = get_with(
                uri,
                &[
                    ("accept-encoding", "identity"),
                    ("if-none-match", &condition),
                ],
            )
            .await;
            assert_eq!(again.status, 304, "{uri} If-None-Match: {condition}");
            assert!(again.body.is_empty(), "{uri}: a 304 has no body");
            assert_eq!(again.header("etag"), Some(etag), "{uri}");
            assert_eq!(
                again.header("cache-control"),
                page.header("cache-control"),
                "{uri}"
            );
        }
        let stale = get_with(uri, &[("if-none-match", "\"0123\"")]).await;
        assert_eq!(stale.status, 200, "{uri}: another tag gets the page");
    }
}

#[actix_web::test]
async fn each_compressed_variant_has_its_own_tag_and_varies_by_accept_encoding() {
    let uri = "/categories/basics";
    let identity = get_with(uri, &[("accept-encoding", "identity")]).await;
    let plain_tag = identity
        .header("etag")
        .expect("etag")
        .trim_matches('"')
        .to_string();
    assert_eq!(identity.header("vary"), Some("accept-encoding"));
    for coding in ["gzip", "br"] {
        let page = get_with(uri, &[("accept-encoding", coding)]).await;
        assert_eq!(page.header("content-encoding"), Some(coding));
        assert_eq!(page.header("vary"), Some("accept-encoding"), "{coding}");
        let tag = page.header("etag").expect("etag");
        assert_eq!(tag, format!("\"{plain_tag}-{coding}\""));

        let same = get_with(uri, &[("accept-encoding", coding), ("if-none-match", tag)]).await;
        assert_eq!(same.status, 304, "{coding}");
        assert_eq!(
            same.header("vary"),
            Some("accept-encoding"),
            "a 304 keeps Vary"
        );
        let other = if coding == "gzip" { "br" } else { "gzip" };
        let elsewhere = get_with(uri, &[("accept-encoding", other), ("if-none-match", tag)]).await;
        assert_eq!(
            elsewhere.status, 200,
            "a {coding} copy is not current for a client that gets {other}"
        );
    }
}

#[actix_web::test]
async fn what_must_not_be_stored_has_no_tag_and_is_never_304() {
    for uri in ["/healthz", "/nope", "/random"] {
        let page = get_with(uri, &[("if-none-match", "*")]).await;
        assert_ne!(page.status, 304, "{uri}");
        assert_eq!(page.header("etag"), None, "{uri}");
    }
}

#[actix_web::test]
async fn every_body_names_its_type_and_charset() {
    let home = get("/").await;
    let mut uris: Vec<String> = ["link[rel=stylesheet]", "link[rel=icon]"]
        .iter()
        .map(|css| home.attr(css, "href"))
        .collect();
    uris.push(home.attr("script[src]", "src"));
    uris.extend(
        [
            "/",
            "/about",
            "/saved",
            "/review",
            "/mock",
            "/search",
            "/sitemap.xml",
            "/robots.txt",
            "/opensearch.xml",
            "/healthz",
            "/readyz",
            "/nope",
            "/search?page=0",
        ]
        .map(str::to_string),
    );
    for uri in &uris {
        let page = get(uri).await;
        assert!(!page.body.is_empty(), "{uri}");
        let content_type = page.header("content-type").unwrap_or_default();
        assert!(
            content_type.ends_with("; charset=utf-8"),
            "{uri}: {content_type}"
        );
    }
    let not_acceptable = get_with("/", &[("accept-encoding", "identity;q=0, *;q=0")]).await;
    assert_eq!(not_acceptable.status, 406);
    assert_eq!(
        not_acceptable.header("content-type"),
        Some("text/html; charset=utf-8"),
        "even what compression refuses is a page"
    );
    assert!(not_acceptable.header("content-security-policy").is_some());
}

/// Pages rendered per request are compressed on the spot: gzip whenever the client takes it
/// (brotli at a fast level is slower and no smaller), brotli only for a client without gzip,
/// each with its own tag, and a matching tag is answered with 304 before anything is compressed.
#[actix_web::test]
async fn pages_rendered_per_request_prefer_gzip_and_answer_304_per_coding() {
    let uri = "/search?q=generator";
    let plain = get_with(uri, &[("accept-encoding", "identity")]).await;
    assert_eq!(plain.status, 200);
    let plain_tag = plain.header("etag").expect("a tag").to_string();
    for (accept, coding) in [
        ("gzip, deflate, br, zstd", Some("gzip")),
        ("br;q=1, gzip;q=0.5", Some("gzip")),
        ("br", Some("br")),
        ("gzip;q=0, br", Some("br")),
        ("identity", None),
    ] {
        let page = get_with(uri, &[("accept-encoding", accept)]).await;
        assert_eq!(page.status, 200, "{accept}");
        assert_eq!(page.header("content-encoding"), coding, "{accept}");
        assert_eq!(page.header("vary"), Some("accept-encoding"), "{accept}");
        let tag = page.header("etag").expect("a tag");
        let expected = match coding {
            Some(coding) => format!("{}-{coding}\"", plain_tag.trim_end_matches('"')),
            None => plain_tag.clone(),
        };
        assert_eq!(tag, expected, "{accept}");
        let again = get_with(uri, &[("accept-encoding", accept), ("if-none-match", tag)]).await;
        assert_eq!(again.status, 304, "{accept}");
        assert!(again.body.is_empty(), "{accept}");
        assert_eq!(again.header("content-encoding"), None, "{accept}");
    }
}
