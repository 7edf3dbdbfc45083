//! Grading questions for spaced review, the review queue, the home page's due count, private
//! notes and the mock interview's grades reaching the schedule, in a real browser.

use fantoccini::Locator;

use crate::harness::{Browser, Site, in_browser};

const FIRST: &str = "/questions/1/what-is-the-first-question";
const SECOND: &str = "/questions/2/what-is-the-second-question";
const THIRD: &str = "/questions/3/is-script-alert-title-script-this-escaped";

/// The review store's entry for a question, as the page stored it.
fn stored(id: u32) -> String {
    format!("(JSON.parse(localStorage.getItem('drillbook:review') || '{{}}')['{id}'] || null)")
}

#[tokio::test(flavor = "multi_thread")]
async fn grades_schedule_questions_and_the_queue_walks_through_the_due_ones() {
    in_browser(|site, browser| async move {
        let outcome = grading_and_queue(&site, &browser).await;
        (browser, outcome)
    })
    .await;
}

async fn grading_and_queue(site: &Site, b: &Browser) -> Result<(), String> {
    // Before anything is graded the home page shows no due count, and /review says so.
    b.goto(site, "/").await?;
    b.wait_until("document.querySelector('[data-progress-summary] [data-count=known]') !== null")
        .await?;
    if !b
        .holds("document.querySelector('[data-review-due]').hidden")
        .await
    {
        return Err("a due count shows before anything was graded".into());
    }
    b.goto(site, "/review").await?;
    b.wait_until("!document.querySelector('[data-review-empty]').hidden")
        .await?;

    // Good with the key 3: first review, three days; the question is marked known.
    b.goto(site, FIRST).await?;
    b.press('3').await;
    b.wait_until(
        "document.querySelector('[data-grade=\"3\"]').getAttribute('aria-pressed') === 'true'",
    )
    .await?;
    let said = b.text("[data-grade-status]").await;
    if !said.starts_with("Good. Next review: in 3 days, ") {
        return Err(format!("after Good: {said:?}"));
    }
    if !b
        .holds("document.querySelector('[data-grade-status] time').dateTime.length === 10")
        .await
    {
        return Err("the next review's date is not a <time>".into());
    }
    if !b
        .holds(&format!(
            "{0}.reps === 1 && {0}.due - {0}.last === 3 * 86400000",
            stored(1)
        ))
        .await
    {
        return Err(format!(
            "stored {}",
            b.eval(&format!("return {}", stored(1))).await
        ));
    }
    b.wait_until(
        "document.querySelector('[data-mark=known]').getAttribute('aria-pressed') === 'true'",
    )
    .await?;
    b.press('?').await;
    b.wait_until("!document.querySelector('.key-help').hidden")
        .await?;
    let help = b.text(".key-help dl").await;
    if !help.contains("1 to 4grade your answer: Again, Hard, Good, Easy") {
        return Err(format!("the key list lacks the grades: {help}"));
    }
    b.press('\u{E00C}').await; // Escape

    // Again on two others: due today, marked to review; the home page counts them.
    for path in [SECOND, THIRD] {
        b.goto(site, path).await?;
        b.click("button[data-grade='1']").await?;
        b.wait_until("document.querySelector('[data-grade-status]').textContent.startsWith('Again. Next review: today, ')")
            .await?;
        b.wait_until(
            "document.querySelector('[data-mark=review]').getAttribute('aria-pressed') === 'true'",
        )
        .await?;
    }
    b.goto(site, "/").await?;
    b.wait_until("!document.querySelector('[data-review-due]').hidden")
        .await?;
    let due = b.text("[data-review-due]").await;
    if due != "2 due for review today" {
        return Err(format!("home due count: {due:?}"));
    }

    // The queue lists the two due questions, soonest first, and starts with the first.
    b.click("[data-review-due] a").await?;
    b.wait_for_path(|p| p == "/review").await?;
    b.wait_until("document.querySelector('[data-count=due]').textContent === '2'")
        .await?;
    let shown = b
        .eval("return [...document.querySelectorAll('[data-review-list] li')].filter(li => !li.hidden).map(li => li.dataset.questionId)")
        .await;
    if shown != serde_json::json!(["2", "3"]) {
        return Err(format!("the queue shows {shown}"));
    }
    if !b
        .holds("document.querySelector('[data-review-empty]').hidden && document.querySelector('[data-review-done]').hidden")
        .await
    {
        return Err("the queue says it is empty or done while two are due".into());
    }
    b.click("a[data-review-start]").await?;
    b.wait_for_path(|p| p == SECOND).await?;
    b.wait_until("location.hash === '#review'").await?;
    b.wait_until(
        "document.querySelector('[data-review-step]').textContent === 'Review: 2 due today.'",
    )
    .await?;

    // Graded, it says how many are left and the next one is one link away.
    b.press('3').await;
    b.wait_until(
        "document.querySelector('[data-review-step]').textContent.startsWith('1 left today.')",
    )
    .await?;
    if !b
        .holds("document.activeElement.textContent === 'Next due question'")
        .await
    {
        return Err("the link to the next due question does not have the focus".into());
    }
    b.click("[data-review-step] a").await?;
    b.wait_for_path(|p| p == THIRD).await?;
    b.wait_until("location.hash === '#review'").await?;
    b.press('4').await;
    b.wait_until("document.querySelector('[data-review-step]').textContent.startsWith('That was the last one due today.')")
        .await?;
    b.click("[data-review-step] a").await?;
    b.wait_for_path(|p| p == "/review").await?;
    b.wait_until("!document.querySelector('[data-review-done]').hidden")
        .await?;
    let done = b.text("[data-review-done]").await;
    if !done.starts_with("All done for today. The next question is due tomorrow, ") {
        return Err(format!("the queue at the end: {done:?}"));
    }
    if !b
        .holds("document.querySelector('[data-review-start-row]').hidden && [...document.querySelectorAll('[data-review-list] li')].every(li => li.hidden)")
        .await
    {
        return Err("the finished queue still offers questions".into());
    }
    b.goto(site, "/").await?;
    b.wait_until("document.querySelector('[data-review-due]').textContent.trim() === '0 due for review today'")
        .await?;

    // Revisiting a graded question says when it is next due.
    b.goto(site, FIRST).await?;
    b.wait_until("document.querySelector('[data-grade-status]').textContent.startsWith('Next review: in 3 days, ')")
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn notes_are_kept_across_reloads_and_keys_typed_in_them_do_not_grade() {
    in_browser(|site, browser| async move {
        let outcome = notes(&site, &browser).await;
        (browser, outcome)
    })
    .await;
}

async fn notes(site: &Site, b: &Browser) -> Result<(), String> {
    b.goto(site, FIRST).await?;
    let field = b
        .client
        .find(Locator::Css("textarea[data-note-text]"))
        .await
        .map_err(|e| format!("note field: {e:?}"))?;
    field
        .send_keys("Mention the 3 cases")
        .await
        .map_err(|e| format!("type a note: {e:?}"))?;
    b.wait_until("document.querySelector('[data-note-status]').textContent === 'Saved.'")
        .await?;
    if !b.holds(&format!("{} === null", stored(1))).await {
        return Err("typing 3 in the note graded the question".into());
    }
    b.goto(site, FIRST).await?;
    b.wait_until("document.querySelector('[data-note-text]').value === 'Mention the 3 cases'")
        .await?;
    // Each question has its own note.
    b.goto(site, SECOND).await?;
    b.wait_until("document.querySelector('[data-note-status]') !== null")
        .await?;
    if !b
        .holds("document.querySelector('[data-note-text]').value === ''")
        .await
    {
        return Err("the first question's note shows on the second".into());
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn mock_interview_grades_schedule_their_questions() {
    in_browser(|site, browser| async move {
        let outcome = mock_grades(&site, &browser).await;
        (browser, outcome)
    })
    .await;
}

async fn mock_grades(site: &Site, b: &Browser) -> Result<(), String> {
    b.goto(site, "/mock").await?;
    // The fixture bank holds four questions, fewer than the form's default.
    b.eval("document.querySelector('#count').value = '4'; document.querySelector('form.mock-setup').submit(); return true")
        .await;
    let path = b.wait_for_path(|p| p.ends_with("/1")).await?;
    let id = b
        .eval("return document.querySelector('.mock').dataset.questionId")
        .await;
    let id: u32 = id
        .as_str()
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| format!("the mock question at {path} names no question id: {id}"))?;
    b.press('r').await;
    b.click("input[name=grade][value=missed]").await?;
    b.wait_until(&format!("{} !== null", stored(id))).await?;
    if !b
        .holds(&format!(
            "{0}.due === {0}.last && {0}.stability === 0.40255",
            stored(id)
        ))
        .await
    {
        return Err(format!(
            "missed was not scheduled as Again: {}",
            b.eval(&format!("return {}", stored(id))).await
        ));
    }
    // Changing the grade replaces it: solid counts as a first Good, not a second review.
    b.click("input[name=grade][value=solid]").await?;
    b.wait_until(&format!(
        "{0}.stability === 3.173 && {0}.reps === 1",
        stored(id)
    ))
    .await?;
    let mark = b
        .eval(&format!(
            "return JSON.parse(localStorage.getItem('drillbook:progress'))['{id}'].status"
        ))
        .await;
    if mark != "known" {
        return Err(format!("a solid grade left the mark {mark}"));
    }
    Ok(())
}
