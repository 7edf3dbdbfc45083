//! Pair practice: a friend interviews the candidate from the same link. `/mock/{code}/invite`
//! gives the candidate the link to send; `/mock/{code}/interviewer`, `…/interviewer/{n}` and
//! `…/interviewer/scorecard` are the interviewer's view of the very same interview;
//! `/mock/{code}/scorecard` is what the candidate gets back. Rendered per request (see
//! `crate::web::views::pair`) on the offload pool; the ratings and notes travel in the scorecard link's fragment,
//! which browsers never send.

use actix_web::web::Path;

use super::mock::open;
use crate::web::error::{WebError, WebResult};
use crate::web::live::State;
use crate::web::offload::Offload;
use crate::web::views::{pair as view, quote};

/// `GET /mock/{code}/invite`: the link to send to the person who will interview the candidate.
pub async fn invite(state: State, offload: Offload, code: Path<String>) -> WebResult {
    offload
        .render(move || Ok(view::invite(&state.content, &open(&state, &code)?)?))
        .await
}

/// `GET /mock/{code}/interviewer`: how to run the interview, the rubric, the questions.
pub async fn brief(state: State, offload: Offload, code: Path<String>) -> WebResult {
    offload
        .render(move || Ok(view::brief(&state.content, &open(&state, &code)?)?))
        .await
}

/// `GET /mock/{code}/interviewer/{n}`: question n as the interviewer runs it.
pub async fn question(state: State, offload: Offload, path: Path<(String, String)>) -> WebResult {
    let (code, n) = path.into_inner();
    offload
        .render(move || {
            let interview = open(&state, &code)?;
            let total = interview.questions.len();
            let asked = n
                .parse::<usize>()
                .ok()
                .and_then(|number| interview.asked_at(&state.content.bank, number))
                .ok_or_else(|| {
                    WebError::NotFound(format!(
                        "This interview has questions 1 to {total}; there is no question `{}`.",
                        quote(&n)
                    ))
                })?;
            Ok(view::question(&state.content, &interview, asked)?)
        })
        .await
}

/// `GET /mock/{code}/interviewer/scorecard`: an overall note, then the scorecard link to send.
pub async fn finish(state: State, offload: Offload, code: Path<String>) -> WebResult {
    offload
        .render(move || Ok(view::finish(&state.content, &open(&state, &code)?)?))
        .await
}

/// `GET /mock/{code}/scorecard#…`: the candidate's scorecard, filled in by the script from the
/// fragment.
pub async fn scorecard(state: State, offload: Offload, code: Path<String>) -> WebResult {
    offload
        .render(move || Ok(view::scorecard(&state.content, &open(&state, &code)?)?))
        .await
}
