//! Moving progress to another device in a link, between two browsers that share nothing (each
//! chromedriver session its own fresh profile, its own `--user-data-dir`): the link made in one,
//! opened in the other, what it holds shown and merged only when asked; its QR code read back
//! from a screenshot; a damaged or hostile link refused with nothing changed; and the network
//! log showing the payload never went to the server.

use std::io::Write;
use std::process::Command;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fantoccini::Locator;

use crate::harness::{Browser, Launch, Request, Site};

const FIRST: &str = "/questions/1/what-is-the-first-question";
const SECOND: &str = "/questions/2/what-is-the-second-question";
const NOTE: &str = "Wombat note 3c9a: start from the definition.";
const ANSWER: &str = "Wombat answer 8e21: a first try.";

/// Every store the export (and so the link) carries, as this browser keeps it.
const STORES: &str = "return JSON.stringify(Object.fromEntries(\
     ['progress', 'saved', 'review', 'notes', 'answers'].map(name => \
     [name, JSON.parse(localStorage.getItem('drillbook:' + name) || '{}')])))";

fn logged() -> Launch {
    Launch {
        network_log: true,
        ..Launch::default()
    }
}

async fn stores(b: &Browser) -> Result<serde_json::Value, String> {
    let text = b.eval(STORES).await;
    serde_json::from_str(text.as_str().unwrap_or_default())
        .map_err(|e| format!("the stores are not JSON ({e}): {text}"))
}

/// Starts the site and as many browsers as `check` takes; closes them all whatever happens.
async fn with_browsers<F>(count: usize, check: F)
where
    F: AsyncFnOnce(&Site, &[Browser]) -> Result<(), String>,
{
    let site = Site::start("tests/fixtures/valid");
    let mut browsers = Vec::new();
    for _ in 0..count {
        browsers.push(Browser::launch(logged()).await);
    }
    let outcome = check(&site, &browsers).await;
    for browser in browsers {
        browser.close().await;
    }
    if let Err(problem) = outcome {
        panic!("{problem}");
    }
}

/// A mark, a saved question, a note and a typed answer on the first question, a review (and
/// so a mark) on the second.
async fn make_progress(site: &Site, b: &Browser) -> Result<(), String> {
    b.goto(site, FIRST).await?;
    b.click("button[data-save]").await?;
    b.wait_until("document.querySelector('[data-save]').getAttribute('aria-pressed') === 'true'")
        .await?;
    b.click("button[data-mark=known]").await?;
    b.type_into("textarea[data-note-text]", NOTE).await?;
    b.wait_until("document.querySelector('[data-note-status]').textContent === 'Saved.'")
        .await?;
    b.type_into("textarea[data-answer-text]", ANSWER).await?;
    b.wait_until("document.querySelector('[data-answer-status]').textContent === 'Saved.'")
        .await?;
    b.goto(site, SECOND).await?;
    b.press('1').await;
    b.wait_until("document.querySelector('[data-grade-status]').textContent.startsWith('Again.')")
        .await
}

/// Makes the transfer link on the about page and returns it.
async fn make_link(site: &Site, b: &Browser) -> Result<String, String> {
    b.goto(site, "/about").await?;
    b.click("button[data-transfer-make]").await?;
    b.wait_until("document.querySelector('[data-transfer-link]').value !== ''")
        .await?;
    let link = b
        .eval("return document.querySelector('[data-transfer-link]').value")
        .await;
    let link = link.as_str().unwrap_or_default().to_string();
    if !link.starts_with(&site.url("/about#transfer=v1.")) {
        return Err(format!("the transfer link is {link:?}"));
    }
    Ok(link)
}

/// Opens a transfer link and waits for the page to ask; returns what it says the link holds.
async fn open_link(b: &Browser, link: &str) -> Result<String, String> {
    b.client
        .goto(link)
        .await
        .map_err(|e| format!("open the link: {e:?}"))?;
    b.wait_until("document.querySelector('[data-transfer-choice]').hidden === false")
        .await?;
    Ok(b.text("[data-transfer-summary]").await)
}

/// Accepts the link the page asks about and waits for it to say `imported`.
async fn accept(b: &Browser, imported: &str) -> Result<(), String> {
    b.click("button[data-transfer-accept]").await?;
    b.wait_until(&format!(
        "document.querySelector('[data-transfer-summary]').textContent.startsWith({imported:?})"
    ))
    .await
}

/// The payload of a transfer link, the part the server must never see.
fn payload(link: &str) -> &str {
    link.split_once("#transfer=").map_or("", |(_, p)| p)
}

#[tokio::test(flavor = "multi_thread")]
async fn progress_moves_to_another_browser_by_its_link_and_never_through_the_server() {
    with_browsers(2, async |site, browsers| {
        let [sender, receiver] = browsers else {
            return Err("two browsers".into());
        };
        make_progress(site, sender).await?;
        let sent = stores(sender).await?;
        let link = make_link(site, sender).await?;
        let message = sender.text("[data-transfer-message]").await;
        if !message.starts_with("The link holds 2 marks, 1 saved question, 1 review date, 1 note, 1 question with typed answers and 1 question's review history.")
            || !sender.has("svg.transfer-qr path[d^='M']").await
        {
            return Err(format!("after making the link the page says {message:?}"));
        }

        // The other browser starts with nothing of it, reads the link, and asks first.
        receiver.goto(site, "/").await?;
        let empty = stores(receiver).await?;
        if empty.as_object().is_none_or(|s| s.values().any(|v| v != &serde_json::json!({}))) {
            return Err(format!("the second browser shares the first's profile: {empty}"));
        }
        // Saying no leaves this browser as it was.
        open_link(receiver, &link).await?;
        receiver.click("button[data-transfer-decline]").await?;
        receiver
            .wait_until("document.querySelector('[data-transfer-summary]').textContent.startsWith('Nothing was merged')")
            .await?;
        if stores(receiver).await? != empty {
            return Err("declining the link merged it".into());
        }
        let summary = open_link(receiver, &link).await?;
        if !summary.starts_with("This link, made ")
            || !summary.contains(", holds 2 marks, 1 saved question, 1 review date, 1 note, 1 question with typed answers and 1 question's review history. Merge them into this browser?")
        {
            return Err(format!("the arrival says {summary:?}"));
        }
        if stores(receiver).await? != empty {
            return Err("the link was merged before it was accepted".into());
        }
        accept(receiver, "Imported 7 newer entries.").await?;
        let received = stores(receiver).await?;
        if received != sent {
            return Err(format!("sent {sent}\nreceived {received}"));
        }
        // The payload leaves the address bar, and the progress shows on the page.
        let hash = receiver.eval("return location.hash").await;
        if hash != serde_json::json!("#transfer") {
            return Err(format!("the address still holds {hash}"));
        }
        receiver
            .wait_until("document.querySelector('[data-progress-summary] [data-count=known]').textContent === '1'")
            .await?;
        receiver.goto(site, FIRST).await?;
        receiver
            .wait_until(&format!(
                "document.querySelector('[data-note-text]').value === {NOTE:?} \
                 && document.querySelector('[data-answer-text]').value === {ANSWER:?}"
            ))
            .await?;

        // Opening the link again changes nothing: every entry in it is already here.
        open_link(receiver, &link).await?;
        accept(receiver, "Imported 0 newer entries.").await?;

        let mut requests = sender.requests().await?;
        requests.extend(receiver.requests().await?);
        payload_never_sent(site, &requests, payload(&link))
    })
    .await;
}

/// Every request went to the site, and none carried the payload in its URL or body (the
/// fragment is in DevTools' separate `urlFragment`, as it is not part of what is sent).
fn payload_never_sent(site: &Site, requests: &[Request], payload: &str) -> Result<(), String> {
    if requests.is_empty() {
        return Err("the network log is empty: it was not recorded".into());
    }
    if payload.len() < 40 {
        return Err(format!("the payload {payload:?} is too short to look for"));
    }
    let pieces: Vec<&str> = [0, payload.len() / 2, payload.len() - 24]
        .iter()
        .map(|&at| &payload[at..at + 24])
        .collect();
    let mut opened_about = false;
    for request in requests.iter().filter(|r| r.url.starts_with("http")) {
        let body = request.post_data.as_deref().unwrap_or_default();
        let carries = request.url.contains('#')
            || pieces
                .iter()
                .any(|p| request.url.contains(p) || body.contains(p));
        if !request.url.starts_with(&format!("{}/", site.base)) || carries {
            return Err(format!("a request that should not be: {request:?}"));
        }
        opened_about |= request.url == site.url("/about");
    }
    if !opened_about {
        return Err("the log has no request for the about page the link opens".into());
    }
    Ok(())
}

/// Runs the QR reader of tests/js on a PNG; returns what the code says.
fn read_qr(png: &[u8]) -> Result<String, String> {
    let mut file = tempfile::Builder::new()
        .suffix(".png")
        .tempfile()
        .map_err(|e| format!("a temporary file: {e}"))?;
    file.write_all(png)
        .map_err(|e| format!("write the screenshot: {e}"))?;
    let output = Command::new("node")
        .arg("tests/js/read-qr.js")
        .arg(file.path())
        .output()
        .map_err(|e| format!("run node (scripts/test installs it): {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "the QR reader failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("the QR code is not UTF-8: {e}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_qr_code_reads_as_the_link_and_a_link_too_long_for_one_offers_the_file() {
    with_browsers(1, async |site, browsers| {
        let b = &browsers[0];
        make_progress(site, b).await?;
        let link = make_link(site, b).await?;
        let code = b
            .client
            .find(Locator::Css("svg.transfer-qr"))
            .await
            .map_err(|e| format!("the QR code: {e:?}"))?;
        let png = code
            .screenshot()
            .await
            .map_err(|e| format!("screenshot of the QR code: {e:?}"))?;
        let read = read_qr(&png)?;
        if read != link {
            return Err(format!("the QR code says {read:?}, the page {link:?}"));
        }

        // A long note that does not compress: the link no longer fits one code, and the page
        // says so and points to the file instead.
        b.eval(
            "let text = ''; let seed = 7; \
             while (text.length < 6000) { seed = (seed * 1103515245 + 12345) % 2147483648; \
             text += 'abcdefghijklmnopqrstuvwxyz0123456789'[seed % 36]; } \
             const notes = JSON.parse(localStorage.getItem('drillbook:notes')); \
             notes['2'] = { text, at: Date.now() }; \
             localStorage.setItem('drillbook:notes', JSON.stringify(notes)); return true",
        )
        .await;
        let before = link;
        b.click("button[data-transfer-make]").await?;
        b.wait_until(&format!(
            "document.querySelector('[data-transfer-link]').value !== {before:?}"
        ))
        .await?;
        let message = b.text("[data-transfer-message]").await;
        if !message.contains("too long for one QR code (the most one holds is 2,953)")
            || !message.contains("Export progress")
            || !b
                .holds("document.querySelector('[data-transfer-qr]').hidden")
                .await
            || b.has("svg.transfer-qr").await
        {
            return Err(format!("a link too long for a QR code: {message:?}"));
        }
        Ok(())
    })
    .await;
}

/// A payload whose header claims `declared` bytes and whose body unpacks to `actual` spaces.
fn bomb(declared: u32, actual: usize) -> Result<String, String> {
    let mut packed = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    packed
        .write_all(&vec![b' '; actual])
        .map_err(|e| format!("compress: {e}"))?;
    let packed = packed.finish().map_err(|e| format!("compress: {e}"))?;
    let mut bytes = declared.to_be_bytes().to_vec();
    bytes.extend([0, 0, 0, 0]);
    bytes.extend(packed);
    Ok(format!("v1.{}", URL_SAFE_NO_PAD.encode(bytes)))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_or_hostile_link_is_refused_and_changes_nothing() {
    with_browsers(1, async |site, browsers| {
        let b = &browsers[0];
        make_progress(site, b).await?;
        let link = make_link(site, b).await?;
        let kept = stores(b).await?;
        let good = payload(&link);
        let cases = [
            (
                "cut short",
                good[..good.len() * 2 / 3].to_string(),
                "damaged or cut short",
            ),
            (
                "a newer version",
                format!("v7.{}", &good[3..]),
                "newer version",
            ),
            (
                "junk",
                "v1.<script>alert(1)</script>".to_string(),
                "damaged or cut short",
            ),
            ("a bomb", bomb(64 * 1024 * 1024, 64 * 1024 * 1024)?, "MiB"),
            (
                "a bomb that lies",
                bomb(1000, 32 * 1024 * 1024)?,
                "damaged or cut short",
            ),
        ];
        for (what, fragment, says) in cases {
            // From another page, a new document; then the same link in place on the about page.
            for from in ["/", "/about"] {
                b.goto(site, from).await?;
                b.eval(&format!(
                    "location.href = '/about#transfer=' + {fragment:?}; return true"
                ))
                .await;
                b.wait_until("document.querySelector('[data-transfer-problem]').hidden === false")
                    .await
                    .map_err(|e| format!("{what} from {from}: {e}"))?;
                let problem = b.text("[data-transfer-problem]").await;
                let choice = b
                    .holds("document.querySelector('[data-transfer-choice]').hidden")
                    .await;
                if !problem.contains(says)
                    || !problem.ends_with("changed here.")
                    || !choice
                    || b.has("[data-transfer-problem] script").await
                {
                    return Err(format!("{what} from {from}: the page says {problem:?}"));
                }
                if stores(b).await? != kept {
                    return Err(format!("{what} from {from} changed the stores"));
                }
            }
        }
        Ok(())
    })
    .await;
}
