//! Studying offline, in Chromium with the site's own service worker: pages opened come back
//! without a connection, a kept category opens whole, a mock interview started online can be
//! finished, and a changed bank replaces what was kept on the next visit online. "Offline" is
//! both DevTools' emulation (`navigator.onLine` turns false) and the server stopped, so nothing
//! can answer from the network: each check owns its site, so that it can stop it.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::harness::{Browser, Site, in_browser};

/// The bank `in_browser` serves, copied for the test that edits it.
const FIXTURE: &str = "tests/fixtures/valid";
const FIRST: &str = "/questions/1/what-is-the-first-question";
const FIRST_TITLE: &str = "What is the first question?";
const HOME_TITLE: &str = "drilltest";
const TENTH: &str = "/questions/10/why-is-the-tenth-question-in-another-category";

/// Waits until the site's worker controls the page.
async fn controlled(b: &Browser) -> Result<(), String> {
    wait_long(b, "navigator.serviceWorker.controller !== null").await
}

/// Waits up to 20 s for an expression (installing fetches every static file first).
async fn wait_long(b: &Browser, expression: &str) -> Result<(), String> {
    b.wait_for(expression, Duration::from_secs(20)).await
}

/// Runs an expression that gives a promise and returns what it resolves to.
async fn resolve(b: &Browser, promise: &str) -> Result<serde_json::Value, String> {
    b.eval_async(&format!(
        "var done = arguments[arguments.length - 1]; \
         Promise.resolve().then(function () {{ return {promise}; }}) \
           .then(done, function (e) {{ done('failed: ' + e); }});"
    ))
    .await
}

/// Whether any cache of the site holds `url`.
async fn is_stored(b: &Browser, url: &str) -> Result<bool, String> {
    let found = resolve(
        b,
        &format!("caches.match({url:?}, {{ ignoreVary: true }}).then(function (r) {{ return Boolean(r); }})"),
    )
    .await?;
    found
        .as_bool()
        .ok_or_else(|| format!("caches.match({url}) gave {found}"))
}

/// Waits up to 10 s for a cache of the site to hold `url`; the error says why it should.
async fn wait_stored(b: &Browser, url: &str, why: &str) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !is_stored(b, url).await? {
        if Instant::now() > deadline {
            return Err(format!("{url} was not kept {why}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

async fn cache_names(b: &Browser) -> Result<Vec<String>, String> {
    let names = resolve(b, "caches.keys()").await?;
    Ok(names
        .as_array()
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default())
}

/// Goes offline: the page's network is cut and the server stopped.
async fn go_offline(b: &Browser, site: Site) -> Result<(), String> {
    b.set_offline(true).await?;
    drop(site);
    if !b.holds("navigator.onLine === false").await {
        return Err("navigator.onLine stayed true offline".into());
    }
    Ok(())
}

/// Opens `path` of the site at `base` (which may be stopped) and checks its heading.
async fn expect_heading(b: &Browser, base: &str, path: &str, heading: &str) -> Result<(), String> {
    b.client
        .goto(&format!("{base}{path}"))
        .await
        .map_err(|e| format!("open {path}: {e:?}"))?;
    let shown = b.text("h1").await;
    if shown != heading {
        return Err(format!("{path} showed {shown:?}, not {heading:?}"));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_opened_come_back_offline_and_others_show_the_offline_page() {
    in_browser(|site, browser| async move {
        let outcome = visited_pages(site, &browser).await;
        (browser, outcome)
    })
    .await;
}

async fn visited_pages(site: Site, b: &Browser) -> Result<(), String> {
    b.goto(&site, "/").await?;
    controlled(b).await?;
    b.goto(&site, FIRST).await?;
    b.goto(&site, "/categories/basics").await?;

    // What must never be stored: an error page, a no-store answer, another origin's.
    b.goto(&site, "/questions/999").await?;
    b.goto(&site, "/plan?date=not-a-date").await?;
    let other = format!("http://localhost:{}/about", site.port);
    resolve(
        b,
        &format!("fetch({other:?}, {{ mode: 'no-cors' }}).then(function () {{ return 1; }})"),
    )
    .await?;
    // A fragment may hold what a person wrote (a device transfer, a scorecard): never stored.
    b.goto(&site, "/saved#written-here").await?;
    wait_stored(b, "/saved", "after it was opened").await?;
    let stored = resolve(
        b,
        "caches.keys().then(function (names) { return Promise.all(names.map(function (n) {            return caches.open(n).then(function (c) { return c.keys(); }); })); })          .then(function (lists) { return [].concat.apply([], lists).map(function (r) { return r.url; }); })",
    )
    .await?;
    if stored.to_string().contains("written-here") || stored.to_string().contains('#') {
        return Err(format!("a fragment reached the caches: {stored}"));
    }
    for url in ["/questions/999", "/plan?date=not-a-date", &other] {
        if is_stored(b, url).await? {
            return Err(format!("{url} was stored"));
        }
    }
    // The home page was open when the worker arrived; it is stored too.
    for url in ["/", FIRST, "/categories/basics"] {
        wait_stored(b, url, "after it was opened").await?;
    }

    let base = site.base.clone();
    go_offline(b, site).await?;
    expect_heading(b, &base, FIRST, FIRST_TITLE).await?;
    expect_heading(b, &base, "/categories/basics", "Basics").await?;
    expect_heading(b, &base, "/", HOME_TITLE).await?;

    // A page never opened: the offline page, at the address asked for, listing what is kept.
    expect_heading(b, &base, TENTH, "You are offline").await?;
    if b.path().await? != TENTH {
        return Err("the offline page moved the address".into());
    }
    b.wait_until(
        "document.querySelector('[data-offline-reason]').textContent.indexOf('not kept') >= 0",
    )
    .await?;
    b.wait_until(&format!(
        "Array.prototype.some.call(document.querySelectorAll('[data-offline-categories] a'), \
         function (a) {{ return a.getAttribute('href') === {FIRST:?}; }})"
    ))
    .await?;
    if b.has(&format!("[data-offline-categories] a[href='{TENTH}']"))
        .await
    {
        return Err("the offline page lists a page it has not kept".into());
    }
    let summary = b.text("[data-offline-summary]").await;
    if !summary.starts_with("1 question and ") {
        return Err(format!("the offline page's summary: {summary:?}"));
    }

    // Searching needs the server.
    expect_heading(b, &base, "/search?q=first", "You are offline").await?;
    b.wait_until(
        "document.querySelector('[data-offline-reason]').textContent.indexOf('Searching needs a connection') === 0",
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kept_category_opens_whole_offline_and_can_be_removed() {
    in_browser(|site, browser| async move {
        let outcome = kept_category(site, &browser).await;
        (browser, outcome)
    })
    .await;
}

async fn kept_category(site: Site, b: &Browser) -> Result<(), String> {
    b.goto(&site, "/categories/basics").await?;
    controlled(b).await?;
    b.wait_until("document.querySelector('[data-keep=basics]').hidden === false")
        .await?;
    let index = resolve(
        b,
        "fetch('/offline.json').then(function (r) { return r.json(); })",
    )
    .await?;
    let basics = index["categories"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["slug"] == "basics"))
        .ok_or("the index has no basics")?
        .clone();
    let questions: Vec<(String, String)> = basics["questions"]
        .as_array()
        .ok_or("basics has no questions")?
        .iter()
        .map(|q| {
            (
                q["url"].as_str().unwrap_or_default().to_string(),
                q["title"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    if questions.len() < 2 {
        return Err(format!("basics lists {questions:?}"));
    }

    // Keep it: the progress bar counts the files, then the status gives the size.
    b.click("[data-keep=basics] [data-keep-start]").await?;
    wait_long(
        b,
        "/^Kept on this device: \\d+ files, [\\d.]+ (KB|MB), on /.test(document.querySelector('[data-keep=basics] [data-keep-status]').textContent)",
    )
    .await?;
    let files = b
        .eval("return document.querySelector('[data-keep=basics] [data-keep-progress]').max")
        .await;
    let stated = b.text("[data-keep=basics] [data-keep-status]").await;
    if !stated.contains(&format!(": {files} files")) {
        return Err(format!(
            "{stated:?} does not count the {files} files downloaded"
        ));
    }
    if !b
        .holds("document.querySelector('[data-keep=basics] [data-keep-remove]').hidden === false")
        .await
    {
        return Err("no way to remove the kept category".into());
    }
    // Removing it drops its cache; keeping it again brings it back.
    b.click("[data-keep=basics] [data-keep-remove]").await?;
    wait_long(
        b,
        "document.querySelector('[data-keep=basics] [data-keep-start]').hidden === false",
    )
    .await?;
    if cache_names(b)
        .await?
        .iter()
        .any(|n| n.ends_with("-kept-basics"))
    {
        return Err("removing left the category's cache".into());
    }
    b.click("[data-keep=basics] [data-keep-start]").await?;
    wait_long(
        b,
        "/^Kept on this device/.test(document.querySelector('[data-keep=basics] [data-keep-status]').textContent)",
    )
    .await?;
    // The status survives a reload.
    b.goto(&site, "/categories/basics").await?;
    b.wait_until(
        "/^Kept on this device/.test(document.querySelector('[data-keep=basics] [data-keep-status]').textContent)",
    )
    .await?;

    let base = site.base.clone();
    go_offline(b, site).await?;
    // Every question of the category, none of them opened before, and a study-mode step.
    for (url, title) in &questions {
        expect_heading(b, &base, url, title).await?;
    }
    let study = format!("{}?study=1", questions[0].0);
    expect_heading(b, &base, &study, &questions[0].1).await?;
    expect_heading(b, &base, "/categories/basics?difficulty=easy", "Basics").await?;
    // What the server would redirect: a short link to its kept page, a random question to one
    // of those kept.
    expect_heading(b, &base, "/questions/1", FIRST_TITLE).await?;
    if b.path().await? != FIRST {
        return Err(format!("offline, /questions/1 went to {}", b.path().await?));
    }
    b.client
        .goto(&format!("{base}/random?category=basics"))
        .await
        .map_err(|e| format!("open /random offline: {e:?}"))?;
    let picked = b.path().await?;
    if !questions.iter().any(|(url, _)| *url == picked) {
        return Err(format!("offline, /random went to {picked}"));
    }
    // Another category's question was not kept.
    expect_heading(b, &base, TENTH, "You are offline").await
}

#[tokio::test(flavor = "multi_thread")]
async fn keeping_everything_keeps_every_page_of_the_index() {
    in_browser(|site, browser| async move {
        let outcome = kept_everything(site, &browser).await;
        (browser, outcome)
    })
    .await;
}

async fn kept_everything(site: Site, b: &Browser) -> Result<(), String> {
    b.goto(&site, "/about").await?;
    controlled(b).await?;
    b.wait_until("document.querySelector('[data-keep=all]').hidden === false")
        .await?;
    b.click("[data-keep=all] [data-keep-start]").await?;
    wait_long(
        b,
        "/^Kept on this device/.test(document.querySelector('[data-keep=all] [data-keep-status]').textContent)",
    )
    .await?;
    // A category page now says it is kept with everything.
    b.goto(&site, "/categories/extras").await?;
    b.wait_until(
        "/with everything else/.test(document.querySelector('[data-keep=extras] [data-keep-status]').textContent)",
    )
    .await?;
    let base = site.base.clone();
    go_offline(b, site).await?;
    expect_heading(
        b,
        &base,
        TENTH,
        "Why is the tenth question in another category?",
    )
    .await?;
    expect_heading(b, &base, "/tags/gamma", "Questions tagged gamma").await?;
    expect_heading(b, &base, "/review", "Review queue").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mock_interview_started_online_can_be_finished_offline() {
    in_browser(|site, browser| async move {
        let outcome = mock_offline(site, &browser).await;
        (browser, outcome)
    })
    .await;
}

async fn mock_offline(site: Site, b: &Browser) -> Result<(), String> {
    b.goto(&site, "/mock").await?;
    controlled(b).await?;
    b.replace_text("#count", "3").await?;
    b.click("form.mock-setup button[type=submit]").await?;
    let first = b.wait_for_path(|p| p.ends_with("/1")).await?;
    let code = first
        .trim_start_matches("/mock/")
        .trim_end_matches("/1")
        .to_string();
    // Once it starts, every page of the interview is kept.
    for page in ["2", "3", "results"] {
        wait_stored(
            b,
            &format!("/mock/{code}/{page}"),
            "when the interview started",
        )
        .await?;
    }

    let base = site.base.clone();
    go_offline(b, site).await?;
    // Question 2, opened offline, is answered and graded; the results find the grade.
    b.click("[data-key-next]").await?;
    b.wait_for_path(|p| p.ends_with("/2")).await?;
    b.press('r').await;
    b.click("input[name=grade][value=solid]").await?;
    for next in ["/3"] {
        b.click("[data-key-next]").await?;
        b.wait_for_path(|p| p.ends_with(next)).await?;
        if !b.has(".mock[data-mock-code]").await {
            return Err(format!("question {next} did not open offline"));
        }
    }
    b.click("[data-key-next]").await?;
    b.wait_for_path(|p| p.ends_with("/results")).await?;
    b.wait_until("document.querySelector('.mock-results') !== null")
        .await?;
    b.wait_until(
        "document.querySelector(\"tbody tr[data-number='2'] .result-grade\").textContent.trim() === 'Solid'",
    )
    .await?;

    // A new interview offline: the form says it needs a connection…
    b.client
        .goto(&format!("{base}/mock"))
        .await
        .map_err(|e| format!("open /mock offline: {e:?}"))?;
    b.click("form.mock-setup button[type=submit]").await?;
    b.wait_until(
        "/needs a connection/.test((document.querySelector('[data-offline-note]') || {}).textContent || '')",
    )
    .await?;
    // …and so does the page sent for it, had the form been sent all the same.
    b.eval("HTMLFormElement.prototype.submit.call(document.querySelector('form.mock-setup'))")
        .await;
    b.wait_until("document.querySelector('[data-offline-page]') !== null")
        .await?;
    let reason = b.text("[data-offline-reason]").await;
    if !reason.starts_with("Starting a new mock interview needs a connection") {
        return Err(format!("offline, starting an interview said {reason:?}"));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_bank_replaces_the_kept_page_on_the_next_visit_online() {
    let content = tempfile::tempdir().expect("a temporary folder");
    copy_folder(Path::new(FIXTURE), content.path());
    let folder = content.path().to_string_lossy().to_string();
    let site = Site::start(&folder);
    let port = site.port;
    let browser = Browser::start().await;
    let outcome = content_change(site, &browser, &folder, port).await;
    browser.close().await;
    if let Err(problem) = outcome {
        panic!("{problem}");
    }
}

async fn content_change(site: Site, b: &Browser, folder: &str, port: u16) -> Result<(), String> {
    b.goto(&site, FIRST).await?;
    controlled(b).await?;
    b.goto(&site, "/categories/basics").await?;
    b.wait_until("document.querySelector('[data-keep=basics]').hidden === false")
        .await?;
    b.click("[data-keep=basics] [data-keep-start]").await?;
    wait_long(
        b,
        "/^Kept on this device/.test(document.querySelector('[data-keep=basics] [data-keep-status]').textContent)",
    )
    .await?;
    let old_version = b
        .eval("return document.documentElement.getAttribute('data-version')")
        .await;

    // The answer is edited and the server started again on the same port.
    drop(site);
    let file = Path::new(folder).join("basics/001-first.md");
    let text = std::fs::read_to_string(&file).map_err(|e| format!("read {file:?}: {e}"))?;
    let edited = text.replacen("The first answer,", "The first answer, now revised,", 1);
    if edited == text {
        return Err("the fixture's answer changed wording; update this test".into());
    }
    std::fs::write(&file, edited).map_err(|e| format!("write {file:?}: {e}"))?;
    let site = Site::start_on(folder, port);

    // The next visit shows the new answer (the worker updates, and the page follows it).
    b.goto(&site, FIRST).await?;
    wait_long(b, "document.body.textContent.indexOf('now revised') >= 0").await?;
    let new_version = b
        .eval("return document.documentElement.getAttribute('data-version')")
        .await;
    if new_version == old_version {
        return Err(format!(
            "the version stayed {old_version} after the bank changed"
        ));
    }
    // No cache of the old version lingers, and the kept category was kept anew.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let names = cache_names(b).await?;
        let old = old_version.as_str().unwrap_or_default();
        let new = new_version.as_str().unwrap_or_default();
        let lingering = names.iter().any(|n| n.contains(old));
        let kept = names
            .iter()
            .any(|n| n == &format!("drillbook-{new}-kept-basics"));
        if !lingering && kept {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!("caches after the change: {names:?}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Offline, the kept copy is the new one.
    let base = site.base.clone();
    go_offline(b, site).await?;
    expect_heading(b, &base, FIRST, FIRST_TITLE).await?;
    if !b
        .holds("document.body.textContent.indexOf('now revised') >= 0")
        .await
    {
        return Err("offline, the kept page is the old one".into());
    }
    Ok(())
}

fn copy_folder(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("the fixture folder") {
        let entry = entry.expect("a fixture entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("a folder");
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a copy");
        }
    }
}
