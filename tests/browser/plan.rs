//! Study plans in a real browser: a plan made through the form and followed, its day on the
//! home page and in the review queue, today's new questions walked from the question pages,
//! reviews brought forward to the interview, a plan that does not fit, and nothing of the
//! candidate's progress sent to the server.

use crate::harness::{Browser, Launch, Site, in_browser};

/// The local day `n` days from now, as the page's script names days.
fn day_in(n: i32) -> String {
    format!("DrillbookPlan.addDays(DrillbookPlan.dayKey(Date.now()), {n})")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_made_through_the_form_is_followed_day_by_day() {
    in_browser(|site, browser| async move {
        let outcome = made_and_followed(&site, &browser).await;
        (browser, outcome)
    })
    .await;
}

async fn made_and_followed(site: &Site, b: &Browser) -> Result<(), String> {
    b.goto(site, "/plan").await?;
    // The date starts three weeks ahead and may not be today or earlier.
    b.wait_until(&format!(
        "document.querySelector('#plan-date').value === {} && document.querySelector('#plan-date').min === {}",
        day_in(21),
        day_in(1)
    ))
    .await?;
    // Three study days, two new questions a day: the fixture bank's four questions fit.
    b.eval(&format!(
        "document.querySelector('#plan-date').value = {}; return true",
        day_in(3)
    ))
    .await;
    b.click("input[name=pace][value=questions]").await?;
    b.replace_text("#plan-questions", "2").await?;
    b.click("form.plan-form button[type=submit]").await?;
    b.wait_for_path(|p| p.starts_with("/plan/")).await?;
    b.wait_until("document.querySelector('[data-plan-status]').textContent !== ''")
        .await?;
    let status = b.text("[data-plan-status]").await;
    if status != "3 study days from today: 4 new questions, about 2 a day." {
        return Err(format!("before following: {status:?}"));
    }
    if !b
        .holds("document.querySelector('[data-plan-problem]').hidden")
        .await
    {
        return Err(format!(
            "a plan that fits says it does not: {}",
            b.text("[data-plan-problem]").await
        ));
    }
    // Hardest first, the categories in turn: 3 (hard), 2 (medium), then 1 and 10 (easy).
    let order = b
        .eval("return Array.from(document.querySelectorAll('[data-plan-questions] .question-item')).map(li => li.dataset.questionId).join(' ')")
        .await;
    if order != serde_json::json!("3 2 1 10") {
        return Err(format!("the plan's order: {order}"));
    }
    let days = b
        .eval("return Array.from(document.querySelectorAll('.plan-day')).map(d => d.querySelectorAll('.plan-day-questions li').length).join(' ')")
        .await;
    if days != serde_json::json!("2 2 0") {
        return Err(format!("new questions per day: {days}"));
    }

    b.click("[data-plan-follow]").await?;
    b.wait_until("!document.querySelector('[data-plan-drop]').hidden")
        .await?;
    let status = b.text("[data-plan-status]").await;
    if status != "Day 1 of 3: 2 new, 0 to review." {
        return Err(format!("after following: {status:?}"));
    }

    // The home page says the day, and its link opens the hardest question in study mode.
    b.goto(site, "/").await?;
    b.wait_until("!document.querySelector('[data-plan-line]').hidden")
        .await?;
    let line = b.text("[data-plan-line]").await;
    if !line.starts_with("Day 1 of 3: 2 new, 0 to review.") {
        return Err(format!("the home page's plan line: {line:?}"));
    }
    b.click("[data-plan-line] a").await?;
    b.wait_for_path(|p| p.starts_with("/questions/3/")).await?;
    b.wait_until("!document.querySelector('[data-review-step]').hidden")
        .await?;
    let step = b.text("[data-review-step]").await;
    if step != "Your plan: 0 of 2 new questions done today." {
        return Err(format!("before grading: {step:?}"));
    }
    b.press('3').await;
    b.wait_until("document.querySelector('[data-review-step] a') !== null")
        .await?;
    let step = b.text("[data-review-step]").await;
    if !step.starts_with("1 of 2 new questions done today.") {
        return Err(format!("after grading: {step:?}"));
    }
    // The grade is in the question's review log; a corrected grade replaces it.
    let log = "JSON.parse(localStorage.getItem('drillbook:log'))['3'].reviews";
    if !b
        .holds(&format!(
            "{log}.length === 1 && {log}[0][1] === 3 && {log}[0][2] === 0"
        ))
        .await
    {
        return Err(format!(
            "the log after Good: {}",
            b.eval(&format!("return {log}")).await
        ));
    }
    b.press('4').await;
    b.wait_until(&format!("{log}.length === 1 && {log}[0][1] === 4"))
        .await?;
    b.click("[data-review-step] a").await?;
    b.wait_for_path(|p| p.starts_with("/questions/2/")).await?;
    b.wait_until("!document.querySelector('[data-review-step]').hidden")
        .await?;
    b.press('4').await;
    b.wait_until("document.querySelector('[data-review-step] a[href=\"/review\"]') !== null")
        .await?;

    // Both done: the review queue's line counts them, and the plan page marks them done.
    b.goto(site, "/review").await?;
    b.wait_until("!document.querySelector('[data-plan-line]').hidden")
        .await?;
    let line = b.text("[data-plan-line]").await;
    if !line.starts_with("Day 1 of 3: 2 new (2 done), 0 to review.") {
        return Err(format!("the review queue's plan line: {line:?}"));
    }
    b.goto(site, "/").await?;
    b.click("[data-plan-line] a:last-child").await?;
    b.wait_for_path(|p| p.starts_with("/plan/")).await?;
    b.wait_until("document.querySelectorAll('.plan-today .plan-day-questions li').length === 2")
        .await?;
    let today = b.text(".plan-today .plan-day-questions").await;
    if today.matches("✓ done").count() != 2 {
        return Err(format!("today's questions: {today:?}"));
    }

    // Another plan's page offers to replace this one; following it does.
    let first = b
        .eval("return JSON.parse(localStorage.getItem('drillbook:plan')).code")
        .await;
    let other = b.eval(&format!("return {}", day_in(5))).await;
    b.goto(
        site,
        &format!(
            "/plan?date={}&pace=questions&questions=3&category=basics",
            other.as_str().unwrap_or_default()
        ),
    )
    .await?;
    b.wait_until("document.querySelector('[data-plan-follow]').textContent.startsWith('Follow this plan instead of your plan to ')")
        .await?;
    b.click("[data-plan-follow]").await?;
    b.wait_until("!document.querySelector('[data-plan-drop]').hidden")
        .await?;
    if b.eval("return JSON.parse(localStorage.getItem('drillbook:plan')).code")
        .await
        == first
    {
        return Err("following another plan did not replace the first".into());
    }

    // Dropped, the plan leaves the home page.
    b.eval("window.confirm = () => true; return true").await;
    b.click("[data-plan-drop]").await?;
    b.wait_until("!document.querySelector('[data-plan-follow]').hidden")
        .await?;
    b.goto(site, "/").await?;
    b.wait_until("document.querySelector('[data-progress-summary] [data-count=known]') !== null")
        .await?;
    if !b
        .holds("document.querySelector('[data-plan-line]').hidden")
        .await
    {
        return Err("a dropped plan still shows on the home page".into());
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn reviews_due_after_the_interview_come_forward_into_the_review_queue() {
    in_browser(|site, browser| async move {
        let outcome = pulled_forward(&site, &browser).await;
        (browser, outcome)
    })
    .await;
}

async fn pulled_forward(site: &Site, b: &Browser) -> Result<(), String> {
    b.goto(site, "/review").await?;
    // Questions 1 and 10 were last reviewed five days ago and are due in ten; the plan, to an
    // interview tomorrow, holds the Basics questions (1, 2, 3) but not 10.
    b.eval(&format!(
        "const day = 86400000, now = Date.now();
         const state = {{ stability: 12, difficulty: 5, due: now + 10 * day, last: now - 5 * day, reps: 2, lapses: 0, at: now - 5 * day }};
         localStorage.setItem('drillbook:review', JSON.stringify({{ '1': state, '10': state }}));
         localStorage.setItem('drillbook:plan', JSON.stringify({{
           code: 'AQAAAQUAAAAAAA', date: {}, start: {}, pace: {{ unit: 'questions', amount: 5 }},
           includeKnown: false, at: now,
           questions: [[3, '/questions/3/x?study=1'], [2, '/questions/2/y?study=1'], [1, '/questions/1/z?study=1']] }}));
         return true",
        day_in(1),
        day_in(-3)
    ))
    .await;
    b.goto(site, "/review").await?;
    b.wait_until("document.querySelector('[data-count=due]').textContent === '1'")
        .await?;
    let shown = b
        .eval("return Array.from(document.querySelectorAll('[data-review-list] .question-item:not([hidden])')).map(li => li.dataset.questionId + li.querySelector('[data-review-when]').textContent).join('|')")
        .await;
    if shown != serde_json::json!("1 · due today, brought forward for your interview") {
        return Err(format!("the review queue shows {shown}"));
    }
    // The statistics' due forecast counts it today too.
    if forecast_today(site, b).await? != "1" {
        return Err("the forecast on /stats does not count the review brought forward".into());
    }
    // Without the plan, nothing is due today.
    b.eval("localStorage.removeItem('drillbook:plan'); return true")
        .await;
    if forecast_today(site, b).await? != "0" {
        return Err("without a plan the forecast on /stats still counts a review today".into());
    }
    b.goto(site, "/review").await?;
    b.wait_until("!document.querySelector('[data-review-done]').hidden")
        .await?;
    if b.text("[data-count=due]").await != "0" {
        return Err("without a plan the question is still due today".into());
    }
    Ok(())
}

/// How many reviews `/stats` forecasts for today, as its table says.
async fn forecast_today(site: &Site, b: &Browser) -> Result<String, String> {
    b.goto(site, "/stats").await?;
    b.wait_until("document.querySelector('table[data-table=forecast] tbody tr td') !== null")
        .await?;
    let count = b
        .eval("return document.querySelector('table[data-table=forecast] tbody tr td').textContent.trim()")
        .await;
    Ok(count.as_str().unwrap_or_default().to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_that_cannot_fit_says_what_would_and_no_progress_reaches_the_server() {
    let site = Site::start("tests/fixtures/valid");
    let browser = Browser::launch(Launch {
        network_log: true,
        ..Launch::default()
    })
    .await;
    let outcome = misfit(&site, &browser).await;
    browser.close().await;
    if let Err(problem) = outcome {
        panic!("{problem}");
    }
}

async fn misfit(site: &Site, b: &Browser) -> Result<(), String> {
    // Two days, one new question a day: four questions need four on the only day for new ones.
    b.goto(site, "/").await?;
    let local = b.eval(&format!("return {}", day_in(2))).await;
    let local = local.as_str().unwrap_or_default().to_string();
    b.goto(
        site,
        &format!(
            "/plan?date={local}&pace=questions&questions=1&category=basics&category=extras&known=1"
        ),
    )
    .await?;
    b.wait_for_path(|p| p.starts_with("/plan/")).await?;
    b.wait_until("!document.querySelector('[data-plan-problem]').hidden")
        .await?;
    let problem = b.text("[data-plan-problem]").await;
    if !problem.starts_with("This plan does not fit: 4 new questions over 1 day need 4 a day") {
        return Err(format!("the misfit: {problem:?}"));
    }
    if !problem.contains("What would fit: 4 new questions a day, 36 minutes a day") {
        return Err(format!("what would fit: {problem:?}"));
    }
    // Its first suggestion makes a plan that fits.
    b.click("[data-plan-problem] a").await?;
    b.wait_until("document.querySelector('[data-plan-unit]') && document.querySelector('[data-plan]').dataset.planAmount === '4'")
        .await?;
    b.wait_until("document.querySelector('[data-plan-status]').textContent !== ''")
        .await?;
    if !b
        .holds("document.querySelector('[data-plan-problem]').hidden")
        .await
    {
        return Err(format!(
            "the suggested plan does not fit: {}",
            b.text("[data-plan-problem]").await
        ));
    }
    // Today's day stands out in the site's colours, light and dark.
    let border = "return getComputedStyle(document.querySelector('.plan-today')).borderTopColor";
    let light = b.eval(border).await;
    b.cdp(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "features": [{ "name": "prefers-color-scheme", "value": "dark" }] }),
    )
    .await?;
    let dark = b.eval(border).await;
    if light != serde_json::json!("rgb(11, 87, 208)")
        || dark != serde_json::json!("rgb(138, 180, 248)")
    {
        return Err(format!("today's border: light {light}, dark {dark}"));
    }
    b.click("[data-plan-follow]").await?;
    b.wait_until("!document.querySelector('[data-plan-drop]').hidden")
        .await?;
    b.goto(site, "/").await?;
    b.click("[data-plan-line] a").await?;
    b.wait_for_path(|p| p.starts_with("/questions/")).await?;
    b.press('1').await;
    b.wait_until("document.querySelector('[data-review-step] a') !== null")
        .await?;

    // The plan's choices travel in its link; the marks and grades never leave the browser.
    let requests = b.requests().await?;
    if let Some(sent) = requests.iter().find(|r| {
        r.post_data.is_some() || r.url.contains("firstSeen") || r.url.contains("stability")
    }) {
        return Err(format!("the page sent {sent:?}"));
    }
    if !requests.iter().any(|r| r.url.contains("/plan?date=")) {
        return Err("the network log holds no plan request: is it recording?".into());
    }
    Ok(())
}
