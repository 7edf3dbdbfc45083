//! `POST /mock`, `/mock/{code}/{n}`, `/mock/{code}/results` and `/mock/{code}/retry`: the mock
//! interview. The server keeps nothing: the code in the URL says which questions are asked, and
//! the candidate's progress (time spent, points ticked, grades) stays in their browser. The setup
//! form (`GET /mock`) is a page of the site; the interview's pages are rendered on the offload
//! pool.

use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Path};
use serde::Deserialize;

use crate::mock::{Choices, CodeError, Interview, OpenError, Settings};
use crate::web::error::{WebError, WebResult};
use crate::web::live::State;
use crate::web::offload::Offload;
use crate::web::request;
use crate::web::respond;
use crate::web::state::AppState;
use crate::web::views::Rendered;
use crate::web::views::mock_setup::{self, Problem, Sent};
use crate::web::views::{mock as view, quote};

/// The setup form as sent. Every field is optional text so that a hand-made or partial request
/// gets the form back with a message rather than an unexplained error.
#[derive(Debug, Default, Deserialize)]
struct SetupForm {
    #[serde(default)]
    category: Vec<String>,
    difficulty: Option<String>,
    count: Option<String>,
    minutes: Option<String>,
    blind: Option<String>,
    pair: Option<String>,
}

/// `POST /mock`: starts an interview and sends the candidate to its first question (or, for pair
/// practice, to the link for the interviewer), or shows the form again with a 400 (as every
/// malformed request gets) saying what to change.
pub async fn start(state: State, offload: Offload, body: Bytes) -> WebResult {
    let started = offload.run(move || started(&state, &body)).await??;
    Ok(match started {
        Ok(location) => respond::see_other(&location),
        Err(form) => respond::with_status(StatusCode::BAD_REQUEST, form),
    })
}

/// Where the interview a form starts goes first, or the form again saying what to change.
fn started(state: &AppState, body: &[u8]) -> Result<Result<String, Rendered>, WebError> {
    let bank = &state.content.bank;
    let form: SetupForm = serde_html_form::from_bytes(body).unwrap_or_default();
    let sent = Sent {
        choices: Choices {
            categories: &form.category,
            difficulty: form.difficulty.as_deref(),
            count: form.count.as_deref(),
            minutes: form.minutes.as_deref(),
            blind: form.blind.as_deref(),
        },
        pair: form.pair.as_deref(),
    };
    let started = Settings::from_choices(bank, &sent.choices)
        .map_err(Problem::Choice)
        .and_then(|settings| Interview::start(bank, settings).map_err(Problem::Select));
    Ok(match started {
        Ok(interview) if sent.pair() => Ok(format!("/mock/{}/invite", interview.code)),
        Ok(interview) => Ok(format!("/mock/{}/1", interview.code)),
        Err(problem) => Err(mock_setup::render_problem(&state.content, &sent, &problem)?),
    })
}

/// `GET /mock/{code}/{n}`.
pub async fn question(state: State, offload: Offload, path: Path<(String, String)>) -> WebResult {
    let (code, n) = path.into_inner();
    offload
        .render(move || {
            let interview = open(&state, &code)?;
            let total = interview.questions.len();
            let number: usize = n.parse().map_err(|_| {
                WebError::BadRequest(format!(
                    "`{}` is not a question number: use 1 to {total}.",
                    quote(&n)
                ))
            })?;
            let asked = interview
                .asked_at(&state.content.bank, number)
                .ok_or_else(|| {
                    WebError::NotFound(format!(
                        "This interview has questions 1 to {total}; there is no question {number}."
                    ))
                })?;
            Ok(view::question(&state.content, &interview, asked)?)
        })
        .await
}

/// `GET /mock/{code}/results`.
pub async fn results(state: State, offload: Offload, code: Path<String>) -> WebResult {
    offload
        .render(move || Ok(view::results(&state.content, &open(&state, &code)?)?))
        .await
}

/// The numbers ticked on the results page.
#[derive(Debug, Deserialize)]
struct RetryChoice {
    #[serde(default)]
    q: Vec<String>,
}

/// `GET /mock/{code}/retry?q=2&q=5`: a new interview of exactly the ticked questions (the
/// results page ticks those graded missed or partial), with the same time per question.
pub async fn retry(
    state: State,
    offload: Offload,
    code: Path<String>,
    request: HttpRequest,
) -> WebResult {
    let choice: RetryChoice = request::parse_query(request.query_string())?;
    let retry = offload
        .run(move || -> Result<String, WebError> {
            let interview = open(&state, &code)?;
            let numbers = choice
                .q
                .iter()
                .map(|n| {
                    n.trim().parse::<usize>().map_err(|_| {
                        WebError::BadRequest(format!("`{}` is not a question number.", quote(n)))
                    })
                })
                .collect::<Result<Vec<usize>, WebError>>()?;
            let retry = interview
                .retry(&numbers)
                .map_err(|err| WebError::BadRequest(format!("Sorry: {err}.")))?;
            Ok(retry.code)
        })
        .await??;
    Ok(respond::see_other(&format!("/mock/{retry}/1")))
}

/// Opens an interview, turning each way a link can be wrong into the page that explains it.
pub(super) fn open<'a>(state: &'a AppState, code: &str) -> Result<Interview<'a>, WebError> {
    state
        .interviews
        .open(&state.content.bank, code)
        .map_err(|err| match err {
            OpenError::Code(CodeError::Malformed) => WebError::BadInterview(format!(
                "`{}` is not an interview code. Check the link, or start a new interview.",
                quote(code)
            )),
            OpenError::Code(err) => WebError::BadInterview(format!("Sorry: {err}.")),
            OpenError::Select(err) => {
                WebError::InterviewGone(format!("This interview can no longer be run here: {err}."))
            }
        })
}
