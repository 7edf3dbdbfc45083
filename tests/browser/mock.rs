//! The mock interview in a real browser: the countdown runs, grading persists to the results
//! page, and the keyboard shortcuts work.

use std::time::Duration;

use crate::harness::{Browser, Site, in_browser};

#[tokio::test(flavor = "multi_thread")]
async fn mock_interview_counts_down_records_grades_and_answers_keys() {
    in_browser(|site, browser| async move {
        let outcome = run(&site, &browser).await;
        (browser, outcome)
    })
    .await;
}

async fn run(site: &Site, browser: &Browser) -> Result<(), String> {
    // Set up: three questions, one minute each, through the real form.
    browser.goto(site, "/mock").await?;
    browser.replace_text("#count", "3").await?;
    browser.replace_text("#minutes", "1").await?;
    browser.click("form.mock-setup button[type=submit]").await?;
    browser.wait_for_path(|p| p.ends_with("/1")).await?;
    let path = browser.path().await?;
    let code = path
        .trim_start_matches("/mock/")
        .trim_end_matches("/1")
        .to_string();

    // The countdown runs.
    let first = browser.text(".timer-value").await;
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let later = browser.text(".timer-value").await;
    if first == later || !later.starts_with("0:5") {
        return Err(format!(
            "the countdown did not move: {first:?} then {later:?}"
        ));
    }
    if browser.text(".timer-label").await != "Time left" {
        return Err("timer label".into());
    }

    // `?` lists the keys; `r` reveals the answer.
    browser.press('?').await;
    if !browser
        .holds("document.querySelector('.key-help').hidden === false")
        .await
    {
        return Err("? did not show the key list".into());
    }
    browser.press('?').await;
    if browser
        .holds("document.querySelector('details.answer').open")
        .await
    {
        return Err("the answer was open before revealing".into());
    }
    browser.press('r').await;
    if !browser
        .holds("document.querySelector('details.answer').open")
        .await
    {
        return Err("r did not reveal the answer".into());
    }

    // Tick the first key point and grade it solid.
    browser.click("input[name=point][value='0']").await?;
    browser.click("input[name=grade][value=solid]").await?;

    // `n` goes to the next question.
    browser.press('n').await;
    browser.wait_for_path(|p| p.ends_with("/2")).await?;

    // The timer warns in the last 30 seconds and runs into overtime. Records are planted from
    // the home page, which does not write progress, then the question is opened.
    let key = format!("drillbook:mock:{code}");
    for (spent, class, value_prefix) in [(40, "timer-warning", "0:"), (75, "timer-over", "+0:1")] {
        browser.goto(site, "/").await?;
        browser
            .eval(&format!(
                "localStorage.setItem({key:?}, JSON.stringify({{answers: {{'2': {{spent: {spent}}}}}}})); return true"
            ))
            .await;
        browser.goto(site, &format!("/mock/{code}/2")).await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let classes = browser
            .eval("return document.querySelector('.timer').className")
            .await;
        let value = browser.text(".timer-value").await;
        if !classes.as_str().unwrap_or_default().contains(class) || !value.starts_with(value_prefix)
        {
            return Err(format!(
                "after {spent}s: classes {classes}, value {value:?}"
            ));
        }
    }
    browser.goto(site, "/").await?;
    browser
        .eval(&format!(
            "localStorage.setItem({key:?}, JSON.stringify({{answers: {{'1': {{spent: 12, points: [0], grade: 'solid'}}}}}})); return true"
        ))
        .await;

    // Results show what was recorded on question 1.
    browser.goto(site, &format!("/mock/{code}/results")).await?;
    let points = browser
        .text("tbody tr[data-number='1'] .result-points")
        .await;
    let grade = browser
        .text("tbody tr[data-number='1'] .result-grade")
        .await;
    let spent = browser
        .text("tbody tr[data-number='1'] .result-spent")
        .await;
    if !points.starts_with("1 / ") || grade != "Solid" || spent != "0:12" {
        return Err(format!(
            "results row 1: points {points:?}, grade {grade:?}, time {spent:?}"
        ));
    }
    let totals = browser.text(".total-grades").await;
    if totals != "1 solid, 0 partial, 0 missed" {
        return Err(format!("totals: {totals:?}"));
    }
    Ok(())
}

/// Records grades on a question page and finds them on the results page, end to end.
#[tokio::test(flavor = "multi_thread")]
async fn grades_ticked_on_a_page_reach_the_results() {
    in_browser(|site, browser| async move {
        let outcome = grade_then_read(&site, &browser).await;
        (browser, outcome)
    })
    .await;
}

async fn grade_then_read(site: &Site, browser: &Browser) -> Result<(), String> {
    let code = browser_start(site, browser).await?;
    let results = format!("/mock/{code}/results");
    browser.goto(site, &format!("/mock/{code}/1")).await?;
    browser.press(' ').await;
    // Ticks the first two key points, or the one there is.
    for point in ["0", "1"] {
        let tick = format!("input[name=point][value='{point}']");
        if browser.has(&tick).await {
            browser.click(&tick).await?;
        }
    }
    browser.click("input[name=grade][value=partial]").await?;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    browser.goto(site, &results).await?;
    let grade = browser
        .text("tbody tr[data-number='1'] .result-grade")
        .await;
    let points = browser
        .text("tbody tr[data-number='1'] .result-points")
        .await;
    let spent = browser
        .text("tbody tr[data-number='1'] .result-spent")
        .await;
    if grade != "Partial" || points.starts_with("0 /") || !spent.starts_with("0:0") {
        return Err(format!(
            "results row 1: grade {grade:?}, points {points:?}, time {spent:?}"
        ));
    }
    // The question's category scores it, and it is ticked for a retry; nothing else is.
    let group = "document.querySelector(\"tr[data-number='1']\").closest('tbody')";
    let group_grades = browser
        .eval(&format!(
            "return {group}.querySelector('.category-grades').textContent"
        ))
        .await;
    if group_grades.as_str() != Some("0 solid, 1 partial, 0 missed") {
        return Err(format!("category of question 1: grades {group_grades}"));
    }
    let ticked = browser
        .eval("return Array.from(document.querySelectorAll('input[name=q]:checked')).map(b => b.value)")
        .await;
    if ticked != serde_json::json!(["1"]) {
        return Err(format!("ticked for retry: {ticked}"));
    }
    // Retrying starts an interview of that one question.
    browser.click("button[data-mock-retry]").await?;
    let retry = browser
        .wait_for_path(|p| p.ends_with("/1") && !p.contains(&code))
        .await?;
    let count = browser.text(".mock-count").await;
    if count != "Question 1 of 1" {
        return Err(format!("{retry}: {count:?}"));
    }
    browser.goto(site, &results).await?;
    // Retake clears this browser's record of the set.
    browser.click("a[data-mock-retake]").await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    if browser
        .holds("document.querySelector(\"input[name=grade][value=partial]\").checked")
        .await
    {
        return Err("retake kept the old grade".into());
    }
    // With nothing graded, nothing is ticked and there is nothing to retry.
    browser.goto(site, &results).await?;
    if !browser
        .holds("document.querySelector('button[data-mock-retry]').disabled")
        .await
    {
        return Err("retry is enabled with nothing ticked".into());
    }
    Ok(())
}

/// Starts an interview through the form with the fixture bank's largest valid size.
async fn browser_start(site: &Site, browser: &Browser) -> Result<String, String> {
    browser.goto(site, "/mock").await?;
    browser.eval("document.querySelector('#count').value = '4'; document.querySelector('form.mock-setup').submit(); return true").await;
    let path = browser.wait_for_path(|p| p.ends_with("/1")).await?;
    Ok(path
        .trim_start_matches("/mock/")
        .trim_end_matches("/1")
        .to_string())
}
