//! Pair practice in two browsers, each with its own profile: the candidate starts an interview
//! and takes the interviewer's link; the interviewer runs it, rates, ticks and writes notes with
//! markup in them, and makes the scorecard link; the candidate opens it and sees exactly that,
//! then practises the weakest question. Neither browser's network log carries a note.

use std::time::Duration;

use crate::harness::{Browser, Launch, Request, Site};

const NOTE: &str = "Strong <b>start</b> & then <script>lost</script> the thread";
const OVERALL: &str = "Overall: <i>practise</i> the second one";

fn logged() -> Launch {
    Launch {
        network_log: true,
        ..Launch::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_friend_interviews_rates_and_the_scorecard_comes_back_intact() {
    let site = Site::start("tests/fixtures/valid");
    let candidate = Browser::launch(logged()).await;
    let interviewer = Browser::launch(logged()).await;
    let outcome = run(&site, &candidate, &interviewer).await;
    candidate.close().await;
    interviewer.close().await;
    outcome.expect("pair practice works end to end");
}

/// The path and query (and fragment) of a link the site wrote with its configured base URL.
fn on_site(link: &str) -> Result<String, String> {
    link.strip_prefix("https://drill.example")
        .map(str::to_string)
        .ok_or_else(|| format!("not a link of the site: {link}"))
}

async fn run(site: &Site, candidate: &Browser, interviewer: &Browser) -> Result<(), String> {
    // The candidate: two questions, someone else asking.
    candidate.goto(site, "/mock").await?;
    candidate
        .eval(
            "document.querySelector('#count').value = '2'; \
             document.querySelector('#minutes').value = '1'; return true",
        )
        .await;
    candidate.click("input[name=pair]").await?;
    candidate
        .click("form.mock-setup button[type=submit]")
        .await?;
    let invite = candidate.wait_for_path(|p| p.ends_with("/invite")).await?;
    let code = invite
        .trim_start_matches("/mock/")
        .trim_end_matches("/invite")
        .to_string();
    let link = candidate
        .eval("return document.querySelector('[data-interviewer-link]').href")
        .await;
    let brief = on_site(link.as_str().unwrap_or_default())?;
    if brief != format!("/mock/{code}/interviewer") {
        return Err(format!("the invite links to {brief}"));
    }

    // The interviewer, in a browser of their own.
    interviewer.goto(site, &brief).await?;
    interviewer.click("[data-interviewer-start]").await?;
    interviewer
        .wait_for_path(|p| p.ends_with("/interviewer/1"))
        .await?;
    let first_title = interviewer.text("h1.read-out").await;
    // The timer waits for Start, runs, and pauses.
    let before = interviewer.text(".timer-value").await;
    interviewer.click("[data-timer-toggle]").await?;
    tokio::time::sleep(Duration::from_millis(1300)).await;
    interviewer.click("[data-timer-toggle]").await?;
    let after = interviewer.text(".timer-value").await;
    if before != "1:00" || !after.starts_with("0:5") {
        return Err(format!("the timer read {before:?} then {after:?}"));
    }
    // Question 1 went well: 4s, its first two points (or its one), a follow-up asked if it has
    // any, a note with markup.
    for dimension in 0..3 {
        interviewer
            .click(&format!("input[name=rating-{dimension}][value='4']"))
            .await?;
    }
    let points = interviewer
        .eval("return document.querySelectorAll('input[name=point]').length")
        .await
        .as_u64()
        .unwrap_or(0);
    let ticked: Vec<String> = (0..points.min(2)).map(|p| p.to_string()).collect();
    for point in &ticked {
        interviewer
            .click(&format!("input[name=point][value='{point}']"))
            .await?;
    }
    let follow_ups = interviewer
        .eval("return document.querySelectorAll('input[name=follow-up]').length")
        .await
        .as_u64()
        .unwrap_or(0);
    if follow_ups > 0 {
        interviewer
            .click("input[name=follow-up][value='0']")
            .await?;
    }
    interviewer
        .type_into("[data-interviewer-note]", NOTE)
        .await?;
    interviewer.click("a[rel=next]").await?;
    interviewer
        .wait_for_path(|p| p.ends_with("/interviewer/2"))
        .await?;
    let second_title = interviewer.text("h1.read-out").await;
    // Question 2 went badly: 1s and 2s, nothing heard.
    for (dimension, rating) in [(0, 1), (1, 2), (2, 1)] {
        interviewer
            .click(&format!("input[name=rating-{dimension}][value='{rating}']"))
            .await?;
    }
    interviewer.click("a[rel=next]").await?;
    interviewer
        .wait_for_path(|p| p.ends_with("/interviewer/scorecard"))
        .await?;
    interviewer
        .wait_until(&format!(
            "document.querySelector('li[data-number=\"1\"] [data-summary-line]').textContent.startsWith('{} of {points} key points · rated 4, 4, 4')",
            ticked.len()
        ))
        .await?;
    interviewer
        .type_into("[data-overall-note]", OVERALL)
        .await?;
    interviewer.click("[data-make-scorecard]").await?;
    interviewer
        .wait_until("!document.querySelector('[data-scorecard-share]').hidden")
        .await?;
    let scorecard = interviewer
        .eval("return document.querySelector('[data-scorecard-link]').href")
        .await;
    let scorecard = on_site(scorecard.as_str().unwrap_or_default())?;
    let Some((path, fragment)) = scorecard.split_once('#') else {
        return Err(format!("the scorecard link has no fragment: {scorecard}"));
    };
    if path != format!("/mock/{code}/scorecard") || fragment.len() < 20 {
        return Err(format!("scorecard link {scorecard}"));
    }

    // The candidate opens it: exactly what was rated and written, markup as text.
    candidate.goto(site, &scorecard).await?;
    candidate
        .wait_until("!document.querySelector('article[data-number=\"1\"]').hidden")
        .await?;
    let one = "article[data-number='1']";
    let two = "article[data-number='2']";
    let ratings = |article: &str| {
        format!(
            "return Array.from(document.querySelectorAll(\"{article} [data-rating]\")).map(e => e.textContent)"
        )
    };
    let first_ratings = candidate.eval(&ratings(one)).await;
    let second_ratings = candidate.eval(&ratings(two)).await;
    if first_ratings
        != serde_json::json!([
            "4 of 4: Right and precise",
            "4 of 4: Mechanism and limits",
            "4 of 4: Clear and well paced"
        ])
        || second_ratings
            != serde_json::json!(["1 of 4: Wrong", "2 of 4: The basics", "1 of 4: Lost"])
    {
        return Err(format!("ratings {first_ratings} and {second_ratings}"));
    }
    if candidate.text(&format!("{one} h2 a")).await != first_title
        || candidate.text(&format!("{two} h2 a")).await != second_title
    {
        return Err("the scorecard lists other questions".into());
    }
    let note = candidate
        .eval(&format!(
            "var n = document.querySelector(\"{one} [data-question-note]\"); \
             return [n.textContent, n.children.length]"
        ))
        .await;
    if note != serde_json::json!([NOTE, 0]) {
        return Err(format!("question 1's note reads {note}"));
    }
    let overall = candidate
        .eval("var n = document.querySelector('[data-overall-note]'); return [n.textContent, n.children.length]")
        .await;
    if overall != serde_json::json!([OVERALL, 0]) {
        return Err(format!("the overall note reads {overall}"));
    }
    let heard = candidate.text(&format!("{one} [data-hit]")).await;
    let shown = candidate
        .eval(&format!(
            "return Array.from(document.querySelectorAll(\"{one} li.point-ticked\")).map(li => li.dataset.point)"
        ))
        .await;
    if heard != ticked.len().to_string() || shown != serde_json::json!(ticked) {
        return Err(format!("points heard {heard}, ticked {shown}"));
    }
    if follow_ups > 0
        && !candidate
            .holds(&format!(
                "!document.querySelector(\"{one} li[data-follow-up='0']\").hidden \
                 && document.querySelector(\"{one} [data-none-asked]\").hidden"
            ))
            .await
    {
        return Err("the follow-up asked is not shown".into());
    }
    let possible = candidate
        .eval("return document.querySelectorAll('article li[data-point]').length")
        .await;
    if candidate.text("[data-overall-points]").await
        != format!("Key points heard: {} of {possible}.", ticked.len())
    {
        return Err(format!(
            "overall: {}",
            candidate.text("[data-overall-points]").await
        ));
    }

    // A damaged link or another interview's link: a clear message, nothing broken.
    let damaged = format!("/mock/{code}/scorecard#{}", &fragment[..fragment.len() - 3]);
    candidate.goto(site, &damaged).await?;
    candidate
        .wait_until("document.querySelector('[data-scorecard-problem]').textContent.startsWith('This scorecard link is damaged or cut short')")
        .await?;
    if !candidate
        .holds("document.querySelector('[data-scorecard-overall]').hidden && document.querySelector('article[data-number=\"1\"]').hidden")
        .await
    {
        return Err("a damaged scorecard still shows ratings".into());
    }

    // Practise the weak questions: an interview of question 2 alone.
    candidate.goto(site, &scorecard).await?;
    candidate
        .wait_until("!document.querySelector('[data-practise-weak]').hidden")
        .await?;
    candidate.click("[data-practise-weak]").await?;
    let retry = candidate
        .wait_for_path(|p| p.starts_with("/mock/") && p.ends_with("/1") && !p.contains(&code))
        .await?;
    let retry_title = candidate.text("h1").await;
    if retry_title != second_title || candidate.text(".mock-count").await != "Question 1 of 1" {
        return Err(format!("{retry} asks {retry_title:?}"));
    }

    // No request from either browser carried a note or the scorecard.
    let mut requests = candidate.requests().await?;
    requests.extend(interviewer.requests().await?);
    nothing_sent(site, &requests, fragment)
}

fn nothing_sent(site: &Site, requests: &[Request], fragment: &str) -> Result<(), String> {
    if requests.is_empty() {
        return Err("the network log is empty: it was not recorded".into());
    }
    for request in requests.iter().filter(|r| r.url.starts_with("http")) {
        let body = request.post_data.as_deref().unwrap_or_default();
        let carries = ["Strong", "practise</i>", "thread"]
            .iter()
            .any(|word| request.url.contains(word) || body.contains(word))
            || request.url.contains(&fragment[..16])
            || request.url.contains('#');
        if !request.url.starts_with(&format!("{}/", site.base)) || carries {
            return Err(format!("a request that should not be: {request:?}"));
        }
    }
    Ok(())
}
