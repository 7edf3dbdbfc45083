//! Arbitrary requests to every route through the real app: whatever the path, query string,
//! method, headers and body, the answer is never a server error or a panic, every text body says
//! its charset, and nothing from the request comes back as live markup.

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, Uri};
use actix_web::test::{self, TestRequest};
use drillbook::search::{MAX_CORRECTED_WORDS, MAX_QUERY_CHARS, MAX_TERMS};
use drillbook::web;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use scraper::{Html, Selector};

use crate::common::{call, state};

/// Values that try to break out of text, attributes, URLs and scripts; each carries `x9q` so a
/// live copy in a page is easy to tell from the site's own markup.
const INJECTIONS: &[&str] = &[
    "<script>x9q</script>",
    "\"><img src=x onerror=x9q>",
    "' onmouseover='x9q",
    "javascript:x9q",
    "</title><svg onload=x9q>",
    "{{x9q}}",
    "%x9q",
    "\u{0}x9q\u{202e}",
];

/// One path segment or parameter value, percent-encoded the way a client might send it: any
/// text, an injection, raw bytes that need not be UTF-8, or broken percent-encoding.
fn value() -> impl Strategy<Value = String> {
    let encode = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    prop_oneof![
        ".{0,30}".prop_map(move |s| encode(&s)),
        proptest::sample::select(INJECTIONS).prop_map(encode),
        proptest::collection::vec(any::<u8>(), 0..24)
            .prop_map(|bytes| bytes.iter().map(|b| format!("%{b:02X}")).collect()),
        "(%|%[0-9A-Fa-f]|%[G-Zg-z][0-9]|[a-z0-9._~-]){0,12}",
        "[0-9]{1,25}",
        Just(String::new()),
        proptest::sample::select(
            &[
                "1",
                "0",
                "-1",
                "4294967296",
                "basics",
                "alpha",
                "what-is-the-first-question",
                "easy",
                "results",
                "..",
                "%2e%2e%2fsite.toml",
            ][..]
        )
        .prop_map(str::to_string),
    ]
}

/// A path: one of the site's routes with arbitrary segments, or an arbitrary path.
fn path(mock_code: String) -> impl Strategy<Value = String> {
    let route = proptest::sample::select(
        &[
            "/",
            "/categories/{}",
            "/tags/{}",
            "/questions/{}",
            "/questions/{}/{}",
            "/questions/1/{}",
            "/random",
            "/search",
            "/opensearch.xml",
            "/export/drillbook.apkg",
            "/export/drillbook.csv",
            "/saved",
            "/about",
            "/sitemap.xml",
            "/robots.txt",
            "/mock",
            "/mock/{}/results",
            "/mock/{}/{}",
            "/mock/CODE/{}",
            "/mock/CODE/results",
            "/mock/CODE/invite",
            "/mock/CODE/interviewer",
            "/mock/CODE/interviewer/{}",
            "/mock/CODE/interviewer/scorecard",
            "/mock/CODE/scorecard",
            "/mock/{}/interviewer/{}",
            "/static/{}",
            "/healthz",
            "/readyz",
            "/{}",
            "/{}/{}/{}",
        ][..],
    );
    (route, value(), value()).prop_map(move |(route, first, second)| {
        route
            .replacen("{}", &first, 1)
            .replacen("{}", &second, 1)
            .replace("CODE", &mock_code)
    })
}

/// A query string of known and unknown parameters, or bytes that are no query string at all.
fn query() -> impl Strategy<Value = String> {
    let key = proptest::sample::select(
        &[
            "q",
            "page",
            "category",
            "difficulty",
            "study",
            "tag",
            "count",
            "minutes",
            "categories",
            "revealed",
            "x",
            "",
        ][..],
    );
    prop_oneof![
        3 => proptest::collection::vec((key, value()), 0..5).prop_map(|pairs| {
            pairs
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
        }),
        1 => "[=&;%a-z0-9+]{0,40}",
    ]
}

fn method() -> impl Strategy<Value = Method> {
    proptest::sample::select(
        &[
            Method::GET,
            Method::GET,
            Method::GET,
            Method::HEAD,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
            Method::PATCH,
        ][..],
    )
}

/// Request headers a client controls, with values from plausible to hostile.
fn headers() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    let name = proptest::sample::select(
        &[
            "accept-encoding",
            "if-none-match",
            "accept",
            "accept-language",
            "content-type",
            "cookie",
            "range",
            "referer",
            "user-agent",
            "x-forwarded-for",
            "x-anything",
        ][..],
    );
    let value = prop_oneof![
        proptest::sample::select(
            &[
                "gzip",
                "br;q=1, gzip;q=0.5",
                "identity;q=0, *;q=0",
                "*",
                "\"abc\", W/\"def\"",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "bytes=0-10",
                "text/html;q=0.9, */*;q=0.1",
            ][..]
        )
        .prop_map(|s| s.as_bytes().to_vec()),
        proptest::sample::select(INJECTIONS).prop_map(|s| s.as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 0..60),
    ];
    proptest::collection::vec((name.prop_map(str::to_string), value), 0..4)
}

/// A body: nothing, a form, or arbitrary bytes, some larger than the site accepts.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => Just(Vec::new()),
        2 => (1u8..30, 1u8..20, value()).prop_map(|(n, m, c)| {
            format!("count={n}&minutes={m}&category={c}").into_bytes()
        }),
        1 => proptest::collection::vec(any::<u8>(), 0..2048),
        1 => (16_000usize..40_000).prop_map(|n| vec![b'a'; n]),
    ]
}

#[test]
fn no_request_to_any_route_fails_the_server_or_reflects_markup() {
    let system = actix_web::rt::System::new();
    let app = system.block_on(test::init_service(web::app(state())));
    let mock_code = system.block_on(async {
        let started = call(
            &app,
            TestRequest::post()
                .uri("/mock")
                .insert_header(("content-type", "application/x-www-form-urlencoded"))
                .set_payload("category=basics&count=2&minutes=1"),
        )
        .await;
        let location = started.header("location").unwrap_or_default().to_string();
        location
            .trim_start_matches("/mock/")
            .split('/')
            .next()
            .unwrap_or_default()
            .to_string()
    });
    assert!(!mock_code.is_empty(), "a mock interview starts");

    let scripts = Selector::parse("script").expect("selector");
    let every_element = Selector::parse("*").expect("selector");
    let cases = (path(mock_code), query(), method(), headers(), body());
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::with_cases(4000)
    });
    runner
        .run(&cases, |(path, query, method, headers, body)| {
            let target = if query.is_empty() {
                path
            } else {
                format!("{path}?{query}")
            };
            // What no client can send (the server's HTTP parser refuses it first) is skipped.
            prop_assume!(target.parse::<Uri>().is_ok());
            let mut request = TestRequest::default()
                .method(method.clone())
                .uri(&target)
                .set_payload(body);
            for (name, value) in &headers {
                let (Ok(name), Ok(value)) = (
                    HeaderName::try_from(name.as_str()),
                    HeaderValue::from_bytes(value),
                ) else {
                    continue;
                };
                request = request.append_header((name, value));
            }
            let response = system.block_on(call(&app, request));
            let status = response.status;
            let content_type = response.header("content-type").unwrap_or_default();
            let encoding = response.headers.get("content-encoding");
            let body = &response.body;
            prop_assert!(
                !status.is_server_error(),
                "{method} {target} {headers:?}: {status}"
            );
            // An Anki deck is a zip, which has no charset.
            if !body.is_empty() && content_type != "application/x-apkg" {
                prop_assert!(
                    content_type.contains("charset=utf-8"),
                    "{method} {target}: Content-Type {content_type:?}"
                );
            }
            if encoding.is_some() || !content_type.starts_with("text/html") {
                return Ok(());
            }
            let text = String::from_utf8_lossy(body);
            prop_assert!(
                !text.contains("x9q<") && !text.contains("<script>x9q"),
                "{method} {target}: live markup in\n{text}"
            );
            let page = Html::parse_document(&text);
            for script in page.select(&scripts) {
                prop_assert!(
                    script.value().attr("src").is_some() && script.inner_html().trim().is_empty(),
                    "{method} {target}: inline script {}",
                    script.html()
                );
            }
            for element in page.select(&every_element) {
                for (name, value) in element.value().attrs() {
                    prop_assert!(
                        !name.starts_with("on"),
                        "{method} {target}: event handler {name}={value}"
                    );
                    let is_url = matches!(name, "href" | "src" | "action" | "formaction");
                    prop_assert!(
                        !(is_url
                            && value
                                .trim_start()
                                .to_ascii_lowercase()
                                .starts_with("javascript:")),
                        "{method} {target}: {name}={value}"
                    );
                }
            }
            Ok(())
        })
        .expect("every request gets an answer that is safe to render");
}

/// Queries as costly as the limits allow: up to 40 words (more than are searched) of letters
/// found in no question, each long enough to be a typo worth correcting.
fn costly_query() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec("[b-z]{8,20}", 1..40).prop_map(|words| {
        let mut length = 0;
        words
            .into_iter()
            .take_while(|word| {
                length += word.len() + 1;
                length <= MAX_QUERY_CHARS + 1
            })
            .collect()
    })
}

#[test]
fn the_costliest_queries_get_a_page_that_says_what_was_left_out() {
    let system = actix_web::rt::System::new();
    let pool = web::Offload::start(web::PoolLimits {
        threads: 1,
        queue: 1,
    })
    .expect("a pool");
    let app = system.block_on(test::init_service(web::app(state()).app_data(pool)));
    let cutoffs = Selector::parse(".search-cutoff").expect("selector");
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::with_cases(200)
    });
    runner
        .run(&costly_query(), |words| {
            let target = format!("/search?q={}", words.join("+"));
            let response = system.block_on(call(&app, TestRequest::get().uri(&target)));
            // One request at a time never finds the pool full; a 503 would be a bug here.
            prop_assert_eq!(response.status.as_u16(), 200, "{}", target);
            let page = Html::parse_document(&String::from_utf8_lossy(&response.body));
            let notes: Vec<String> = page
                .select(&cutoffs)
                .map(|note| note.text().collect())
                .collect();
            let mut distinct = words.clone();
            distinct.sort();
            distinct.dedup();
            let searched = distinct.len().min(MAX_TERMS);
            prop_assert_eq!(
                notes
                    .iter()
                    .any(|n| n.starts_with("Searched for the first")),
                words.len() > MAX_TERMS,
                "{:?}",
                notes
            );
            let corrected =
                format!("Spelling corrections were tried for {MAX_CORRECTED_WORDS} words only");
            prop_assert_eq!(
                notes.iter().any(|n| n.starts_with(&corrected)),
                searched > MAX_CORRECTED_WORDS,
                "{} words: {:?}",
                searched,
                notes
            );
            Ok(())
        })
        .expect("every costly query gets its page, saying what was left out");
}
