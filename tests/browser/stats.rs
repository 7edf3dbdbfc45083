//! The statistics page in a real browser: its empty state, the numbers in its tables from a
//! seeded review log, review schedule, progress and two mock interviews, the streak that shows
//! only once asked for (and is remembered), the charts' dark colours, and no request carrying
//! any of the data.

use crate::harness::{Browser, Launch, Request, Site};

/// A mock interview code no page of the site sends: finding it in a request means the data left.
const MARKER: &str = "Wombat7Stats";

/// Seeds the stores on the site's origin, with days counted from the browser's own today: two
/// reviews today, one yesterday, one 5 days ago (mature), a run 10 to 13 days ago, and two
/// mature reviews 40 and 41 days ago (Good, then Hard).
const SEED: &str = r#"
const now = new Date();
const day = (ago, hour) => new Date(now.getFullYear(), now.getMonth(), now.getDate() - ago, hour).getTime();
const stamp = Date.now();
const log = {
  1: { at: stamp, reviews: [[day(41, 12), 2, 25], [day(13, 12), 3, 0], [day(12, 12), 3, 1], [day(0, 0) + 1000, 3, 3]] },
  2: { at: stamp, reviews: [[day(40, 12), 3, 30], [day(11, 12), 1, 0], [day(10, 12), 3, 0], [day(5, 12), 3, 21], [day(1, 12), 4, 2]] },
  3: { at: stamp, reviews: [[day(0, 0) + 2000, 1, 0]] },
};
const state = (due) => ({ stability: 5, difficulty: 5, due: due, last: due - 5 * 86400000, reps: 2, lapses: 0, at: stamp });
const review = {
  1: state(day(2, 12)),
  2: state(day(0, 23) + 59 * 60000),
  3: state(day(-3, 12)),
  10: state(day(-40, 12)),
};
const progress = { 1: { status: "known", at: stamp }, 2: { status: "review", at: stamp } };
localStorage.setItem("drillbook:log", JSON.stringify(log));
localStorage.setItem("drillbook:review", JSON.stringify(review));
localStorage.setItem("drillbook:progress", JSON.stringify(progress));
localStorage.setItem("drillbook:mock:WOMBAT", JSON.stringify({
  started: day(2, 9), total: 3, answers: { 1: { grade: "solid", points: [0] }, 2: { grade: "missed" } },
}));
localStorage.setItem("drillbook:mock:Wombat7Stats", JSON.stringify({ answers: { 1: { grade: "partial" } } }));
localStorage.setItem("drillbook:mock:junk", "{not json");
"#;

/// Reloads the page and waits for the review charts to be drawn.
async fn reload_drawn(b: &Browser) -> Result<(), String> {
    b.client
        .refresh()
        .await
        .map_err(|e| format!("reload: {e:?}"))?;
    b.wait_until("!document.querySelector('[data-stats-section=activity]').hidden")
        .await
}

/// The text of each cell of each row of a table's body, whitespace collapsed.
async fn rows(b: &Browser, table: &str) -> serde_json::Value {
    b.eval(&format!(
        "return [...document.querySelectorAll('table[data-table={table}] tbody tr')].map(tr => \
         [...tr.children].map(cell => cell.textContent.replace(/\\s+/g, ' ').trim()))"
    ))
    .await
}

/// The computed fill of the forecast's first bar that is not overdue.
async fn bar_fill(b: &Browser) -> String {
    b.eval("return getComputedStyle(document.querySelector('[data-stats-section=forecast] rect.bar:not(.bar-overdue)')).fill")
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn expect(what: &str, got: &serde_json::Value, want: serde_json::Value) -> Result<(), String> {
    if *got == want {
        Ok(())
    } else {
        Err(format!("{what}: {got}, expected {want}"))
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn stats_draws_the_seeded_numbers_with_a_streak_on_request_and_sends_nothing() {
    let site = Site::start("tests/fixtures/valid");
    let browser = Browser::launch(Launch {
        network_log: true,
        ..Launch::default()
    })
    .await;
    let outcome = stats_page(&site, &browser).await;
    browser.close().await;
    if let Err(problem) = outcome {
        panic!("{problem}");
    }
}

async fn stats_page(site: &Site, b: &Browser) -> Result<(), String> {
    // Nothing reviewed yet: the empty state says how to start, the review charts wait.
    b.goto(site, "/stats").await?;
    b.wait_until(
        "document.querySelector('[data-stats-section=categories] svg[role=img]') !== null",
    )
    .await?;
    if !b
        .holds("!document.querySelector('[data-stats-empty]').hidden && document.querySelector('[data-stats-section=activity]').hidden && !document.querySelector('[data-mocks-none]').hidden")
        .await
    {
        return Err("the empty page shows review charts or no word on mock interviews".into());
    }
    let empty = b.text("[data-stats-empty]").await;
    if !empty.starts_with("No reviews yet.") || !empty.contains("grade yourself") {
        return Err(format!("empty state: {empty:?}"));
    }
    expect(
        "categories before any mark",
        &rows(b, "categories").await,
        serde_json::json!([
            ["Basics 3 questions", "0", "0", "3"],
            ["Extras 1 question", "0", "0", "1"]
        ]),
    )?;

    b.eval(SEED).await;
    reload_drawn(b).await?;
    if !b
        .holds("document.querySelector('[data-stats-empty]').hidden")
        .await
    {
        return Err("the empty state shows beside the reviews".into());
    }

    // Reviews in the last year: 10 on 9 days; the month rows add up to the totals and end with
    // this month.
    let totals = b
        .eval("return [...document.querySelectorAll('table[data-table=months] tfoot td')].map(td => td.textContent)")
        .await;
    expect("year totals", &totals, serde_json::json!(["10", "9"]))?;
    let months = rows(b, "months").await;
    let sums = b
        .eval("const rows = [...document.querySelectorAll('table[data-table=months] tbody tr')]; \
               return [rows.reduce((s, r) => s + Number(r.children[1].textContent), 0), \
                       rows.reduce((s, r) => s + Number(r.children[2].textContent), 0), \
                       rows[rows.length - 1].querySelector('time').dateTime === \
                       new Date().getFullYear() + '-' + String(new Date().getMonth() + 1).padStart(2, '0')]")
        .await;
    expect(
        &format!("month rows {months}"),
        &sums,
        serde_json::json!([10, 9, true]),
    )?;
    let heat = b
        .eval("const svg = document.querySelector('[data-stats-section=activity] svg[role=img]'); \
               return [svg.getAttribute('aria-label').startsWith('Reviews per day: 10 reviews on 9 days in the last year; most in one day: 2, on '), \
                       svg.querySelectorAll('rect.heat').length >= 365, \
                       [...svg.querySelectorAll('rect.heat title')].filter(t => t.textContent.endsWith(': 2 reviews')).length]")
        .await;
    expect("heatmap", &heat, serde_json::json!([true, true, 1]))?;

    // Due: question 1 overdue and 2 today (counted today), 3 in three days, 10 beyond 30 days.
    let forecast = rows(b, "forecast").await;
    let days = forecast.as_array().map_or(0, Vec::len);
    if days != 30 {
        return Err(format!("the forecast has {days} days: {forecast}"));
    }
    expect(
        "forecast, first four days",
        &serde_json::json!(forecast.as_array().map(|d| d[..4].to_vec())),
        serde_json::json!([
            ["Today", "2 (1 overdue)"],
            ["Tomorrow", "0"],
            [forecast[2][0], "0"],
            [forecast[3][0], "1"]
        ]),
    )?;
    let summary = b.text("[data-stats-section=forecast] [data-summary]").await;
    if summary != "3 reviews due in the next 30 days, 1 of them overdue (counted today); 2 today." {
        return Err(format!("forecast summary: {summary:?}"));
    }

    // Retention of mature reviews: 5 days ago Good; 40 and 41 days ago Good and Hard.
    expect(
        "retention",
        &rows(b, "retention").await,
        serde_json::json!([
            ["Last 30 days", "1", "1", "100%"],
            ["Last 365 days", "3", "2", "66.7%"],
            ["All time", "3", "2", "66.7%"]
        ]),
    )?;
    expect(
        "categories",
        &rows(b, "categories").await,
        serde_json::json!([
            ["Basics 3 questions", "1", "1", "1"],
            ["Extras 1 question", "0", "0", "1"]
        ]),
    )?;

    // Mock interviews, newest first; the old one without a start or a total says so.
    let mocks = rows(b, "mocks").await;
    expect(
        "mock history without dates",
        &serde_json::json!([[&mocks[0][1], &mocks[0][2], &mocks[0][3]], &mocks[1]]),
        serde_json::json!([
            ["2 of 3", "1 solid, 0 partial, 1 missed", "Results"],
            [
                "not recorded",
                "1",
                "0 solid, 1 partial, 0 missed",
                "Results"
            ]
        ]),
    )?;
    let links = b
        .eval("return [...document.querySelectorAll('table[data-table=mocks] a')].map(a => a.getAttribute('href'))")
        .await;
    expect(
        "results links",
        &links,
        serde_json::json!(["/mock/WOMBAT/results", format!("/mock/{MARKER}/results")]),
    )?;
    if !b
        .holds(
            "document.querySelector('table[data-table=mocks] tbody time').dateTime.length === 10",
        )
        .await
    {
        return Err("the interview's date is not a <time>".into());
    }

    // The streak is off until asked for, then shown and remembered.
    if !b.holds("document.querySelector('[data-streak]').hidden && !document.querySelector('#streak-show').checked").await {
        return Err("the streak shows before it was turned on".into());
    }
    b.click("#streak-show").await?;
    b.wait_until("!document.querySelector('[data-streak]').hidden")
        .await?;
    let streak = b
        .eval("return [document.querySelector('[data-streak-current]').textContent, document.querySelector('[data-streak-longest]').textContent, JSON.parse(localStorage.getItem('drillbook:settings')).streak]")
        .await;
    expect(
        "streak",
        &streak,
        serde_json::json!(["2 days", "4 days", true]),
    )?;
    reload_drawn(b).await?;
    if !b
        .holds("!document.querySelector('[data-streak]').hidden && document.querySelector('#streak-show').checked")
        .await
    {
        return Err("the streak was not remembered after a reload".into());
    }

    // The heatmap names each month once, over its first Sunday, no two names closer than three
    // columns (12 units each), so none is drawn over another.
    let months = b
        .eval(
            "const names = ['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec']; \
             const labels = [...document.querySelectorAll('[data-stats-section=activity] svg text')] \
               .filter(t => names.includes(t.textContent)); \
             return { count: labels.length, distinct: new Set(labels.map(t => t.textContent)).size, \
               closest: Math.min(...labels.slice(1).map((t, i) => t.getAttribute('x') - labels[i].getAttribute('x'))) }",
        )
        .await;
    let count = months["count"].as_u64().unwrap_or(0);
    if !(11..=12).contains(&count)
        || months["distinct"].as_u64() != Some(count)
        || months["closest"].as_f64().unwrap_or(0.0) < 36.0
    {
        return Err(format!("heatmap month names {months}"));
    }

    // Every chart is a labelled image with a title on each mark, in the site's colours: dark
    // ones under a dark colour scheme.
    let charts = b
        .eval(
            "return [...document.querySelectorAll('[data-stats] svg.chart')].map(svg => \
               svg.getAttribute('role') === 'img' && svg.getAttribute('aria-label').length > 20 && \
               svg.querySelectorAll('title').length > 0)",
        )
        .await;
    expect(
        "charts",
        &charts,
        serde_json::json!([true, true, true, true, true]),
    )?;
    let light = bar_fill(b).await;
    b.cdp(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "features": [{ "name": "prefers-color-scheme", "value": "dark" }] }),
    )
    .await?;
    let dark = bar_fill(b).await;
    if light != "rgb(11, 87, 208)" || dark != "rgb(138, 180, 248)" {
        return Err(format!("bar fill light {light:?}, dark {dark:?}"));
    }

    nothing_sent(site, &b.requests().await?)
}

/// The page asked the site for itself and its files only: no request with a body, a query or
/// anything of the seeded data.
fn nothing_sent(site: &Site, requests: &[Request]) -> Result<(), String> {
    let sent: Vec<&Request> = requests
        .iter()
        .filter(|r| r.url.starts_with("http"))
        .collect();
    if sent.is_empty() {
        return Err("the network log is empty: it was not recorded".into());
    }
    for request in sent {
        let own = request.url.starts_with(&site.base);
        if !own
            || request.method != "GET"
            || request.post_data.is_some()
            || request.url.contains('?')
            || request.url.contains(MARKER)
            || request.url.contains("WOMBAT")
        {
            return Err(format!("a request may carry the data: {request:?}"));
        }
    }
    Ok(())
}
