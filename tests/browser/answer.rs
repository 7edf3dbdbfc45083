//! Answer first, then compare, in a real browser with Chromium's fake microphone: typing and
//! recording on a question page and in a mock interview, what is kept across a reload, the
//! reveal beside the key points, the grade the ticks suggest, attempts, deleting everything, a
//! refused microphone, and the network log showing that nothing typed or said leaves the page.

use std::time::Duration;

use crate::harness::{Browser, Launch, Request, Site};

/// Text typed as answers: unusual enough that finding it in a request could only be a leak.
const TYPED: &str = "Quokka answer 7f3e: the GIL serialises bytecode";
const TYPED_AGAIN: &str = "Second quokka attempt 9b1d";
const TYPED_MOCK: [&str; 2] = ["Mock quokka one 41c2", "Mock quokka two 5d0a"];

fn recording_browser() -> Launch {
    Launch {
        fake_microphone: true,
        grant_microphone: true,
        network_log: true,
    }
}

async fn with_site_and_browser<F>(launch: Launch, check: F)
where
    F: AsyncFnOnce(&Site, &Browser) -> Result<(), String>,
{
    let site = Site::start("tests/fixtures/valid");
    let browser = Browser::launch(launch).await;
    let outcome = check(&site, &browser).await;
    browser.close().await;
    if let Err(problem) = outcome {
        panic!("{problem}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_typed_and_recorded_answer_is_kept_compared_and_never_sent() {
    with_site_and_browser(recording_browser(), async |site, b| {
        let mut requests = Vec::new();
        question_page(site, b, &mut requests).await?;
        about_page(site, b, &mut requests).await?;
        requests.extend(b.requests().await?);
        nothing_leaked(site, &requests, &[TYPED, TYPED_AGAIN])
    })
    .await;
}

/// Every request went to the site on loopback, fetched a page or file, and carried nothing the
/// candidate typed or said.
fn nothing_leaked(site: &Site, requests: &[Request], typed: &[&str]) -> Result<(), String> {
    if requests.is_empty() {
        return Err("the network log is empty: it was not recorded".into());
    }
    for request in requests {
        // The browser's own pages, and blob: URLs (a recording played back), are not network.
        if !request.url.starts_with("http") {
            continue;
        }
        let on_site = request.url.starts_with(&format!("{}/", site.base));
        let method_ok =
            request.method == "GET" || (request.method == "POST" && request.url.ends_with("/mock"));
        let body = request.post_data.as_deref().unwrap_or_default();
        let carries = typed.iter().any(|t| {
            let words = t.split(' ').next().unwrap_or(t);
            request.url.contains(words) || body.contains(words) || body.contains(t)
        });
        if !on_site || !method_ok || carries || body.len() > 200 {
            return Err(format!("a request that should not be: {request:?}"));
        }
    }
    Ok(())
}

/// Waits until the recording player of `scope` knows a finite length over a second; returns it.
async fn recorded_length(b: &Browser, scope: &str) -> Result<f64, String> {
    let audio = format!("document.querySelector({:?})", format!("{scope} audio"));
    b.wait_until(&format!("{audio} !== null")).await?;
    // The player learns the length by reading the file through (WebM from MediaRecorder has no
    // duration in its header); give it a moment beyond the usual five seconds.
    for _ in 0..3 {
        if b.wait_until(&format!(
            "isFinite({audio}.duration) && {audio}.duration > 1 && {audio}.currentTime === 0"
        ))
        .await
        .is_ok()
        {
            break;
        }
    }
    let length = b
        .eval(&format!("return {audio}.duration"))
        .await
        .as_f64()
        .unwrap_or(0.0);
    if !(length > 1.0 && length < 10.0) {
        return Err(format!("the recording's player says it is {length} s long"));
    }
    Ok(length)
}

/// Whether a clock reads two seconds, or a little over on a busy machine.
fn about_two_seconds(clock: &str) -> bool {
    ["0:02", "0:03", "0:04"].contains(&clock)
}

/// Records for about two seconds with the Record button, and stops with the same button.
async fn record_two_seconds(b: &Browser) -> Result<(), String> {
    b.click("button[data-record]").await?;
    b.wait_until(
        "document.querySelector('[data-record-status]').textContent.startsWith('Recording.')",
    )
    .await?;
    // The fake microphone plays a tone: the level meter moves.
    b.wait_until("document.querySelector('[data-record-level]').value > 0")
        .await?;
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let clock = b.text("[data-record-clock]").await;
    if !about_two_seconds(&clock) {
        return Err(format!("the recording clock says {clock:?} after 2 s"));
    }
    b.click("button[data-record]").await?;
    b.wait_until(
        "/^Recorded 0:0[234]\\./.test(document.querySelector('[data-record-status]').textContent)",
    )
    .await
}

/// The stored attempts at question `id`, as the page keeps them.
async fn attempts(b: &Browser, id: u32) -> serde_json::Value {
    b.eval(&format!(
        "var all = JSON.parse(localStorage.getItem('drillbook:answers') || '{{}}'); \
         return all['{id}'] ? all['{id}'].attempts : []"
    ))
    .await
}

async fn question_page(
    site: &Site,
    b: &Browser,
    requests: &mut Vec<Request>,
) -> Result<(), String> {
    // Every page this browser opens counts its requests for the microphone.
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        serde_json::json!({ "source": "window.microphoneAsked = 0; \
            var ask = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices); \
            navigator.mediaDevices.getUserMedia = function (c) { window.microphoneAsked += 1; return ask(c); };" }),
    )
    .await?;
    b.goto(site, "/questions/1").await?;
    b.wait_for_path(|p| p.starts_with("/questions/1/")).await?;
    if b.holds("document.querySelector('[data-answer-check]').hidden === false")
        .await
    {
        return Err("the key points to tick show before the reveal".into());
    }

    // Type, then record about two seconds: the microphone is asked for then, not before.
    b.type_into("[data-answer-text]", TYPED).await?;
    b.wait_until("document.querySelector('[data-answer-status]').textContent === 'Saved.'")
        .await?;
    if !b.holds("window.microphoneAsked === 0").await {
        return Err("the page asked for the microphone before Record was pressed".into());
    }
    record_two_seconds(b).await?;
    if !b.holds("window.microphoneAsked === 1").await {
        return Err("Record did not ask for the microphone once".into());
    }
    recorded_length(b, "[data-recording]").await?;
    let caption = b.text("[data-recording] .recording-caption").await;
    if !caption
        .strip_prefix("Your recording, ")
        .and_then(|rest| rest.strip_suffix(':'))
        .is_some_and(about_two_seconds)
    {
        return Err(format!("the recording's caption: {caption:?}"));
    }

    // A reload keeps both.
    b.client
        .refresh()
        .await
        .map_err(|e| format!("reload: {e:?}"))?;
    b.wait_until(&format!(
        "document.querySelector('[data-answer-text]').value === {TYPED:?}"
    ))
    .await?;
    recorded_length(b, "[data-recording]").await?;
    if !b.holds("window.microphoneAsked === 0").await {
        return Err("playing a recording back asked for the microphone".into());
    }
    let kept = attempts(b, 1).await;
    if kept.as_array().map(Vec::len) != Some(1) || kept[0]["text"] != TYPED {
        return Err(format!("stored attempts after one answer: {kept}"));
    }
    if !kept[0]["audio"]["ms"]
        .as_f64()
        .is_some_and(|ms| ms > 1000.0)
    {
        return Err(format!("the stored recording is not over a second: {kept}"));
    }

    // Reveal with `r`: ours beside yours at 1024 px, the key points to tick.
    b.press('r').await;
    b.wait_until("document.querySelector('.compare').classList.contains('revealed')")
        .await?;
    if !b
        .holds(
            "(function () { var y = document.querySelector('.your-answer').getBoundingClientRect(); \
              var o = document.querySelector('details.answer').getBoundingClientRect(); \
              return y.right <= o.left && Math.abs(y.top - o.top) < 40; })()",
        )
        .await
    {
        return Err("at 1024 px your answer is not beside ours".into());
    }
    b.client
        .set_window_size(360, 800)
        .await
        .map_err(|e| format!("resize: {e:?}"))?;
    b.wait_until(
        "(function () { var y = document.querySelector('.your-answer').getBoundingClientRect(); \
          var o = document.querySelector('details.answer').getBoundingClientRect(); \
          return y.bottom <= o.top && o.width > 300; })()",
    )
    .await
    .map_err(|e| format!("at 360 px the two are not stacked: {e}"))?;
    b.client
        .set_window_size(1024, 900)
        .await
        .map_err(|e| format!("resize: {e:?}"))?;
    if !b
        .holds("document.querySelector('[data-answer-check]').hidden === false")
        .await
    {
        return Err("the key points to tick did not show on the reveal".into());
    }

    // Ticks suggest a grade: 1 of 3 Again, 2 of 3 Hard, all 3 Good.
    for (point, expected, button) in [("0", "Again", 1), ("1", "Hard", 2), ("2", "Good", 3)] {
        b.click(&format!(
            "[data-answer-check] input[name=point][value='{point}']"
        ))
        .await?;
        b.wait_until(&format!(
            "document.querySelector('[data-suggestion]').textContent.startsWith('Suggested: {expected}, for ') \
             && document.querySelector('button[data-grade=\"{button}\"]').classList.contains('suggested')"
        ))
        .await?;
    }
    // The candidate overrules it: Easy.
    b.click("button[data-grade='4']").await?;
    b.wait_until("document.querySelector('button[data-grade=\"4\"]').getAttribute('aria-pressed') === 'true'")
        .await?;
    let kept = attempts(b, 1).await;
    if kept[0]["grade"] != "Easy" || kept[0]["points"] != serde_json::json!([0, 1, 2]) {
        return Err(format!("the attempt's ticks and grade: {kept}"));
    }

    // Try again: the answer closes, the box empties, the first attempt is listed with its
    // recording; a second attempt keeps the first.
    b.click("button[data-try-again]").await?;
    b.wait_until(
        "!document.querySelector('details.answer').open \
         && document.querySelector('[data-answer-text]').value === '' \
         && document.querySelectorAll('[data-attempt-list] li').length === 1",
    )
    .await?;
    let listed = b.text("[data-attempt-list] li").await;
    if !listed.contains(TYPED) || !listed.contains("3 key points ticked, graded Easy") {
        return Err(format!("the earlier attempt reads {listed:?}"));
    }
    recorded_length(b, "[data-attempt-list] li").await?;
    b.type_into("[data-answer-text]", TYPED_AGAIN).await?;
    b.wait_until("document.querySelector('[data-answer-status]').textContent === 'Saved.'")
        .await?;
    let kept = attempts(b, 1).await;
    if kept.as_array().map(Vec::len) != Some(2)
        || kept[0]["text"] != TYPED
        || kept[1]["text"] != TYPED_AGAIN
    {
        return Err(format!("two attempts: {kept}"));
    }
    b.client
        .refresh()
        .await
        .map_err(|e| format!("reload: {e:?}"))?;
    b.wait_until(&format!(
        "document.querySelector('[data-answer-text]').value === {TYPED_AGAIN:?} \
         && document.querySelectorAll('[data-attempt-list] li').length === 1"
    ))
    .await?;
    requests.extend(b.requests().await?);
    Ok(())
}

/// The number of recordings in IndexedDB.
async fn recordings_kept(b: &Browser) -> Result<i64, String> {
    b.eval_async(
        "var done = arguments[arguments.length - 1]; \
         var open = indexedDB.open('drillbook'); \
         open.onsuccess = function () { \
           var count = open.result.transaction('recordings').objectStore('recordings').count(); \
           count.onsuccess = function () { done(count.result); }; \
           count.onerror = function () { done(-1); }; }; \
         open.onerror = function () { done(-2); };",
    )
    .await?
    .as_i64()
    .ok_or_else(|| "no count of recordings".to_string())
}

async fn about_page(site: &Site, b: &Browser, requests: &mut Vec<Request>) -> Result<(), String> {
    b.goto(site, "/about").await?;
    b.wait_until(
        "document.querySelector('[data-answer-usage]').textContent.startsWith('1 recording (')",
    )
    .await?;
    let usage = b.text("[data-answer-usage]").await;
    if !usage.contains("of the 100 MB they may use) and 2 typed answers") {
        return Err(format!("/about says {usage:?}"));
    }
    if recordings_kept(b).await? != 1 {
        return Err("IndexedDB does not hold the one recording".into());
    }
    b.eval("window.confirm = function () { return true; }; return true")
        .await;
    b.click("button[data-delete-recordings]").await?;
    b.wait_until("document.querySelector('[data-answer-usage]').textContent.startsWith('0 recordings (0 bytes')")
        .await?;
    let left = recordings_kept(b).await?;
    if left != 0 {
        return Err(format!(
            "{left} recordings left after Delete all recordings"
        ));
    }
    b.click("button[data-delete-answers]").await?;
    b.wait_until(
        "document.querySelector('[data-answer-usage]').textContent.includes('0 typed answers')",
    )
    .await?;
    let stored = b
        .eval("return localStorage.getItem('drillbook:answers')")
        .await;
    let stored = stored.as_str().unwrap_or_default();
    if stored.contains("quokka") || stored.contains("audio") {
        return Err(format!(
            "after deleting everything the store holds {stored}"
        ));
    }
    // The attempt on question 1 graded Easy keeps its grade, without text or recording.
    b.goto(site, "/questions/1").await?;
    b.wait_until("document.querySelectorAll('[data-attempt-list] li').length === 1")
        .await?;
    let listed = b.text("[data-attempt-list] li").await;
    if !listed.contains("Nothing typed.")
        || b.holds("document.querySelector('[data-attempt-list] audio') !== null")
            .await
    {
        return Err(format!(
            "after deleting everything the attempt reads {listed:?}"
        ));
    }
    requests.extend(b.requests().await?);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mock_interview_keeps_each_answer_for_the_results() {
    with_site_and_browser(recording_browser(), async |site, b| {
        let code = start_interview(b, site, 2, false).await?;
        // Question 1, one second before its minute is up: the recording runs on into overtime.
        // The record is planted from the home page, which writes no interview's progress.
        b.goto(site, "/").await?;
        b.eval(&format!(
            "localStorage.setItem('drillbook:mock:{code}', JSON.stringify({{answers: {{'1': {{spent: 59}}}}}})); return true"
        ))
        .await;
        b.goto(site, &format!("/mock/{code}/1")).await?;
        b.type_into("[data-answer-text]", TYPED_MOCK[0]).await?;
        record_two_seconds_into_overtime(b).await?;
        recorded_length(b, "[data-recording]").await?;
        b.press('r').await;
        b.wait_until("document.querySelector('[data-answer-check]').hidden === false")
            .await?;
        // Every key point ticked: the interview's grade follows, as solid.
        let points = b
            .eval("return document.querySelectorAll('[data-answer-check] input[name=point]').length")
            .await
            .as_u64()
            .unwrap_or(0);
        for point in 0..points {
            b.click(&format!("[data-answer-check] input[name=point][value='{point}']"))
                .await?;
        }
        b.wait_until("document.querySelector('input[name=grade][value=solid]').checked")
            .await?;
        b.click("[data-key-next]").await?;
        b.wait_for_path(|p| p.ends_with("/2")).await?;

        // Question 2: typed, graded by hand, then recorded, and `n` pressed while recording:
        // the recording is kept before the page goes.
        b.type_into("[data-answer-text]", TYPED_MOCK[1]).await?;
        // Out of the box, so that `r` reveals rather than types.
        b.eval("document.activeElement.blur(); return true").await;
        b.press('r').await;
        b.click("input[name=grade][value=partial]").await?;
        b.click("button[data-record]").await?;
        b.wait_until("document.querySelector('[data-record-status]').textContent.startsWith('Recording.')")
            .await?;
        tokio::time::sleep(Duration::from_millis(1600)).await;
        b.press('n').await;
        b.wait_for_path(|p| p.ends_with("/results")).await?;

        // The results list both, with the recording's player and the grades.
        b.wait_until(&format!(
            "document.querySelector('article[data-number=\"1\"]').textContent.includes({:?}) \
             && document.querySelector('article[data-number=\"2\"]').textContent.includes({:?})",
            TYPED_MOCK[0], TYPED_MOCK[1]
        ))
        .await?;
        recorded_length(b, "article[data-number='1']").await?;
        recorded_length(b, "article[data-number='2']").await?;
        let first = b.text("article[data-number='1']").await;
        if !first.contains("Graded solid") || !first.contains(&format!("Key points you ticked: {points} of {points}")) {
            return Err(format!("results, question 1: {first:?}"));
        }
        let second = b.text("article[data-number='2']").await;
        if !second.contains("Graded partial") || !second.contains("Key points you ticked: 0 of") {
            return Err(format!("results, question 2: {second:?}"));
        }
        let requests = b.requests().await?;
        nothing_leaked(site, &requests, &TYPED_MOCK)
    })
    .await;
}

/// Records across the end of the question's time: the timer goes into overtime and the
/// recording keeps going.
async fn record_two_seconds_into_overtime(b: &Browser) -> Result<(), String> {
    b.click("button[data-record]").await?;
    b.wait_until(
        "document.querySelector('[data-record-status]').textContent.startsWith('Recording.')",
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(2200)).await;
    if !b.text(".timer-value").await.starts_with('+') {
        return Err("the timer did not reach overtime".into());
    }
    let (button, clock) = (
        b.text("button[data-record]").await,
        b.text("[data-record-clock]").await,
    );
    if button != "Stop" || !about_two_seconds(&clock) {
        return Err(format!(
            "in overtime the recorder says {button:?}, {clock:?}"
        ));
    }
    b.click("button[data-record]").await?;
    b.wait_until(
        "/^Recorded 0:0[234]\\./.test(document.querySelector('[data-record-status]').textContent)",
    )
    .await
}

/// Starts an interview of `count` questions, one minute each, through the setup form; returns
/// its code.
async fn start_interview(
    b: &Browser,
    site: &Site,
    count: u32,
    blind: bool,
) -> Result<String, String> {
    b.goto(site, "/mock").await?;
    b.eval(&format!(
        "document.querySelector('#count').value = '{count}'; \
         document.querySelector('#minutes').value = '1'; return true"
    ))
    .await;
    if blind {
        b.click("input[name=blind]").await?;
    }
    b.click("form.mock-setup button[type=submit]").await?;
    let path = b.wait_for_path(|p| p.ends_with("/1")).await?;
    Ok(path
        .trim_start_matches("/mock/")
        .trim_end_matches("/1")
        .to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_blind_interview_hides_difficulty_and_category_until_the_results() {
    with_site_and_browser(Launch::default(), async |site, b| {
        start_interview(b, site, 2, true).await?;
        for n in ["1", "2"] {
            b.wait_until("document.querySelector('.question-meta.blind') !== null")
                .await
                .map_err(|e| format!("question {n}: {e}"))?;
            if b.holds("document.querySelector('.mock .badge') !== null")
                .await
            {
                return Err(format!("question {n} shows its difficulty"));
            }
            b.click("[data-key-next]").await?;
            let arrived = if n == "1" { "/2" } else { "/results" };
            b.wait_for_path(|p| p.ends_with(arrived)).await?;
        }
        if !b
            .holds("document.querySelectorAll('article[data-number] .badge').length === 2")
            .await
        {
            return Err("the results do not show each question's difficulty".into());
        }
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_microphone_is_explained_and_typing_still_works() {
    let launch = Launch {
        fake_microphone: true,
        grant_microphone: false,
        network_log: false,
    };
    with_site_and_browser(launch, async |site, b| {
        b.goto(site, "/questions/1").await?;
        b.wait_for_path(|p| p.starts_with("/questions/1/")).await?;
        b.cdp(
            "Browser.setPermission",
            serde_json::json!({
                "permission": { "name": "microphone" },
                "setting": "denied",
                "origin": site.base,
            }),
        )
        .await?;
        b.click("button[data-record]").await?;
        b.wait_until(
            "document.querySelector('[data-record-status]').textContent.startsWith('The microphone was refused')",
        )
        .await?;
        if b.text("button[data-record]").await != "Record" {
            return Err("the button still says Stop after the refusal".into());
        }
        b.type_into("[data-answer-text]", TYPED).await?;
        b.wait_until("document.querySelector('[data-answer-status]').textContent === 'Saved.'")
            .await?;
        let kept = attempts(b, 1).await;
        if kept[0]["text"] != TYPED || !kept[0]["audio"].is_null() {
            return Err(format!("after the refusal the attempt is {kept}"));
        }
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recording_is_reported_kept_only_once_stored_and_other_tabs_hear_of_it() {
    with_site_and_browser(recording_browser(), async |site, b| {
        b.goto(site, "/about").await?;
        b.wait_until("document.querySelector('[data-answer-usage]').dataset.recordings === '0'")
            .await?;
        // This tab stops hearing localStorage's events, so that only the recordings' own
        // announcement can tell it of one.
        b.eval("window.addEventListener('storage', function (e) { e.stopImmediatePropagation(); }, true);")
            .await;
        let (about, question) = b.open_tab().await?;
        b.goto(site, "/questions/1").await?;
        b.wait_for_path(|p| p.starts_with("/questions/1/")).await?;

        // The database refuses the recording: the page says so, and the attempt does not claim
        // a recording it does not have.
        b.eval(
            "window.__put = IDBObjectStore.prototype.put;
             IDBObjectStore.prototype.put = function () {
               throw new DOMException('full', 'QuotaExceededError');
             };",
        )
        .await;
        record_two_seconds(b).await?;
        b.wait_until("document.querySelector('[data-record-status]').textContent.includes('It could not be kept')")
            .await?;
        let kept = attempts(b, 1).await;
        if !kept[0]["audio"].is_null() {
            return Err(format!("a refused recording is listed as kept: {kept}"));
        }
        if recordings_kept(b).await? != 0 {
            return Err("a refused recording is in the database".into());
        }

        // Kept for real: read back, then every other tab hears of it (IndexedDB raises no
        // storage event) and the about page counts it without a reload.
        b.eval("IDBObjectStore.prototype.put = window.__put;").await;
        record_two_seconds(b).await?;
        if recordings_kept(b).await? != 1 || attempts(b, 1).await[0]["audio"]["bytes"].is_null() {
            return Err(format!("the recording was not kept: {}", attempts(b, 1).await));
        }
        b.switch_to(&about).await?;
        b.wait_until("document.querySelector('[data-answer-usage]').dataset.recordings === '1'")
            .await?;
        b.switch_to(&question).await?;
        Ok(())
    })
    .await;
}
