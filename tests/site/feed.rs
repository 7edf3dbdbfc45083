//! The Atom feed (`/feed.xml`) as a feed reader reads it: Python's feedparser parses what the app
//! serves, and its reading is checked against the bank, the question pages and the sitemap.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use actix_web::test::TestRequest;
use actix_web::web::Data;
use drillbook::bank::{self, Question};
use drillbook::web::AppState;
use drillbook::web::urls::Paths;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::common::{Page, get, respond, shipped_state};
use crate::tree::copy_tree;

/// Reads a feed on standard input with feedparser and prints its reading as JSON.
const READER: &str = "tests/feed/read_feed.py";
/// How many questions the feed lists at most.
const MAX_ENTRIES: usize = 50;
const ATOM: &str = "application/atom+xml; charset=utf-8";

/// A Python that has feedparser: `FEED_PYTHON`, `PYTHON`, `python3`, or the system's own
/// `/usr/bin/python3`, where Debian's `python3-feedparser` installs it.
fn feed_python() -> String {
    let named = ["FEED_PYTHON", "PYTHON"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok());
    let candidates: Vec<String> = named
        .chain(["python3", "/usr/bin/python3"].map(String::from))
        .collect();
    candidates
        .iter()
        .find(|python| {
            Command::new(python)
                .args(["-c", "import feedparser"])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success())
        })
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "none of {candidates:?} can import feedparser: run scripts/test --install-only \
                 (it installs Debian's python3-feedparser), or name a Python that has it in \
                 FEED_PYTHON"
            )
        })
}

/// What feedparser reads in `xml`.
fn parse_feed(xml: &[u8]) -> Value {
    let mut child = Command::new(feed_python())
        .arg(READER)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the feed reader");
    child
        .stdin
        .take()
        .expect("its input")
        .write_all(xml)
        .expect("send the feed");
    let output = child.wait_with_output().expect("the feed reader ends");
    assert!(
        output.status.success(),
        "{READER} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let reading: Value = serde_json::from_slice(&output.stdout).expect("JSON from the reader");
    assert_eq!(
        reading["bozo"], 0,
        "feedparser finds the feed malformed: {}",
        reading["bozo_exception"]
    );
    assert_eq!(reading["version"], "atom10");
    reading
}

/// The feed of `state`, checked to be served as Atom, and feedparser's reading of it.
async fn feed_of(state: &Data<AppState>) -> (Page, Value) {
    let raw = respond(state.clone(), TestRequest::get().uri("/feed.xml")).await;
    assert_eq!(raw.status, 200);
    assert_eq!(raw.header("content-type"), Some(ATOM));
    let reading = parse_feed(&raw.body);
    (raw.into(), reading)
}

/// A time as RFC 3339 writes it, parsed.
fn rfc3339(text: &Value) -> OffsetDateTime {
    let text = text
        .as_str()
        .unwrap_or_else(|| panic!("a time, found {text}"));
    OffsetDateTime::parse(text, &Rfc3339).unwrap_or_else(|err| panic!("{text}: {err}"))
}

/// The text of a JSON string.
fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("a string, found {value}"))
}

/// The questions the feed should list, in its order: the latest reviews first, the higher id
/// first on the same day, at most 50, none without a review date.
fn expected_entries(bank: &bank::Bank) -> Vec<&Question> {
    let mut dated: Vec<&Question> = bank.questions().filter(|q| q.reviewed.is_some()).collect();
    dated.sort_by_key(|q| Reverse((q.reviewed, q.id)));
    dated.truncate(MAX_ENTRIES);
    dated
}

/// Every `<loc>` of the sitemap with its `<lastmod>`.
fn sitemap_dates(xml: &str) -> HashMap<String, String> {
    xml.split("<url>")
        .skip(1)
        .filter_map(|url| {
            let between = |open: &str, close: &str| {
                let rest = url.split_once(open)?.1;
                Some(rest.split_once(close)?.0.to_string())
            };
            Some((
                between("<loc>", "</loc>")?,
                between("<lastmod>", "</lastmod>")?,
            ))
        })
        .collect()
}

#[actix_web::test]
async fn the_shipped_feed_lists_the_50_latest_reviews_as_feedparser_reads_them() {
    let state = shipped_state();
    let bank = &state.content.bank;
    let base = state.content.layout.base_url.clone();
    let (page, reading) = feed_of(&state).await;

    let expected = expected_entries(bank);
    assert!(bank.len() > MAX_ENTRIES, "the shipped bank is cut");
    assert_eq!(expected.len(), MAX_ENTRIES);
    let entries = reading["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), MAX_ENTRIES);

    let sitemap = respond(state.clone(), TestRequest::get().uri("/sitemap.xml")).await;
    let lastmods = sitemap_dates(&String::from_utf8_lossy(&sitemap.body));
    let mut ids = HashSet::new();
    for (entry, question) in entries.iter().zip(&expected) {
        let url = format!("{base}{}", question.path());
        assert_eq!(text(&entry["title"]), question.title, "verbatim");
        assert_eq!(text(&entry["link"]), url);
        assert_eq!(
            text(&entry["id"]),
            format!("tag:drillbook,2026:question:{}", question.id)
        );
        assert!(ids.insert(text(&entry["id"]).to_string()), "ids are unique");

        let updated = rfc3339(&entry["updated"]);
        let reviewed = question.reviewed.expect("a review date");
        assert_eq!(updated, reviewed.midnight().assume_utc(), "{url}");
        assert_eq!(
            lastmods.get(&url).map(String::as_str),
            Some(updated.date().to_string().as_str()),
            "{url}: the sitemap's lastmod and the feed agree"
        );

        let question_page = respond(state.clone(), TestRequest::get().uri(&question.path())).await;
        let question_page: Page = question_page.into();
        assert_eq!(
            text(&entry["summary"]),
            question_page.attr("meta[name=description]", "content"),
            "{url}: the summary is the page's description"
        );
    }
    let times: Vec<(OffsetDateTime, u32)> = entries
        .iter()
        .zip(&expected)
        .map(|(entry, q)| (rfc3339(&entry["updated"]), q.id))
        .collect();
    assert!(
        times.windows(2).all(|pair| pair[0] > pair[1]),
        "newest first, then by id: {times:?}"
    );

    let feed = &reading["feed"];
    assert_eq!(feed["id"], "tag:drillbook,2026:questions");
    assert_eq!(feed["title"], state.content.layout.site_title.as_str());
    assert_eq!(feed["author"], state.content.layout.site_title.as_str());
    assert_eq!(
        rfc3339(&feed["updated"]),
        rfc3339(&entries[0]["updated"]),
        "the newest entry's"
    );
    let links = feed["links"].as_array().expect("links");
    let link = |rel: &str| {
        links
            .iter()
            .find(|link| link["rel"] == rel)
            .unwrap_or_else(|| panic!("no {rel} link in {links:?}"))
    };
    assert_eq!(link("self")["href"], format!("{base}/feed.xml"));
    assert_eq!(link("self")["type"], "application/atom+xml");
    assert_eq!(link("alternate")["href"], format!("{base}/"));

    // Cached and tagged like the other pages made from the bank alone.
    assert_eq!(
        page.header("cache-control"),
        sitemap.header("cache-control")
    );
    let etag = page.header("etag").expect("an ETag");
    let again = respond(
        state.clone(),
        TestRequest::get()
            .uri("/feed.xml")
            .insert_header(("if-none-match", etag)),
    )
    .await;
    assert_eq!(again.status, 304);
}

#[actix_web::test]
async fn markup_in_titles_and_summaries_is_text_and_undated_questions_stay_out() {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_tree(Path::new("tests/fixtures/valid"), dir.path());
    // The hostile question, reviewed on the day question 1 was: a tie.
    let hostile = dir.path().join("basics/003-hostile.md");
    let text_of = std::fs::read_to_string(&hostile).expect("read");
    let dated = text_of.replacen("difficulty = ", "reviewed = 2026-11-30\ndifficulty = ", 1);
    std::fs::write(&hostile, dated).expect("write");
    let state =
        Data::new(AppState::new(bank::load(dir.path()).expect("loads"), None).expect("state"));
    let (page, reading) = feed_of(&state).await;

    let bank = &state.content.bank;
    let entries = reading["entries"].as_array().expect("entries");
    let ids: Vec<&str> = entries.iter().map(|e| text(&e["id"])).collect();
    assert_eq!(
        ids,
        [
            "tag:drillbook,2026:question:3",
            "tag:drillbook,2026:question:1",
            "tag:drillbook,2026:question:10",
        ],
        "the same day by descending id; 2 has no review date"
    );
    assert!(bank.len() > entries.len());
    let third = bank.question(3).expect("question 3");
    assert_eq!(text(&entries[0]["title"]), third.title);
    assert_eq!(entries[0]["title_type"], "text/plain");
    assert_eq!(text(&entries[0]["summary"]), third.summary);
    assert!(third.title.contains("<script>") && third.summary.contains("<img"));
    assert!(!page.body.contains("<script>") && !page.body.contains("<img"));
    assert_eq!(
        text(&entries[0]["link"]),
        format!(
            "https://drill.example{}",
            drillbook::bank::question_path(3, &third.slug)
        )
    );
}

#[actix_web::test]
async fn every_page_links_the_feed_from_its_head_and_footer() {
    for uri in [
        "/",
        "/questions/1/what-is-the-first-question",
        "/tags/alpha",
        "/search?q=first",
        "/nope",
    ] {
        let page = get(uri).await;
        assert_eq!(
            page.attrs(
                "head link[rel=alternate][type='application/atom+xml']",
                "href"
            ),
            ["/feed.xml"],
            "{uri}"
        );
        assert_eq!(
            page.attrs(".site-footer a[href='/feed.xml']", "href").len(),
            1,
            "{uri}"
        );
    }
}

#[actix_web::test]
async fn ids_stay_when_the_site_moves_and_a_bank_without_review_dates_has_an_empty_feed() {
    let moved = |base: Option<&str>| {
        let bank = bank::load(Path::new("tests/fixtures/valid")).expect("loads");
        Data::new(AppState::new(bank, base).expect("state"))
    };
    let (_, here) = feed_of(&moved(None)).await;
    let (_, there) = feed_of(&moved(Some("https://elsewhere.example"))).await;
    let ids = |reading: &Value| -> Vec<String> {
        let entries = reading["entries"].as_array().expect("entries");
        entries.iter().map(|e| text(&e["id"]).to_string()).collect()
    };
    assert_eq!(ids(&here), ids(&there));
    assert_eq!(here["feed"]["id"], there["feed"]["id"]);
    assert!(text(&there["entries"][0]["link"]).starts_with("https://elsewhere.example/"));

    let grouped = bank::load(Path::new("tests/fixtures/grouped")).expect("loads");
    assert!(grouped.questions().all(|q| q.reviewed.is_none()));
    let state = Data::new(AppState::new(grouped, None).expect("state"));
    let (_, empty) = feed_of(&state).await;
    assert_eq!(empty["entries"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        rfc3339(&empty["feed"]["updated"]),
        OffsetDateTime::UNIX_EPOCH,
        "a fixed time, the same on every replica"
    );
}
