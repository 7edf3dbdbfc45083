//! Progress marks, saved questions, progress export and import, keyboard shortcuts and the
//! printed study sheet, in a real browser.

use fantoccini::Locator;

use crate::harness::{Browser, Site, in_browser};

const FIRST: &str = "/questions/1/what-is-the-first-question";
const SECOND: &str = "/questions/2/what-is-the-second-question";

#[tokio::test(flavor = "multi_thread")]
async fn marks_show_on_lists_and_home_and_can_be_taken_off() {
    in_browser(|site, browser| async move {
        let outcome = marks(&site, &browser).await;
        (browser, outcome)
    })
    .await;
}

async fn marks(site: &Site, b: &Browser) -> Result<(), String> {
    b.goto(site, FIRST).await?;
    b.wait_until(
        "document.querySelector('[data-mark=known]').getAttribute('aria-pressed') === 'false'",
    )
    .await?;
    b.click("button[data-mark=known]").await?;
    b.wait_until(
        "document.querySelector('[data-mark=known]').getAttribute('aria-pressed') === 'true'",
    )
    .await?;
    b.wait_until(
        "document.querySelector('[data-action-status]').textContent === 'Marked as known.'",
    )
    .await?;
    b.goto(site, SECOND).await?;
    b.click("button[data-mark=review]").await?;
    b.wait_until(
        "document.querySelector('[data-mark=review]').getAttribute('aria-pressed') === 'true'",
    )
    .await?;
    if !b
        .holds(
            "document.querySelector('[data-mark=known]').getAttribute('aria-pressed') === 'false'",
        )
        .await
    {
        return Err("review and known are exclusive".into());
    }

    b.goto(site, "/categories/basics").await?;
    let item =
        |id: u32| format!("document.querySelector('.question-item[data-question-id=\"{id}\"]')");
    b.wait_until(&format!("{}.dataset.status === 'known'", item(1)))
        .await?;
    for (id, status, said) in [
        (1, "known", "Known: "),
        (2, "review", "To review: "),
        (3, "unseen", ""),
    ] {
        let expr = format!(
            "{0}.dataset.status === '{status}' && {0}.querySelector('.status-mark .visually-hidden').textContent === '{said}'",
            item(id)
        );
        if !b.holds(&expr).await {
            return Err(format!("question {id} is not shown as {status}"));
        }
    }
    let summary = b.text("[data-list-progress]").await;
    if summary != "1 known, 1 to review, 1 unseen" {
        return Err(format!("category summary: {summary:?}"));
    }

    b.goto(site, "/").await?;
    b.wait_until(
        "document.querySelector('[data-progress-summary] [data-count=known]').textContent === '1'",
    )
    .await?;
    let home = b.text("[data-progress-summary]").await;
    if !home.starts_with("1/4 known, 1 to review, 0 saved") {
        return Err(format!("home counter: {home:?}"));
    }
    if b.text("[data-progress-ids='1 2 3'] [data-count=known]")
        .await
        != "1"
        || b.text("[data-progress-ids='10'] [data-count=known]").await != "0"
    {
        return Err("category cards count known questions wrongly".into());
    }

    // Pressing the pressed button takes the mark off.
    b.goto(site, FIRST).await?;
    b.wait_until(
        "document.querySelector('[data-mark=known]').getAttribute('aria-pressed') === 'true'",
    )
    .await?;
    b.click("button[data-mark=known]").await?;
    b.wait_until(
        "document.querySelector('[data-mark=known]').getAttribute('aria-pressed') === 'false'",
    )
    .await?;
    b.goto(site, "/categories/basics").await?;
    b.wait_until(&format!("{}.dataset.status === 'unseen'", item(1)))
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn saved_questions_and_progress_move_between_browsers_as_a_file() {
    in_browser(|site, browser| async move {
        let outcome = saving_and_moving(&site, &browser).await;
        (browser, outcome)
    })
    .await;
}

async fn saving_and_moving(site: &Site, b: &Browser) -> Result<(), String> {
    b.goto(site, FIRST).await?;
    b.click("button[data-save]").await?;
    b.wait_until("document.querySelector('[data-save]').getAttribute('aria-pressed') === 'true'")
        .await?;
    if b.text("button[data-save]").await != "Saved" {
        return Err("the save button does not say Saved".into());
    }
    b.click("button[data-mark=known]").await?;
    // A note on the first question and a grade on the second travel with the marks.
    b.client
        .find(Locator::Css("textarea[data-note-text]"))
        .await
        .map_err(|e| format!("note field: {e:?}"))?
        .send_keys("Start from the definition.")
        .await
        .map_err(|e| format!("type a note: {e:?}"))?;
    b.wait_until("document.querySelector('[data-note-status]').textContent === 'Saved.'")
        .await?;
    // So does a typed answer.
    b.type_into("textarea[data-answer-text]", "A first try.")
        .await?;
    b.wait_until("document.querySelector('[data-answer-status]').textContent === 'Saved.'")
        .await?;
    b.goto(site, SECOND).await?;
    b.press('1').await;
    b.wait_until("document.querySelector('[data-grade-status]').textContent.startsWith('Again.')")
        .await?;

    b.goto(site, "/saved").await?;
    b.wait_until("document.querySelectorAll('[data-saved-list] li').length === 1")
        .await?;
    let href = b
        .eval("return document.querySelector('[data-saved-list] a').getAttribute('href')")
        .await;
    let title = b.text("[data-saved-list] a").await;
    if href != serde_json::json!(FIRST) || title != "What is the first question?" {
        return Err(format!("saved list shows {title:?} at {href}"));
    }
    if !b
        .holds("document.querySelector('[data-saved-empty]').hidden")
        .await
    {
        return Err("the empty message shows beside a saved question".into());
    }

    // Export: catch the download link the button makes and read the file it points at.
    b.goto(site, "/about").await?;
    // (The page's content security policy forbids fetching blob: URLs, so the file is read
    // from the Blob as the page hands it over.)
    b.eval(
        "const make = URL.createObjectURL; \
         URL.createObjectURL = blob => { blob.text().then(text => { window.exportedText = text; }); return make.call(URL, blob); }; \
         HTMLAnchorElement.prototype.click = function () { window.exportedName = this.download; }; \
         return true",
    )
    .await;
    b.click("button[data-progress-export]").await?;
    b.wait_until("!!window.exportedText && !!window.exportedName")
        .await?;
    let name = b.eval("return window.exportedName").await;
    let name = name.as_str().unwrap_or_default();
    if !(name.starts_with("drillbook-progress-") && name.ends_with(".json")) {
        return Err(format!("export file name {name:?}"));
    }
    let text = b.eval("return window.exportedText").await;
    let exported: serde_json::Value = serde_json::from_str(text.as_str().unwrap_or_default())
        .map_err(|e| format!("export is not JSON: {e}"))?;
    if exported["format"] != "drillbook-progress"
        || exported["version"] != 1
        || exported["progress"]["1"]["status"] != "known"
        || exported["saved"]["1"]["saved"] != true
        || exported["saved"]["1"]["path"] != FIRST
        || exported["notes"]["1"]["text"] != "Start from the definition."
        || exported["answers"]["1"]["attempts"][0]["text"] != "A first try."
        || exported["review"]["2"]["reps"] != 1
        || exported["review"]["2"]["stability"] != 0.40255
        || exported["progress"]["2"]["status"] != "review"
        || exported["log"]["2"]["reviews"][0][1] != 1
    {
        return Err(format!("export holds {exported}"));
    }

    // Import into a browser that knows nothing: the file's entries arrive.
    b.eval("localStorage.clear(); return true").await;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = dir.path().join("progress.json");
    std::fs::write(&file, exported.to_string()).map_err(|e| e.to_string())?;
    b.goto(site, "/about").await?;
    upload(b, &file).await?;
    b.wait_until("document.querySelector('[data-progress-message]').textContent === 'Imported 7 newer entries.'")
        .await?;
    b.wait_until(
        "document.querySelector('[data-progress-summary] [data-count=known]').textContent === '1'",
    )
    .await?;
    b.goto(site, FIRST).await?;
    b.wait_until(
        "document.querySelector('[data-note-text]').value === 'Start from the definition.' \
         && document.querySelector('[data-answer-text]').value === 'A first try.'",
    )
    .await?;
    b.goto(site, "/review").await?;
    b.wait_until("document.querySelector('[data-count=due]').textContent === '1'")
        .await?;

    // Importing again changes nothing; a newer mark here beats an older one in the file.
    b.eval("const p = JSON.parse(localStorage.getItem('drillbook:progress')); p['1'] = { status: 'review', at: Date.now() }; localStorage.setItem('drillbook:progress', JSON.stringify(p)); return true").await;
    b.goto(site, "/about").await?;
    upload(b, &file).await?;
    b.wait_until("document.querySelector('[data-progress-message]').textContent === 'Imported 0 newer entries.'")
        .await?;
    if !b
        .holds("JSON.parse(localStorage.getItem('drillbook:progress'))['1'].status === 'review'")
        .await
    {
        return Err("an older imported mark replaced a newer one".into());
    }

    // A file that is not an export is refused with a reason, and nothing is lost.
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, r#"{"hello": 1}"#).map_err(|e| e.to_string())?;
    b.goto(site, "/about").await?;
    upload(b, &junk).await?;
    b.wait_until("document.querySelector('[data-progress-message]').textContent.startsWith('That file is not a drillbook progress export')")
        .await?;
    if !b
        .holds("JSON.parse(localStorage.getItem('drillbook:saved'))['1'].saved === true")
        .await
    {
        return Err("a refused import lost the saved question".into());
    }

    // A file exported before there were review dates and notes still imports, and leaves them be.
    let mut old = exported.clone();
    if let Some(fields) = old.as_object_mut() {
        fields.remove("review");
        fields.remove("notes");
    }
    let old_file = dir.path().join("old.json");
    std::fs::write(&old_file, old.to_string()).map_err(|e| e.to_string())?;
    b.eval("localStorage.removeItem('drillbook:progress'); return true")
        .await;
    b.goto(site, "/about").await?;
    upload(b, &old_file).await?;
    b.wait_until("document.querySelector('[data-progress-message]').textContent === 'Imported 2 newer entries.'")
        .await?;
    if !b
        .holds("JSON.parse(localStorage.getItem('drillbook:notes'))['1'].text === 'Start from the definition.' && JSON.parse(localStorage.getItem('drillbook:review'))['2'].reps === 1")
        .await
    {
        return Err("importing an old file lost the notes or review dates".into());
    }

    // Forgetting all progress forgets the review dates and notes too.
    b.eval("window.confirm = () => true; return true").await;
    b.click("button[data-progress-reset]").await?;
    b.wait_until("['progress', 'saved', 'review', 'notes'].every(name => localStorage.getItem('drillbook:' + name) === null)")
        .await?;
    b.eval(&format!(
        "localStorage.setItem('drillbook:saved', {}); return true",
        serde_json::to_string(&exported["saved"].to_string()).map_err(|e| e.to_string())?
    ))
    .await;

    // Removing from /saved empties the list.
    b.goto(site, "/saved").await?;
    b.wait_until("document.querySelectorAll('[data-saved-list] li').length === 1")
        .await?;
    b.click("[data-saved-list] button").await?;
    b.wait_until("document.querySelectorAll('[data-saved-list] li').length === 0 && !document.querySelector('[data-saved-empty]').hidden")
        .await
}

async fn upload(b: &Browser, file: &std::path::Path) -> Result<(), String> {
    b.client
        .find(Locator::Css("input[type=file][data-progress-import]"))
        .await
        .map_err(|e| format!("file input: {e:?}"))?
        .send_keys(&file.display().to_string())
        .await
        .map_err(|e| format!("choose {}: {e:?}", file.display()))
}

#[tokio::test(flavor = "multi_thread")]
async fn keys_move_reveal_search_and_help_and_category_pages_print_every_answer() {
    in_browser(|site, browser| async move {
        let outcome = keys_and_printing(&site, &browser).await;
        (browser, outcome)
    })
    .await;
}

async fn keys_and_printing(site: &Site, b: &Browser) -> Result<(), String> {
    b.goto(site, FIRST).await?;
    b.press('/').await;
    b.wait_until("document.activeElement.id === 'site-search'")
        .await?;
    b.eval("document.activeElement.blur(); return true").await;

    b.press('r').await;
    b.wait_until("document.querySelector('details.answer').open")
        .await?;
    b.press('r').await;
    b.wait_until("!document.querySelector('details.answer').open")
        .await?;

    b.press('?').await;
    b.wait_until("!document.querySelector('.key-help').hidden")
        .await?;
    let help = b.text(".key-help dl").await;
    // The first question has no previous one, so `k` is not offered.
    for said in [
        "focus the search box",
        "next question",
        "reveal or hide the answer",
    ] {
        if !help.contains(said) {
            return Err(format!("the key list lacks {said:?}: {help}"));
        }
    }
    b.press('\u{E00C}').await; // Escape
    b.wait_until("document.querySelector('.key-help').hidden")
        .await?;

    b.press('j').await;
    b.wait_for_path(|p| p == SECOND).await?;
    b.press('k').await;
    b.wait_for_path(|p| p == FIRST).await?;
    b.press('\u{E014}').await; // ArrowRight
    b.wait_for_path(|p| p == SECOND).await?;
    b.press('\u{E012}').await; // ArrowLeft
    b.wait_for_path(|p| p == FIRST).await?;

    // In study mode the keys stay in study mode.
    b.goto(site, &format!("{FIRST}?study=1")).await?;
    b.press('j').await;
    b.wait_for_path(|p| p == SECOND).await?;
    b.wait_until("location.search === '?study=1'").await?;

    // On a list, j and k move between questions.
    b.goto(site, "/categories/basics").await?;
    let focused = "document.activeElement.getAttribute('href')";
    b.press('j').await;
    b.wait_until(&format!("{focused} === '{FIRST}'")).await?;
    b.press('j').await;
    b.wait_until(&format!("{focused} === '{SECOND}'")).await?;
    b.press('k').await;
    b.wait_until(&format!("{focused} === '{FIRST}'")).await?;

    // Printing opens every answer and closes them again after.
    b.eval("window.dispatchEvent(new Event('beforeprint')); return true")
        .await;
    b.wait_until("[...document.querySelectorAll('details.item-answer')].every(d => d.open)")
        .await?;
    b.eval("window.dispatchEvent(new Event('afterprint')); return true")
        .await;
    b.wait_until("[...document.querySelectorAll('details.item-answer')].every(d => !d.open)")
        .await?;

    // The print stylesheet alone (no script event) shows folded answers and hides the menus.
    b.emulate_print().await?;
    b.wait_until("getComputedStyle(document.querySelector('.site-header')).display === 'none'")
        .await?;
    let shown = "[...document.querySelectorAll('details.item-answer')].every(d => !d.open && d.querySelector('.answer-body').getBoundingClientRect().height > 0)";
    if !b.holds(shown).await {
        return Err("in print, folded answers are not laid out".into());
    }
    for hidden in [
        ".filters",
        ".actions",
        "[data-list-progress]",
        ".site-footer",
    ] {
        let expr =
            format!("getComputedStyle(document.querySelector('{hidden}')).display === 'none'");
        if !b.holds(&expr).await {
            return Err(format!("{hidden} is printed"));
        }
    }
    Ok(())
}
