//! Pair practice over HTTP: the invite, every page of the interviewer's view of a set, the
//! scorecard page, the rubric on them and on /about, and that the candidate's pages never link
//! to the interviewer's while an interview runs.

use crate::common::{assert_in_layout, get, post_form, start_interview};

const FORM: &str = "category=basics&category=extras&difficulty=any&count=3&minutes=2";

#[actix_web::test]
async fn the_setup_form_can_send_the_candidate_to_an_invite() {
    let setup = get("/mock").await;
    assert_eq!(setup.attrs("input[name=pair]", "value"), ["1"]);
    let started = post_form(&format!("{FORM}&pair=1")).await;
    assert_eq!(started.status, 303);
    let location = started.header("location").expect("location").to_string();
    let code = location
        .strip_prefix("/mock/")
        .and_then(|rest| rest.strip_suffix("/invite"))
        .unwrap_or_else(|| panic!("sent to {location}"));
    let invite = get(&location).await;
    assert_eq!(invite.status, 200);
    assert_in_layout(&invite);
    assert_eq!(invite.attrs("meta[name=robots]", "content"), ["noindex"]);
    assert_eq!(
        invite.attr("[data-interviewer-link]", "href"),
        format!("https://drill.example/mock/{code}/interviewer")
    );
    // Without `pair`, the same settings start the candidate on question 1 as before.
    let alone = post_form(FORM).await;
    assert!(alone.header("location").is_some_and(|l| l.ends_with("/1")));
}

#[actix_web::test]
async fn every_page_of_the_interviewers_view_holds_what_they_need() {
    let code = start_interview(FORM).await;
    let brief = get(&format!("/mock/{code}/interviewer")).await;
    assert_eq!(brief.status, 200);
    assert_in_layout(&brief);
    assert_eq!(brief.attrs("meta[name=robots]", "content"), ["noindex"]);
    assert_eq!(
        brief.attr("[data-interviewer-start]", "href"),
        format!("/mock/{code}/interviewer/1")
    );
    assert_eq!(
        brief.texts(".rubric-table tbody th"),
        [
            "CorrectnessIs it right?",
            "DepthDo they know why?",
            "CommunicationCould you follow it?"
        ]
    );
    assert_eq!(
        brief.texts(".rubric-table tbody tr:first-child td").len(),
        4
    );

    for n in 1..=3 {
        let path = format!("/mock/{code}/interviewer/{n}");
        let page = get(&path).await;
        assert_eq!(page.status, 200, "{path}");
        assert_in_layout(&page);
        assert_eq!(
            page.attrs("meta[name=robots]", "content"),
            ["noindex"],
            "{path}"
        );
        // The same question the candidate gets at the same number, and its time.
        let candidate = get(&format!("/mock/{code}/{n}")).await;
        assert_eq!(page.text("h1.read-out"), candidate.text("h1"), "{path}");
        assert_eq!(page.attr(".timer", "data-seconds"), "120");
        assert_eq!(page.text(".timer-value"), "2:00");
        // Our answer, open; the key points to tick; the follow-ups with their answers.
        assert!(!page.text(".interviewer-answer .in-brief").is_empty());
        assert!(
            page.attrs("details.answer", "class").is_empty(),
            "not folded"
        );
        assert_eq!(
            page.attrs("input[name=point]", "value").len(),
            candidate.texts("details.answer .key-points li").len()
        );
        assert_eq!(
            page.texts(".follow-up-checks .follow-up-answer").len(),
            page.attrs("input[name=follow-up]", "value").len()
        );
        // The rubric, 1 to 4 on each dimension.
        assert_eq!(
            page.attrs("fieldset.rating", "data-dimension"),
            ["0", "1", "2"]
        );
        assert_eq!(
            page.attrs("fieldset.rating[data-dimension='2'] input", "value"),
            ["1", "2", "3", "4"]
        );
        assert_eq!(
            page.attr("label[for=interviewer-note]", "for"),
            "interviewer-note"
        );
        let next = page.attr("a[rel=next]", "href");
        if n < 3 {
            assert_eq!(next, format!("/mock/{code}/interviewer/{}", n + 1));
        } else {
            assert_eq!(next, format!("/mock/{code}/interviewer/scorecard"));
        }
    }
    let finish = get(&format!("/mock/{code}/interviewer/scorecard")).await;
    assert_eq!(finish.status, 200);
    assert_eq!(finish.attrs("meta[name=robots]", "content"), ["noindex"]);
    assert_eq!(
        finish.attr("[data-scorecard-maker]", "data-scorecard-base"),
        format!("https://drill.example/mock/{code}/scorecard")
    );
    assert_eq!(
        finish.attrs("[data-scorecard-summary] li", "data-number"),
        ["1", "2", "3"]
    );

    for bad in ["0", "4", "x", "-1"] {
        let page = get(&format!("/mock/{code}/interviewer/{bad}")).await;
        assert_eq!(page.status, 404, "{bad}");
        assert_in_layout(&page);
    }
    let unknown = get("/mock/not-a-code/interviewer").await;
    assert_eq!(unknown.status, 400);
}

#[actix_web::test]
async fn the_scorecard_page_holds_the_interview_and_reads_nothing_from_the_request() {
    let code = start_interview(FORM).await;
    let page = get(&format!("/mock/{code}/scorecard")).await;
    assert_eq!(page.status, 200);
    assert_in_layout(&page);
    assert_eq!(page.attrs("meta[name=robots]", "content"), ["noindex"]);
    assert_eq!(
        page.attrs("article.scorecard-question.needs-script", "data-number"),
        ["1", "2", "3"]
    );
    assert_eq!(
        page.attr("[data-scorecard]", "data-dimensions"),
        "3",
        "the rubric the fragment is read against"
    );
    assert_eq!(
        page.attrs(
            "article[data-number='1'] template[data-level]",
            "data-level"
        ),
        ["1", "2", "3", "4", "1", "2", "3", "4", "1", "2", "3", "4"]
    );
    assert!(
        page.body
            .contains("a part browsers never send to a server; this page's script reads them")
    );
    // A query string changes nothing: the scorecard is only ever in the fragment.
    let with_query = get(&format!("/mock/{code}/scorecard?notes=%3Cb%3E")).await;
    assert_eq!(with_query.body, page.body);
}

#[actix_web::test]
async fn the_candidates_pages_do_not_lead_to_the_interviewers_view() {
    let code = start_interview(FORM).await;
    for path in [
        format!("/mock/{code}/1"),
        format!("/mock/{code}/2"),
        format!("/mock/{code}/3"),
        "/mock".to_string(),
    ] {
        let page = get(&path).await;
        assert!(
            page.attrs("a", "href")
                .iter()
                .all(|href| !href.contains("interviewer")),
            "{path} links to the interviewer's view"
        );
        assert!(!page.body.contains("/interviewer"), "{path}");
    }
    // After the interview, the results offer a friend's run of the same questions.
    let results = get(&format!("/mock/{code}/results")).await;
    assert!(
        results
            .attrs("a", "href")
            .contains(&format!("/mock/{code}/invite"))
    );
}

#[actix_web::test]
async fn the_rubric_is_on_the_about_page() {
    let about = get("/about").await;
    assert_eq!(
        about
            .texts("#pair ~ .table-wrap .rubric-table tbody th, section .rubric-table tbody th")
            .len(),
        3
    );
    assert!(about.text("#pair").contains("Pair practice"));
}
