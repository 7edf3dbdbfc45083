//! Helpers: the real app over the valid fixture bank, requests, and HTML selectors.

use std::path::Path;
use std::sync::OnceLock;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::test::{self, TestRequest};
use actix_web::web::{Bytes, Data};
use drillbook::bank;
use drillbook::web::{self, AppState, LiveState};
use scraper::{Html, Selector};

/// The fixture bank's state, built once for all tests.
pub fn state() -> Data<AppState> {
    static STATE: OnceLock<Data<AppState>> = OnceLock::new();
    STATE
        .get_or_init(|| state_of("tests/fixtures/valid"))
        .clone()
}

/// The shipped bank's state (`content/`), built once for the tests that need a bank of its size.
pub fn shipped_state() -> Data<AppState> {
    static STATE: OnceLock<Data<AppState>> = OnceLock::new();
    STATE.get_or_init(|| state_before_brotli("content")).clone()
}

/// A response, read whole, its body as text: for pages and other text to look into.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    /// The trimmed text of every element matching a CSS selector.
    pub fn texts(&self, css: &str) -> Vec<String> {
        let selector = Selector::parse(css).expect("valid selector");
        self.html()
            .select(&selector)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// The value of an attribute on every element matching a CSS selector.
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        let selector = Selector::parse(css).expect("valid selector");
        self.html()
            .select(&selector)
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    pub fn text(&self, css: &str) -> String {
        self.texts(css)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no {css} in:\n{}", self.body))
    }

    pub fn attr(&self, css: &str, attr: &str) -> String {
        self.attrs(css, attr)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no {css}[{attr}] in:\n{}", self.body))
    }
}

/// Sends a request through the fixture bank's app and reads the body as text.
pub async fn send(request: TestRequest) -> Page {
    respond(state(), request).await.into()
}

/// The state of a fixture bank as the server has it once start-up work is done: every
/// prerendered page also compressed with brotli.
pub fn state_of(fixture: &str) -> Data<AppState> {
    let state = state_before_brotli(fixture);
    state.site.make_every_page().expect("every page renders");
    state
}

/// The state of a fixture bank as the server has it when it starts listening, before the
/// prerendered pages' brotli copies are made.
pub fn state_before_brotli(fixture: &str) -> Data<AppState> {
    let bank = bank::load(Path::new(fixture)).expect("fixture bank loads");
    Data::new(AppState::new(bank, None).expect("state"))
}

/// The URLs of the site's link-preview cards, sorted: they carry fingerprints, so tests list
/// them from the site rather than write them out.
pub fn card_urls(state: &AppState) -> Vec<String> {
    let mut urls: Vec<String> = state
        .site
        .urls()
        .filter(|url| url.starts_with("/cards/"))
        .map(String::from)
        .collect();
    urls.sort();
    urls
}

/// A GET of `uri` from the fixture bank's app.
pub async fn get(uri: &str) -> Page {
    send(TestRequest::get().uri(uri)).await
}

/// A GET of `uri` from the fixture bank's app, its body as the bytes sent (an image, say).
pub async fn get_raw(uri: &str) -> Raw {
    respond(state(), TestRequest::get().uri(uri)).await
}

/// Asserts the page is a complete page of the site's layout.
pub fn assert_in_layout(page: &Page) {
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.body.starts_with("<!doctype html>"), "{}", page.body);
    assert_eq!(page.texts("title").len(), 1, "one <title>");
    assert_eq!(page.texts("a.skip-link"), ["Skip to content"]);
    assert_eq!(page.attrs("form.search", "action")[0], "/search");
    assert_eq!(page.attrs("main#main", "id").len(), 1);
}

/// A response with its body as bytes, for bodies that are not text (compressed pages, decks).
pub struct Raw {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl From<Raw> for Page {
    fn from(raw: Raw) -> Page {
        Page {
            status: raw.status,
            headers: raw.headers,
            body: String::from_utf8_lossy(&raw.body).into_owned(),
        }
    }
}

/// Sends a request through the whole app over `state`, middleware included, and reads the
/// response whole. The app is made for this one request; tests that need one app to answer
/// several (a state changed between requests, as a running server sees it) use [`call`].
pub async fn respond(state: impl Into<LiveState>, request: TestRequest) -> Raw {
    let state: LiveState = state.into();
    call(&test::init_service(web::app(state)).await, request).await
}

/// Sends a request to an app made by `test::init_service` and reads the response whole: every
/// request of these tests goes through here.
pub async fn call<S, B>(app: &S, request: TestRequest) -> Raw
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let response = test::call_service(app, request.to_request()).await;
    let status = response.status();
    let headers = response.headers().clone();
    let body = test::read_body(response).await;
    Raw {
        status,
        headers,
        body,
    }
}

/// Posts a form to `/mock`, as the setup page does.
pub async fn post_form(body: &str) -> Page {
    send(
        TestRequest::post()
            .uri("/mock")
            .insert_header(("content-type", "application/x-www-form-urlencoded"))
            .set_payload(body.to_string()),
    )
    .await
}

/// Starts an interview from the setup form's fields and returns its code.
pub async fn start_interview(body: &str) -> String {
    let started = post_form(body).await;
    assert_eq!(started.status, 303, "{}", started.body);
    let location = started.header("location").expect("location").to_string();
    let code = location
        .strip_prefix("/mock/")
        .and_then(|rest| rest.strip_suffix("/1"))
        .unwrap_or_else(|| panic!("unexpected location {location}"));
    code.to_string()
}
