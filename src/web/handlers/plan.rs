//! `GET /plan` and `/plan/{code}`: study plans. The server keeps nothing: the form's choices
//! become a code, the code is the plan, and which question falls on which day is worked out in
//! the candidate's browser from their own marks. The form with its defaults is a page of the
//! site; a plan's page is rendered on the offload pool.

use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use actix_web::web::Path;
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use crate::plan::{self, PlanChoices, PlanCodeError, StudyPlan};
use crate::web::error::{WebError, WebResult};
use crate::web::live::State;
use crate::web::offload::Offload;
use crate::web::respond;
use crate::web::views::{Rendered, ViewError, no_such_page, plan as view, quote};

/// The form as sent. Every field is optional text so that a hand-made or partial request gets
/// the form back with a message rather than an unexplained error.
#[derive(Debug, Default, Deserialize)]
struct PlanForm {
    date: Option<String>,
    pace: Option<String>,
    minutes: Option<String>,
    questions: Option<String>,
    #[serde(default)]
    category: Vec<String>,
    known: Option<String>,
}

/// The server's date, which a plan's date is checked against (with a day's grace: the
/// candidate's own today is the script's to judge).
fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// `GET /plan`: the form; with its fields in the query, a 303 to the plan they make, or the
/// form again with a 400 saying what to change.
pub async fn setup(state: State, offload: Offload, request: HttpRequest) -> WebResult {
    let query = request.query_string().to_owned();
    if query.is_empty() {
        return respond::site_page(&state, &request, "/plan", || no_such_page("/plan"));
    }
    let made = offload
        .run(move || -> Result<Result<String, Rendered>, WebError> {
            let form: PlanForm = serde_html_form::from_str(&query).unwrap_or_default();
            let choices = PlanChoices {
                date: form.date.as_deref(),
                pace: form.pace.as_deref(),
                minutes: form.minutes.as_deref(),
                questions: form.questions.as_deref(),
                categories: &form.category,
                known: form.known.as_deref(),
            };
            Ok(
                match StudyPlan::from_choices(&state.content.bank, &choices, today()) {
                    Ok(made) => Ok(format!("/plan/{}", plan::encode(&made))),
                    Err(problem) => Err(view::render_problem(&state.content, &choices, &problem)?),
                },
            )
        })
        .await??;
    Ok(match made {
        Ok(location) => respond::see_other(&location),
        Err(form) => respond::with_status(StatusCode::BAD_REQUEST, form),
    })
}

/// `GET /plan/{code}`.
pub async fn show(state: State, offload: Offload, code: Path<String>) -> WebResult {
    let code = code.into_inner();
    offload
        .render(move || {
            let plan = plan::decode(&code).map_err(|err| match err {
                PlanCodeError::Malformed => WebError::BadPlan(format!(
                    "`{}` is not a study-plan code. Check the link, or make a new plan.",
                    quote(&code)
                )),
                err => WebError::BadPlan(format!("Sorry: {err}.")),
            })?;
            view::render(&state.content, &code, &plan, today()).map_err(|err| match err {
                ViewError::NotFound(message) => WebError::BadPlan(message),
                err => err.into(),
            })
        })
        .await
}
