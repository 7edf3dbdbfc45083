//! The site's pages: every one is answered in every coding, to conditional requests and to HEAD;
//! brotli copies are sent once they are made, gzip until then. A handler answers another spelling
//! of a page's URL from the same site as the fast path does; other spellings still redirect or
//! fail.

use std::collections::BTreeMap;
use std::io::Read;

use actix_web::http::Method;
use actix_web::test::{self, TestRequest};
use drillbook::bank::Difficulty;
use drillbook::web::encoding::{self, Coding, Level};
use drillbook::web::{self, AppState};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::{Raw, call, card_urls, state, state_before_brotli};

const FIXTURE: &str = "tests/fixtures/valid";

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   media-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; \
                   frame-ancestors 'none'";

/// The codings a client can ask for, as `Accept-Encoding` and `Content-Encoding` spell them.
const CODINGS: [&str; 3] = ["identity", "gzip", "br"];

impl Raw {
    fn etag(&self) -> &str {
        self.header("etag").expect("an ETag")
    }

    /// Every header, sorted by name, for comparing two responses whole.
    fn sorted_headers(&self) -> BTreeMap<String, Vec<String>> {
        let mut sorted: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, value) in self.headers.iter() {
            sorted
                .entry(name.as_str().to_string())
                .or_default()
                .push(String::from_utf8_lossy(value.as_bytes()).into_owned());
        }
        sorted
    }

    /// The body with its `Content-Encoding` undone.
    fn decoded(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self.header("content-encoding") {
            None => out.extend_from_slice(&self.body),
            Some("gzip") => {
                flate2::read::GzDecoder::new(&self.body[..])
                    .read_to_end(&mut out)
                    .expect("gzip decodes");
            }
            Some("br") => {
                brotli::Decompressor::new(&self.body[..], 4096)
                    .read_to_end(&mut out)
                    .expect("brotli decodes");
            }
            Some(other) => panic!("unexpected Content-Encoding {other}"),
        }
        out
    }
}

/// A GET of `uri` with these request headers.
fn get(uri: &str, headers: &[(&str, &str)]) -> TestRequest {
    with_headers(TestRequest::get().uri(uri), headers)
}

fn with_headers(mut request: TestRequest, headers: &[(&str, &str)]) -> TestRequest {
    for &(name, value) in headers {
        request = request.insert_header((name, value));
    }
    request
}

/// Every URL of the site, spelled out by hand from the bank (as `site::render_all` lists
/// them), so a change to a canonical URL shows here.
fn prerendered_urls(state: &AppState) -> Vec<String> {
    let bank = &state.content.bank;
    let mut urls: Vec<String> = [
        "/",
        "/about",
        "/saved",
        "/review",
        "/stats",
        "/mock",
        "/plan",
        "/sitemap.xml",
        "/robots.txt",
        "/opensearch.xml",
        "/manifest.webmanifest",
        "/icons/any-192.png",
        "/icons/any-512.png",
        "/icons/maskable-512.png",
        "/icons/maskable-180.png",
        "/sw.js",
        "/offline.json",
        "/offline",
        "/feed.xml",
    ]
    .map(str::to_string)
    .into();
    for category in bank.categories() {
        let path = format!("/categories/{}", category.slug);
        urls.extend(
            Difficulty::ALL
                .iter()
                .map(|d| format!("{path}?difficulty={}", d.as_str())),
        );
        urls.push(path);
    }
    urls.extend(bank.tags().map(|(tag, _)| format!("/tags/{tag}")));
    for deck in ["apkg", "csv"] {
        urls.push(format!("/export/drillbook.{deck}"));
        urls.extend(
            bank.categories()
                .iter()
                .map(|c| format!("/export/drillbook.{deck}?category={}", c.slug)),
        );
    }
    for question in bank.questions() {
        let path = format!("/questions/{}/{}", question.id, question.slug);
        urls.push(format!("{path}?study=1"));
        urls.push(format!(
            "{path}?study=1&difficulty={}",
            question.difficulty.as_str()
        ));
        urls.push(path);
    }
    urls.extend(
        state
            .content
            .assets
            .hashed_names()
            .map(|name| format!("/static/{name}")),
    );
    // The link-preview cards, whose URLs carry a fingerprint of the picture (tests/site/cards.rs
    // checks that every page names its own): one for home, each category and each question.
    let cards = card_urls(state);
    assert_eq!(cards.len(), 1 + bank.categories().len() + bank.len());
    urls.extend(cards);
    urls
}

/// Another spelling of a prerendered URL that reaches the same handler and canonical URL but not
/// the fast path's exact lookup: an empty query (`/about?`) for a URL without one, the
/// parameters reversed (`?difficulty=easy&study=1`) for one with two, and a trailing empty
/// parameter (`?difficulty=easy&`, `?study=1&`) for one with one.
fn missing_the_fast_path(url: &str) -> String {
    match url.split_once('?') {
        None => format!("{url}?"),
        Some((path, query)) => {
            let mut params: Vec<&str> = query.split('&').collect();
            if params.len() > 1 {
                params.reverse();
                format!("{path}?{}", params.join("&"))
            } else {
                format!("{url}&")
            }
        }
    }
}

/// The URLs of the shared state's site, checked to be exactly the site's pages.
fn site_urls(state: &AppState) -> Vec<String> {
    let urls = prerendered_urls(state);
    let mut unique = urls.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), urls.len(), "no URL listed twice");
    assert_eq!(
        urls.len(),
        state.site.len(),
        "the list is every prerendered page"
    );
    assert!(
        urls.len() > 30,
        "the fixture prerenders {} pages",
        urls.len()
    );
    for url in &urls {
        assert!(state.site.get(url).is_some(), "{url} is in the site");
    }
    urls
}

/// Asserts two responses are the same: status, every header, every byte.
fn assert_same(fast: &Raw, routed: &Raw, what: &str) {
    assert_eq!(fast.status, routed.status, "{what}: status");
    assert_eq!(
        fast.sorted_headers(),
        routed.sorted_headers(),
        "{what}: headers"
    );
    assert!(fast.body == routed.body, "{what}: the bodies differ");
}

/// Whether the body is worth compressing (the rule `Page::new` applies: a text type, 256 bytes
/// or more).
fn sent_in(identity: &Raw, coding: &str) -> bool {
    let content_type = identity.header("content-type").unwrap_or_default();
    let text = content_type.starts_with("text/")
        || content_type.contains("xml")
        || content_type.contains("javascript")
        || content_type.contains("json");
    let coding = match coding {
        "gzip" => Coding::Gzip,
        "br" => Coding::Brotli,
        _ => return false,
    };
    text && encoding::compress(coding, Level::Best, &identity.body).len() < identity.body.len()
}

#[actix_web::test]
async fn every_page_of_the_site_is_answered_in_every_coding() {
    let state = state();
    let app = test::init_service(web::app(state.clone())).await;
    let mut uncompressed = Vec::new();
    for url in site_urls(&state) {
        let identity = call(&app, get(&url, &[("accept-encoding", "identity")])).await;
        let identity_tag = identity.etag().trim_matches('"').to_string();
        if identity.header("content-type") == Some("text/html; charset=utf-8") {
            assert!(
                sent_in(&identity, "gzip"),
                "{url}: every HTML page is compressed"
            );
        } else if !sent_in(&identity, "gzip") {
            uncompressed.push(url.clone());
        }
        assert!(
            identity_tag.len() == 32 && identity_tag.bytes().all(|b| b.is_ascii_hexdigit()),
            "{url}: a strong hex tag, not {identity_tag}"
        );
        for coding in CODINGS {
            let headers = [("accept-encoding", coding)];
            let fast = call(&app, get(&url, &headers)).await;
            let what = format!("{url} in {coding}");
            assert_eq!(fast.status, 200, "{what}");

            assert_eq!(fast.header("vary"), Some("accept-encoding"), "{what}");
            assert_eq!(fast.header("content-security-policy"), Some(CSP), "{what}");
            assert_eq!(fast.header("x-content-type-options"), Some("nosniff"));
            assert_eq!(fast.header("x-frame-options"), Some("DENY"), "{what}");
            assert!(fast.header("referrer-policy").is_some(), "{what}");
            assert!(fast.header("permissions-policy").is_some(), "{what}");
            assert_eq!(
                fast.header("content-type"),
                identity.header("content-type"),
                "{what}"
            );
            assert_eq!(
                fast.header("cache-control"),
                identity.header("cache-control"),
                "{what}"
            );
            assert!(fast.header("cache-control").is_some(), "{what}");

            let sent = fast.header("content-encoding");
            if coding == "identity" || !sent_in(&identity, coding) {
                assert_eq!(sent, None, "{what}");
            } else {
                assert_eq!(sent, Some(coding), "{what}");
            }
            let suffix = sent.map(|c| format!("-{c}")).unwrap_or_default();
            assert_eq!(
                fast.etag(),
                format!("\"{identity_tag}{suffix}\""),
                "{what}: each coding's own tag"
            );
            assert!(
                fast.decoded() == identity.body,
                "{what}: the body decodes to the identity bytes"
            );
        }
    }
    assert!(
        uncompressed.iter().all(|url| url == "/robots.txt"
            || url.starts_with("/static/")
            || url.starts_with("/cards/")
            || url.starts_with("/icons/")
            || url.starts_with("/export/drillbook.apkg")),
        "only robots.txt, small assets, the PNG cards and icons and the zipped Anki decks are sent \
         as they are: \
         {uncompressed:?}"
    );
}

#[actix_web::test]
async fn a_handler_answers_another_spelling_from_the_same_site() {
    let state = state();
    let app = test::init_service(web::app(state.clone())).await;
    let urls = site_urls(&state);
    // One page of each handler: fixed URLs, categories, tags, questions (plain and in study
    // mode), decks, static files.
    let kinds = [
        "/about",
        "/categories/",
        "/tags/",
        "/questions/",
        "?study=1&difficulty=",
        "/export/",
        "/static/",
    ];
    for kind in kinds {
        let url = urls
            .iter()
            .find(|url| url.contains(kind) || url.as_str() == kind)
            .unwrap_or_else(|| panic!("a page like {kind}"));
        let other = missing_the_fast_path(url);
        let request = TestRequest::get().uri(&other).to_request();
        assert_eq!(
            request.uri().path_and_query().map(|pq| pq.as_str()),
            Some(other.as_str()),
            "the request line keeps the spelling"
        );
        assert!(
            state.site.get(&other).is_none(),
            "{other} misses the lookup"
        );
        for coding in CODINGS {
            let headers = [("accept-encoding", coding)];
            let fast = call(&app, get(url, &headers)).await;
            let routed = call(&app, get(&other, &headers)).await;
            let what = format!("{url} vs {other} in {coding}");
            assert_eq!(routed.status, 200, "{what}");
            assert_same(&fast, &routed, &what);
        }
    }
}

#[actix_web::test]
async fn the_fast_path_answers_if_none_match_with_304_per_coding() {
    let state = state();
    let app = test::init_service(web::app(state.clone())).await;
    for url in site_urls(&state) {
        let mut pages = Vec::new();
        for coding in CODINGS {
            pages.push((
                coding,
                call(&app, get(&url, &[("accept-encoding", coding)])).await,
            ));
        }
        for (coding, page) in &pages {
            let tag = page.etag();
            for condition in [
                tag.to_string(),
                format!("W/{tag}"),
                format!("\"other\", {tag}"),
                "*".to_string(),
            ] {
                let headers = [("accept-encoding", *coding), ("if-none-match", &condition)];
                let what = format!("{url} in {coding}, If-None-Match: {condition}");
                let fast = call(&app, get(&url, &headers)).await;
                assert_eq!(fast.status, 304, "{what}");
                assert!(fast.body.is_empty(), "{what}: a 304 has no body");
                assert_eq!(fast.header("etag"), Some(tag), "{what}");
                assert_eq!(fast.header("vary"), Some("accept-encoding"), "{what}");
                assert_eq!(
                    fast.header("cache-control"),
                    page.header("cache-control"),
                    "{what}"
                );
                assert_eq!(fast.header("content-type"), None, "{what}");
                assert_eq!(fast.header("content-encoding"), None, "{what}");
                assert_eq!(fast.header("content-security-policy"), Some(CSP));
            }
            for (other_coding, other_page) in &pages {
                let other_tag = other_page.etag();
                if other_tag == tag {
                    // A page too small to compress has one tag for every coding.
                    continue;
                }
                let headers = [("accept-encoding", *coding), ("if-none-match", other_tag)];
                let fast = call(&app, get(&url, &headers)).await;
                assert_eq!(
                    fast.status, 200,
                    "{url}: the {other_coding} tag is not current for a client that gets {coding}"
                );
                assert_eq!(fast.header("etag"), Some(tag), "{url} in {coding}");
                assert!(fast.body == page.body, "{url} in {coding}");
            }
        }
    }
}

#[actix_web::test]
async fn gzip_is_sent_until_the_brotli_copies_are_made() {
    let state = state_before_brotli(FIXTURE);
    let app = test::init_service(web::app(state.clone())).await;
    let urls = prerendered_urls(&state);
    assert_eq!(urls.len(), state.site.len(), "every prerendered page");
    let mut before = Vec::new();
    for url in &urls {
        let other = missing_the_fast_path(url);
        let identity = call(&app, get(url, &[("accept-encoding", "identity")])).await;
        let tag = identity.etag().trim_matches('"').to_string();
        // Two requests that would take brotli queue the page for it, and a background thread
        // makes it at once: the canonical spelling makes them both, before the copy can be
        // ready; the other spelling asks for gzip alone, which never races with it.
        for (spelling, accept) in [(url, "br, gzip"), (&other, "gzip")] {
            if spelling == url {
                let br = call(&app, get(spelling, &[("accept-encoding", "br")])).await;
                assert_eq!(br.status, 200, "{spelling}");
                assert_eq!(
                    br.header("content-encoding"),
                    None,
                    "{spelling}: no brotli yet"
                );
                assert_eq!(br.etag(), format!("\"{tag}\""), "{spelling}");
                assert!(br.body == identity.body, "{spelling}");
            }

            let either = call(&app, get(spelling, &[("accept-encoding", accept)])).await;
            assert_eq!(either.status, 200, "{spelling}");
            if sent_in(&identity, "gzip") {
                assert_eq!(
                    either.header("content-encoding"),
                    Some("gzip"),
                    "{spelling}"
                );
                assert_eq!(either.etag(), format!("\"{tag}-gzip\""), "{spelling}");
            } else {
                assert_eq!(either.header("content-encoding"), None, "{spelling}");
                assert_eq!(either.etag(), format!("\"{tag}\""), "{spelling}");
            }
            assert!(either.decoded() == identity.body, "{spelling}");
        }
        before.push((url, other, tag, sent_in(&identity, "br"), identity.body));
    }

    // The same app, once the background work is done.
    state.site.make_every_page().expect("every page renders");
    for (url, other, tag, compressible, identity) in &before {
        assert!(
            *compressible
                || *url == "/robots.txt"
                || url.starts_with("/static/")
                || url.starts_with("/cards/")
                || url.starts_with("/icons/")
                || url.starts_with("/export/drillbook.apkg"),
            "{url} is compressed"
        );
        for spelling in [*url, other] {
            let br = call(&app, get(spelling, &[("accept-encoding", "br")])).await;
            assert_eq!(br.status, 200, "{spelling}");
            if *compressible {
                assert_eq!(br.header("content-encoding"), Some("br"), "{spelling}");
                assert_eq!(br.etag(), format!("\"{tag}-br\""), "{spelling}");
                assert!(br.body.len() < identity.len(), "{spelling}: compressed");
            } else {
                assert_eq!(br.header("content-encoding"), None, "{spelling}");
                assert_eq!(br.etag(), format!("\"{tag}\""), "{spelling}");
            }
            assert!(
                br.decoded() == *identity,
                "{spelling}: the brotli bytes decode to the page"
            );
            let same = call(&app, get(spelling, &[("accept-encoding", "identity")])).await;
            assert_eq!(same.etag(), format!("\"{tag}\""), "{spelling}: same page");
        }
    }
}

#[actix_web::test]
async fn a_gzip_copy_revalidates_until_brotli_is_ready_and_not_after() {
    let state = state_before_brotli(FIXTURE);
    let app = test::init_service(web::app(state.clone())).await;
    let accept = ("accept-encoding", "br, gzip");
    for url in ["/", "/about?"] {
        let gzip = call(&app, get(url, &[accept])).await;
        assert_eq!(gzip.header("content-encoding"), Some("gzip"), "{url}");
        let tag = gzip.etag().to_string();
        let current = call(&app, get(url, &[accept, ("if-none-match", &tag)])).await;
        assert_eq!(current.status, 304, "{url}: the gzip copy is current");
        assert_eq!(current.header("etag"), Some(tag.as_str()), "{url}");
    }
    state.site.make_every_page().expect("every page renders");
    for url in ["/", "/about?"] {
        let gzip_tag = call(&app, get(url, &[("accept-encoding", "gzip")])).await;
        let tag = gzip_tag.etag().to_string();
        let replaced = call(&app, get(url, &[accept, ("if-none-match", &tag)])).await;
        assert_eq!(
            replaced.status, 200,
            "{url}: a client that accepts brotli now gets it, not a 304 for its gzip copy"
        );
        assert_eq!(replaced.header("content-encoding"), Some("br"), "{url}");
        assert_eq!(
            replaced.etag(),
            tag.replace("-gzip", "-br"),
            "{url}: the brotli copy's tag"
        );
        assert!(replaced.decoded() == call(&app, get(url, &[])).await.body);
    }
}

#[actix_web::test]
async fn accept_encoding_edge_cases_on_prerendered_pages() {
    let state = state();
    let app = test::init_service(web::app(state.clone())).await;
    let first = state.content.bank.questions().next().expect("a question");
    let css = state.content.layout.stylesheet.clone();
    let pages = [
        "/".to_string(),
        "/categories/basics?difficulty=easy".to_string(),
        format!(
            "/questions/{}/{}?study=1&difficulty={}",
            first.id,
            first.slug,
            first.difficulty.as_str()
        ),
        "/sitemap.xml".to_string(),
        css,
    ];
    for url in &pages {
        let other = missing_the_fast_path(url);
        for spelling in [url, &other] {
            let identity = call(&app, get(spelling, &[("accept-encoding", "identity")])).await;
            let tag = identity.etag().trim_matches('"').to_string();
            let none = call(&app, TestRequest::get().uri(spelling)).await;
            assert_eq!(none.status, 200, "{spelling}: no Accept-Encoding");
            assert_eq!(none.header("content-encoding"), None, "{spelling}");
            assert_eq!(none.etag(), format!("\"{tag}\""), "{spelling}");
            assert!(none.body == identity.body, "{spelling}");

            for (accept, expected) in [
                ("gzip;q=0, br;q=0", None),
                ("*", Some("br")),
                ("gzip;q=1, br;q=0.5", Some("gzip")),
                ("br;q=0.5, gzip", Some("gzip")),
                ("gzip, br", Some("br")),
            ] {
                let page = call(&app, get(spelling, &[("accept-encoding", accept)])).await;
                assert_eq!(page.status, 200, "{spelling} {accept}");
                assert_eq!(
                    page.header("content-encoding"),
                    expected,
                    "{spelling} {accept}"
                );
                let suffix = expected.map(|c| format!("-{c}")).unwrap_or_default();
                assert_eq!(
                    page.etag(),
                    format!("\"{tag}{suffix}\""),
                    "{spelling} {accept}"
                );
                assert!(page.decoded() == identity.body, "{spelling} {accept}");
            }

            for refusal in ["identity;q=0, *;q=0", "*;q=0"] {
                let refused = call(&app, get(spelling, &[("accept-encoding", refusal)])).await;
                assert_eq!(refused.status, 406, "{spelling} {refusal}");
                assert_eq!(
                    refused.header("content-type"),
                    Some("text/html; charset=utf-8"),
                    "{spelling} {refusal}: a page"
                );
                assert_eq!(refused.header("content-security-policy"), Some(CSP));
                assert_eq!(refused.header("content-encoding"), None);
                assert_eq!(
                    refused.header("etag"),
                    None,
                    "{spelling}: an error has no tag"
                );
                assert_eq!(refused.header("cache-control"), Some("no-store"));
                let body = String::from_utf8_lossy(&refused.body);
                assert!(body.starts_with("<!doctype html>"), "{spelling}: {body}");
                assert!(body.contains("ruled out all three"), "{spelling}: {body}");
            }
        }
    }

    // A file so small that a coding would not make it smaller is sent as it is to a client
    // that takes identity; a coding that does make it smaller is used.
    for accept in ["gzip", "br", "*", "gzip;q=1, br;q=0.5"] {
        let robots = call(&app, get("/robots.txt", &[("accept-encoding", accept)])).await;
        assert_eq!(robots.status, 200, "{accept}");
        let plain = call(&app, get("/robots.txt", &[])).await;
        match robots.header("content-encoding") {
            None => assert!(robots.body == plain.body, "{accept}"),
            Some(_) => assert!(robots.body.len() < plain.body.len(), "{accept}"),
        }
        assert!(robots.decoded().starts_with(b"User-agent: *"), "{accept}");
    }
}

#[actix_web::test]
async fn head_gets_the_get_headers_and_no_body() {
    let state = state();
    let app = test::init_service(web::app(state.clone())).await;
    let urls = [
        "/".to_string(),
        "/about".to_string(),
        "/categories/basics?difficulty=easy".to_string(),
        "/sitemap.xml".to_string(),
        state.content.layout.stylesheet.clone(),
    ];
    for url in &urls {
        let other = missing_the_fast_path(url);
        for spelling in [url, &other] {
            for coding in CODINGS {
                let headers = [("accept-encoding", coding)];
                let got = call(&app, get(spelling, &headers)).await;
                let head = call(
                    &app,
                    with_headers(
                        TestRequest::default().method(Method::HEAD).uri(spelling),
                        &headers,
                    ),
                )
                .await;
                assert_eq!(head.status, 200, "HEAD {spelling} in {coding}");
                assert_eq!(
                    head.sorted_headers(),
                    got.sorted_headers(),
                    "HEAD {spelling} in {coding}: the headers of GET"
                );
            }
        }
    }

    // actix leaves out a HEAD response's body when it writes it to the connection, so the empty
    // body is checked on the wire.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let addr = listener.local_addr().expect("its address");
    let served = state.clone();
    let server = actix_web::HttpServer::new(move || web::app(served.clone()))
        .workers(1)
        .disable_signals()
        .listen(listener)
        .expect("listening")
        .run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    for url in &urls {
        let other = missing_the_fast_path(url);
        for spelling in [url, &other] {
            for coding in CODINGS {
                let (get_head, get_body) = over_the_wire(addr, "GET", spelling, coding).await;
                let (head_head, head_body) = over_the_wire(addr, "HEAD", spelling, coding).await;
                let what = format!("{spelling} in {coding}");
                assert!(get_head.starts_with("HTTP/1.1 200"), "{what}: {get_head}");
                assert!(head_head.starts_with("HTTP/1.1 200"), "{what}: {head_head}");
                assert!(!get_body.is_empty(), "{what}: GET has a body");
                assert!(head_body.is_empty(), "{what}: HEAD has no body");
                for name in [
                    "etag",
                    "content-type",
                    "content-encoding",
                    "content-length",
                    "cache-control",
                    "vary",
                ] {
                    assert_eq!(
                        header_line(&head_head, name),
                        header_line(&get_head, name),
                        "{what}: {name}"
                    );
                }
                assert_eq!(
                    header_line(&get_head, "content-length"),
                    Some(get_body.len().to_string()),
                    "{what}"
                );
            }
        }
    }
    handle.stop(false).await;
}

/// One request on a connection of its own: the response's head and its body, as sent.
async fn over_the_wire(
    addr: std::net::SocketAddr,
    method: &str,
    uri: &str,
    coding: &str,
) -> (String, Vec<u8>) {
    let mut stream = actix_web::rt::net::TcpStream::connect(addr)
        .await
        .expect("connects");
    let request = format!(
        "{method} {uri} HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: {coding}\r\n\
         Connection: close\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .await
        .expect("request sent");
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .await
        .expect("response read");
    let end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8_lossy(&response[..end]).into_owned();
    (head, response[end + 4..].to_vec())
}

/// The value of a header in a response head, by case-insensitive name.
fn header_line(head: &str, name: &str) -> Option<String> {
    head.lines().skip(1).find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().to_string())
    })
}

#[actix_web::test]
async fn other_accepted_spellings_get_the_prerendered_page() {
    let state = state();
    let app = test::init_service(web::app(state.clone())).await;
    let first = state.content.bank.questions().next().expect("a question");
    let question = format!("/questions/{}/{}", first.id, first.slug);
    let own = first.difficulty.as_str();
    let another = Difficulty::ALL
        .iter()
        .map(|d| d.as_str())
        .find(|&d| d != own)
        .expect("another difficulty");
    let cases = [
        (
            "/categories/basics?difficulty=",
            "/categories/basics".to_string(),
        ),
        (
            "/categories/basics?difficulty=+easy",
            "/categories/basics?difficulty=easy".to_string(),
        ),
        (
            "/categories/basics?difficulty=easy&&",
            "/categories/basics?difficulty=easy".to_string(),
        ),
        (&*format!("{question}?study="), question.clone()),
        (
            &*format!("{question}?study=1&difficulty="),
            format!("{question}?study=1"),
        ),
        (
            // A difficulty the question does not have: the whole category is studied.
            &*format!("{question}?study=1&difficulty={another}"),
            format!("{question}?study=1"),
        ),
    ]
    .map(|(spelling, canonical)| (spelling.to_string(), canonical));
    for (spelling, canonical) in &cases {
        assert!(state.site.get(canonical).is_some(), "{canonical}");
        assert!(state.site.get(spelling).is_none(), "{spelling}");
        for coding in CODINGS {
            let headers = [("accept-encoding", coding)];
            let fast = call(&app, get(canonical, &headers)).await;
            let routed = call(&app, get(spelling, &headers)).await;
            assert_eq!(routed.status, 200, "{spelling}");
            assert_same(
                &fast,
                &routed,
                &format!("{spelling} as {canonical} in {coding}"),
            );
        }
    }
}

#[actix_web::test]
async fn non_canonical_spellings_redirect_or_fail_even_when_a_prerendered_page_would_match() {
    let state = state();
    let app = test::init_service(web::app(state.clone())).await;
    let first = state.content.bank.questions().next().expect("a question");
    let canonical = format!("/questions/{}/{}", first.id, first.slug);
    let own = first.difficulty.as_str();
    // Headers that a prerendered page answers with brotli or a 304: they change nothing here.
    let conditions: [&[(&str, &str)]; 3] = [
        &[],
        &[("accept-encoding", "br, gzip")],
        &[("accept-encoding", "br"), ("if-none-match", "*")],
    ];
    for headers in conditions {
        for (from, to) in [
            (format!("/questions/{}", first.id), canonical.clone()),
            (
                format!("/questions/{}?study=1&difficulty={own}", first.id),
                format!("{canonical}?study=1&difficulty={own}"),
            ),
            (
                format!("/questions/{}/wrong-slug?study=1", first.id),
                format!("{canonical}?study=1"),
            ),
            (
                format!("/questions/0{}/{}", first.id, first.slug),
                canonical.clone(),
            ),
        ] {
            let moved = call(&app, get(&from, headers)).await;
            assert_eq!(moved.status, 301, "{from} {headers:?}");
            assert_eq!(moved.header("location"), Some(to.as_str()), "{from}");
            assert_eq!(moved.header("etag"), None, "{from}");
            assert!(moved.body.is_empty(), "{from}");
            assert!(
                state.site.get(&to).is_some(),
                "{from} redirects to the prerendered {to}"
            );
        }
        for missing in [
            "/categories/nope",
            "/categories/nope?difficulty=easy",
            "/categories/empty",
            "/static/app.css",
            "/tags/nope",
        ] {
            let page = call(&app, get(missing, headers)).await;
            assert_eq!(page.status, 404, "{missing} {headers:?}");
            assert_eq!(page.header("etag"), None, "{missing}");
            assert_eq!(page.header("cache-control"), Some("no-store"), "{missing}");
            let body = String::from_utf8_lossy(&page.decoded()).into_owned();
            assert!(body.contains("Page not found"), "{missing}: {body}");
        }
    }
}

#[actix_web::test]
async fn a_page_asked_for_in_brotli_again_gets_its_brotli_bytes_made_in_the_background() {
    let state = state_before_brotli(FIXTURE);
    let app = test::init_service(web::app(state.clone())).await;
    let accept = [("accept-encoding", "br, gzip")];
    let first = call(&app, get("/about", &accept)).await;
    assert_eq!(
        first.header("content-encoding"),
        Some("gzip"),
        "made on demand"
    );
    let tag = first.etag().replace("-gzip", "-br");
    let other = call(&app, get("/saved", &accept)).await;
    assert_eq!(other.header("content-encoding"), Some("gzip"));
    // The second request queues /about; the brotli thread makes it while gzip is sent.
    let mut coding = call(&app, get("/about", &accept)).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while coding.header("content-encoding") != Some("br") {
        assert!(
            std::time::Instant::now() < deadline,
            "no brotli copy of /about after 20 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        coding = call(&app, get("/about", &accept)).await;
    }
    assert_eq!(coding.etag(), tag, "brotli's own tag");
    assert!(coding.decoded() == call(&app, get("/about", &[])).await.body);
    let once = call(&app, get("/saved", &accept)).await;
    assert_eq!(
        once.header("content-encoding"),
        Some("gzip"),
        "a page asked for in brotli once is queued only now: nothing waits for it"
    );
}

#[actix_web::test]
async fn the_page_cache_keeps_within_its_budget_and_serves_the_same_bytes() {
    const BUDGET: u64 = 48 * 1024;
    let bank = || drillbook::bank::load(std::path::Path::new(FIXTURE)).expect("fixture loads");
    let small =
        actix_web::web::Data::new(AppState::with_page_cache(bank(), None, BUDGET).expect("state"));
    let roomy = state_before_brotli(FIXTURE);
    let small_app = test::init_service(web::app(small.clone())).await;
    let roomy_app = test::init_service(web::app(roomy.clone())).await;
    let urls: Vec<String> = roomy.site.urls().map(String::from).collect();
    let mut total = 0;
    for _ in 0..2 {
        for url in &urls {
            let kept = call(&roomy_app, get(url, &[("accept-encoding", "gzip")])).await;
            let made = call(&small_app, get(url, &[("accept-encoding", "gzip")])).await;
            assert_eq!(made.status, 200, "{url}");
            assert!(
                made.body == kept.body,
                "{url}: the same bytes, kept or made again"
            );
            assert_eq!(made.etag(), kept.etag(), "{url}: the same tag");
            total += kept.body.len();
        }
    }
    let stats = small.site.cache_stats();
    assert!(
        total as u64 > 4 * BUDGET,
        "the fixture's pages ({total} bytes) overflow the budget"
    );
    assert!(
        stats.bytes <= BUDGET,
        "kept {} bytes in a budget of {BUDGET}",
        stats.bytes
    );
    assert!(stats.pages > 0 && stats.pages < urls.len(), "{stats:?}");
    assert_eq!(
        stats.hits + stats.misses,
        2 * urls.len() as u64,
        "every request counted"
    );
    assert!(
        stats.misses > urls.len() as u64,
        "some pages made twice: {stats:?}"
    );
    let roomy = roomy.site.cache_stats();
    assert_eq!(roomy.misses, urls.len() as u64, "each made once: {roomy:?}");
    assert_eq!(roomy.hits, urls.len() as u64);
}
