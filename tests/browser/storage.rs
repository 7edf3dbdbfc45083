//! Progress that survives: persistence asked for on the first save, the about page's account
//! of storage, the backup reminder, two tabs that agree and refused writes, in a real browser.

use std::time::Duration;

use crate::harness::{Browser, Site, in_browser};

const FIRST: &str = "/questions/1/what-is-the-first-question";

/// A spy on `navigator.storage`: counts `persist()` calls on this page, and answers
/// `persisted()` from the test's switch in localStorage ("test:persisted" = "1"). A granted
/// `persist()` turns the switch on, as a real grant would.
const STORAGE_SPY: &str = r#"
  window.__persistCalls = 0;
  StorageManager.prototype.persist = function () {
    window.__persistCalls += 1;
    var grant = localStorage.getItem("test:grant") === "1";
    if (grant) localStorage.setItem("test:persisted", "1");
    return Promise.resolve(grant);
  };
  StorageManager.prototype.persisted = function () {
    return Promise.resolve(localStorage.getItem("test:persisted") === "1");
  };
"#;

/// Waits a moment for the page script to have run (it is deferred) and settled.
async fn settled(b: &Browser) -> Result<(), String> {
    b.wait_until("document.readyState === 'complete'").await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn persistence_is_asked_for_on_the_first_save_and_the_about_page_reports_it() {
    in_browser(|site, browser| async move {
        let outcome = persistence(&site, &browser).await;
        (browser, outcome)
    })
    .await;
}

async fn persistence(site: &Site, b: &Browser) -> Result<(), String> {
    // First as Chromium itself answers: the about page says what navigator.storage says.
    b.goto(site, "/about").await?;
    b.wait_until("document.querySelector('[data-storage-state]').dataset.persisted !== undefined")
        .await?;
    let real = b
        .eval_async("navigator.storage.persisted().then(p => arguments[0](String(p)))")
        .await?;
    let shown = b
        .eval("return document.querySelector('[data-storage-state]').dataset.persisted")
        .await;
    if shown != real {
        return Err(format!(
            "the about page says persisted={shown}, Chromium {real}"
        ));
    }
    b.wait_until("!document.querySelector('[data-storage-usage]').hidden")
        .await?;
    let usage = b.text("[data-storage-usage]").await;
    if !usage.starts_with("drillbook uses ") || !usage.contains(" this browser lets it use.") {
        return Err(format!("space used: {usage:?}"));
    }
    if !b.text("[data-storage-backup]").await.starts_with("No copy") {
        return Err("a backup is reported before any was made".into());
    }

    // Now with the spy, and a browser that grants persistence when asked.
    b.before_each_page(STORAGE_SPY).await?;
    b.eval("localStorage.setItem('test:grant', '1')").await;
    b.goto(site, "/about").await?;
    b.wait_until("document.querySelector('[data-storage-state]').dataset.persisted === 'false'")
        .await?;
    if !b
        .text("[data-storage-persistence]")
        .await
        .starts_with("Storage here is not persistent:")
    {
        return Err("the not-persistent case is not said".into());
    }
    if b.holds("document.querySelector('[data-storage-persist]').hidden")
        .await
    {
        return Err("no way to ask for persistence on the about page".into());
    }

    // Reading pages asks nothing: not the home page, a category, a question or the review queue.
    for path in ["/", "/categories/basics", "/review", FIRST] {
        b.goto(site, path).await?;
        settled(b).await?;
        if !b.holds("window.__persistCalls === 0").await {
            return Err(format!("{path} asked for persistence on load"));
        }
    }
    // The first save asks, once; the next does not ask again.
    b.click("button[data-save]").await?;
    b.wait_until("window.__persistCalls === 1").await?;
    b.click("button[data-mark=known]").await?;
    settled(b).await?;
    if !b.holds("window.__persistCalls === 1").await {
        return Err("asked twice on one page".into());
    }
    // Granted: the about page says so and offers nothing more.
    b.goto(site, "/about").await?;
    b.wait_until("document.querySelector('[data-storage-state]').dataset.persisted === 'true'")
        .await?;
    if !b
        .text("[data-storage-persistence]")
        .await
        .starts_with("Storage here is persistent:")
    {
        return Err("the persistent case is not said".into());
    }
    if !b
        .holds("document.querySelector('[data-storage-persist]').hidden")
        .await
    {
        return Err("the ask button shows though storage is persistent".into());
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_backup_reminder_comes_when_progress_is_at_risk_and_stays_away_after_a_copy() {
    in_browser(|site, browser| async move {
        let outcome = reminder(&site, &browser).await;
        (browser, outcome)
    })
    .await;
}

/// Stores marks on questions 1 to `count`, made a minute ago.
async fn mark_questions(b: &Browser, count: u32) {
    b.eval(&format!(
        "var p = {{}}; for (var i = 1; i <= {count}; i++) p[i] = {{ status: 'known', at: Date.now() - 60000 }};
         localStorage.setItem('drillbook:progress', JSON.stringify(p));"
    ))
    .await;
}

/// Changes the stored backup record: `script` edits `r`.
async fn edit_backup(b: &Browser, script: &str) {
    b.eval(&format!(
        "var r = JSON.parse(localStorage.getItem('drillbook:backup') || '{{}}'); {script};
         localStorage.setItem('drillbook:backup', JSON.stringify(r));"
    ))
    .await;
}

/// Opens `path` and says whether the reminder shows there.
async fn reminds(b: &Browser, site: &Site, path: &str) -> Result<bool, String> {
    b.goto(site, path).await?;
    settled(b).await?;
    Ok(!b
        .holds("document.querySelector('[data-backup-nudge]').hidden")
        .await)
}

const DAYS_AGO: &str = "Date.now() - 86400000 *";

async fn reminder(site: &Site, b: &Browser) -> Result<(), String> {
    b.before_each_page(STORAGE_SPY).await?;
    b.goto(site, "/").await?;
    // Nothing to lose, nothing said; a few marks are not yet worth a reminder.
    if reminds(b, site, "/").await? {
        return Err("a reminder with no progress".into());
    }
    mark_questions(b, 4).await;
    if reminds(b, site, "/").await? {
        return Err("a reminder for 4 marks".into());
    }
    // Five questions' progress, no copy, storage not persistent: the home page and the review
    // queue both say so, the same day.
    mark_questions(b, 5).await;
    if !reminds(b, site, "/").await? {
        return Err("no reminder for 5 questions' progress without a copy".into());
    }
    let said = b.text("[data-backup-nudge-text]").await;
    if said
        != "Your progress on 5 questions exists only in this browser, and this browser may clear it to free space. Keep a copy:"
    {
        return Err(format!("the reminder says {said:?}"));
    }
    if !reminds(b, site, "/review").await? {
        return Err("the review queue does not show the day's reminder".into());
    }
    // Not now: gone, and not back on either page this week.
    b.click("[data-backup-dismiss]").await?;
    b.wait_until("document.querySelector('[data-backup-nudge]').hidden")
        .await?;
    for path in ["/", "/review"] {
        if reminds(b, site, path).await? {
            return Err(format!("{path} reminds again after Not now"));
        }
    }
    // Shown yesterday and left up: not again today either (one day a week at most).
    edit_backup(b, &format!("r.shown = {DAYS_AGO} 1; r.dismissed = null")).await;
    if reminds(b, site, "/").await? {
        return Err("reminded on a second day of the same week".into());
    }
    // A week on, it comes back.
    edit_backup(
        b,
        &format!("r.shown = {DAYS_AGO} 8; r.dismissed = {DAYS_AGO} 8"),
    )
    .await;
    if !reminds(b, site, "/").await? {
        return Err("no reminder a week after the last".into());
    }
    // Export from the reminder itself: the file is the backup, and the reminder stays away.
    b.click("[data-backup-export]").await?;
    b.wait_until("document.querySelector('[data-backup-nudge-text]').textContent.startsWith('Exported drillbook-progress-')")
        .await?;
    if !b
        .holds("JSON.parse(localStorage.getItem('drillbook:backup')).how === 'file' && Date.now() - JSON.parse(localStorage.getItem('drillbook:backup')).at < 60000")
        .await
    {
        return Err("the export was not recorded as a backup".into());
    }
    for path in ["/", "/review"] {
        if reminds(b, site, path).await? {
            return Err(format!("{path} reminds right after a backup"));
        }
    }
    b.goto(site, "/about").await?;
    b.wait_until("document.querySelector('[data-storage-backup]').textContent.startsWith('You last exported a file on ')")
        .await?;

    // Eight days after the copy, with progress since, and storage not persistent: reminded.
    edit_backup(
        b,
        &format!("r.at = {DAYS_AGO} 8; r.shown = null; r.dismissed = null"),
    )
    .await;
    if !reminds(b, site, "/").await? {
        return Err("no reminder 8 days after the last copy".into());
    }
    if !b
        .text("[data-backup-nudge-text]")
        .await
        .contains("changed since your last copy, 8 days ago")
    {
        return Err(format!("{:?}", b.text("[data-backup-nudge-text]").await));
    }
    // Persistent storage: an 8-day-old copy is fine, a 31-day-old one is not.
    b.eval("localStorage.setItem('test:persisted', '1')").await;
    edit_backup(b, "r.shown = null").await;
    if reminds(b, site, "/").await? {
        return Err("reminded of an 8-day-old copy though storage is persistent".into());
    }
    edit_backup(b, &format!("r.at = {DAYS_AGO} 31; r.shown = null")).await;
    if !reminds(b, site, "/").await? {
        return Err("no reminder of a 31-day-old copy".into());
    }
    if !b
        .text("[data-backup-nudge-text]")
        .await
        .contains("a lost or reset device would take it with it")
    {
        return Err(format!("{:?}", b.text("[data-backup-nudge-text]").await));
    }
    // A transfer link is a copy too.
    b.goto(site, "/about#transfer").await?;
    b.click("[data-transfer-make]").await?;
    b.wait_until("!document.querySelector('[data-transfer-made]').hidden")
        .await?;
    if !b
        .holds("JSON.parse(localStorage.getItem('drillbook:backup')).how === 'link'")
        .await
    {
        return Err("a transfer link was not recorded as a backup".into());
    }
    if reminds(b, site, "/").await? {
        return Err("reminded right after a transfer link".into());
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn two_tabs_agree_on_marks_saved_questions_due_counts_and_notes() {
    in_browser(|site, browser| async move {
        let outcome = two_tabs(&site, &browser).await;
        (browser, outcome)
    })
    .await;
}

/// The note as stored for question 1.
const STORED_NOTE: &str =
    "(JSON.parse(localStorage.getItem('drillbook:notes') || '{}')['1'] || {}).text";

/// Puts `text` in the note field as typing would, then leaves the field, which saves it.
fn save_note(text: &str) -> String {
    format!(
        "{} document.querySelector('[data-note-text]').dispatchEvent(new Event('blur'));",
        type_note(text)
    )
}

/// Puts `text` in the note field as typing would, without leaving it.
fn type_note(text: &str) -> String {
    format!(
        "var f = document.querySelector('[data-note-text]'); f.value = {text:?};
         f.dispatchEvent(new Event('input', {{ bubbles: true }}));"
    )
}

async fn two_tabs(site: &Site, b: &Browser) -> Result<(), String> {
    b.goto(site, FIRST).await?;
    settled(b).await?;
    let (a, other) = b.open_tab().await?;

    // A mark made in one tab shows in the other's counts and buttons, without a reload.
    b.goto(site, "/").await?;
    settled(b).await?;
    b.switch_to(&a).await?;
    b.click("button[data-mark=known]").await?;
    b.switch_to(&other).await?;
    b.wait_until(
        "document.querySelector('[data-progress-summary] [data-count=known]').textContent === '1'",
    )
    .await?;
    b.goto(site, FIRST).await?;
    settled(b).await?;
    b.switch_to(&a).await?;
    b.click("button[data-mark=review]").await?;
    b.switch_to(&other).await?;
    b.wait_until(
        "document.querySelector('[data-mark=review]').getAttribute('aria-pressed') === 'true'",
    )
    .await?;

    // Saved in one, listed in the other's saved page.
    b.goto(site, "/saved").await?;
    settled(b).await?;
    b.switch_to(&a).await?;
    b.click("button[data-save]").await?;
    b.switch_to(&other).await?;
    b.wait_until("document.querySelectorAll('[data-saved-list] li').length === 1")
        .await?;

    // Graded Again in one: the other's review queue counts it due.
    b.goto(site, "/review").await?;
    settled(b).await?;
    b.switch_to(&a).await?;
    b.press('1').await;
    b.switch_to(&other).await?;
    b.wait_until("document.querySelector('[data-review] [data-count=due]').textContent === '1'")
        .await?;

    // A note saved in one tab shows in the other, which was not typing.
    b.goto(site, FIRST).await?;
    settled(b).await?;
    b.switch_to(&a).await?;
    b.eval(&save_note("Alpha")).await;
    b.switch_to(&other).await?;
    b.wait_until("document.querySelector('[data-note-text]').value === 'Alpha'")
        .await?;
    // Both tabs change it at once: this one types and has not saved when the first saves.
    b.eval(&type_note("Alpha beta")).await;
    b.switch_to(&a).await?;
    b.eval(&save_note("Alpha gamma")).await;
    b.switch_to(&other).await?;
    let marker = "--- Written in another tab at the same time ---";
    b.wait_for(
        &format!("({STORED_NOTE} || '').includes({marker:?})"),
        Duration::from_secs(10),
    )
    .await?;
    let stored = b.eval(&format!("return {STORED_NOTE}")).await;
    let text = stored.as_str().unwrap_or_default().to_string();
    if !text.contains("Alpha beta") || !text.contains("Alpha gamma") {
        return Err(format!("the merged note lost a text: {text:?}"));
    }
    // Both tabs end showing the merged note, and the tab that merged says so.
    for tab in [&other, &a] {
        b.switch_to(tab).await?;
        b.wait_until(&format!(
            "document.querySelector('[data-note-text]').value === {text:?}"
        ))
        .await?;
    }
    let statuses = [
        {
            b.switch_to(&other).await?;
            b.text("[data-note-status]").await
        },
        {
            b.switch_to(&a).await?;
            b.text("[data-note-status]").await
        },
    ];
    if !statuses.iter().any(|s| s.contains("both texts are kept")) {
        return Err(format!("no tab says the note was merged: {statuses:?}"));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_write_says_so_where_the_person_acted_and_keeps_what_was_stored() {
    in_browser(|site, browser| async move {
        let outcome = refused_writes(&site, &browser).await;
        (browser, outcome)
    })
    .await;
}

/// Every key of localStorage and its text, as one JSON string.
const SNAPSHOT: &str =
    "JSON.stringify(Object.keys(localStorage).sort().map(k => [k, localStorage.getItem(k)]))";

async fn refused_writes(site: &Site, b: &Browser) -> Result<(), String> {
    b.goto(site, FIRST).await?;
    settled(b).await?;
    b.click("button[data-mark=known]").await?;
    b.eval(&save_note("kept note")).await;
    b.wait_until(&format!("{STORED_NOTE} === 'kept note'"))
        .await?;

    // Only the review log refuses: a grade writes the schedule, the log and the mark, and must
    // keep all three or none.
    let before = b.eval(&format!("return {SNAPSHOT}")).await;
    b.eval(
        "var real = Storage.prototype.setItem;
         Storage.prototype.setItem = function (key, value) {
           if (key === 'drillbook:log') throw new DOMException('full', 'QuotaExceededError');
           return real.call(this, key, value);
         };",
    )
    .await;
    b.press('3').await;
    b.wait_until(
        "document.querySelector('[data-grade-status]').textContent.startsWith('Not saved')",
    )
    .await?;
    let said = b.text("[data-grade-status]").await;
    if said
        != "Not saved: this browser's storage for the site is full. What was saved before is unchanged."
    {
        return Err(format!("the grade says {said:?}"));
    }
    let after = b.eval(&format!("return {SNAPSHOT}")).await;
    if after != before {
        return Err(format!(
            "a refused grade changed storage: {before} -> {after}"
        ));
    }

    // Every write refused: a mark, a save and a note each say so beside the control, and
    // nothing stored changes.
    b.eval(
        "Storage.prototype.setItem = function () {
           throw new DOMException('full', 'QuotaExceededError');
         };",
    )
    .await;
    b.click("button[data-mark=review]").await?;
    b.wait_until("document.querySelector('[data-action-status]').textContent.startsWith('Not saved: this browser')")
        .await?;
    if !b
        .holds(
            "document.querySelector('[data-mark=known]').getAttribute('aria-pressed') === 'true'",
        )
        .await
    {
        return Err("the page shows a mark that was not kept".into());
    }
    b.click("button[data-save]").await?;
    b.wait_until(
        "document.querySelector('[data-action-status]').textContent.startsWith('Not saved')",
    )
    .await?;
    if !b
        .holds("document.querySelector('[data-save]').getAttribute('aria-pressed') === 'false'")
        .await
    {
        return Err("the page shows a save that was not kept".into());
    }
    b.eval(&save_note("lost note")).await;
    b.wait_until(
        "document.querySelector('[data-note-status]').textContent.startsWith('Not saved')",
    )
    .await?;
    let after = b.eval(&format!("return {SNAPSHOT}")).await;
    if after != before {
        return Err(format!(
            "refused writes changed storage: {before} -> {after}"
        ));
    }
    // The earlier note and mark are still there on the next visit.
    b.goto(site, FIRST).await?;
    settled(b).await?;
    if !b
        .holds("document.querySelector('[data-note-text]').value === 'kept note' && document.querySelector('[data-mark=known]').getAttribute('aria-pressed') === 'true'")
        .await
    {
        return Err("the earlier note or mark did not survive".into());
    }
    Ok(())
}
