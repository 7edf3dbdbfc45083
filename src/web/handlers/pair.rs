//! Pair practice: a friend interviews the candidate from the same link. `/mock/{code}/invite`
//! gives the candidate the link to send; `/mock/{code}/interviewer`, `…/interviewer/{n}` and
//! `…/interviewer/scorecard` are the interviewer's view of the very same interview (our answer,
//! the key points, the follow-ups, the rubric, a timer); `/mock/{code}/scorecard` is what the
//! candidate gets back. The ratings and notes travel in the scorecard link's fragment, which
//! browsers never send, so the server sees none of them (static/scorecard.js reads and writes
//! it).

use actix_web::web::Path;
use askama::Template;

use crate::bank::{Bank, Category, Question, Rubric};
use crate::mock::Interview;
use crate::web::error::{WebError, WebResult, quote};
use crate::web::live::State;
use crate::web::page::{self, Meta};
use crate::web::paths::Paths;
use crate::web::state::Layout;

use super::mock::{open, plural};

/// One question of the interview, numbered from 1.
struct Asked<'a> {
    number: usize,
    question: &'a Question,
    category: Option<&'a Category>,
}

/// The interview's questions in the order asked.
fn asked<'a>(bank: &'a Bank, interview: &Interview<'a>) -> Vec<Asked<'a>> {
    interview
        .questions
        .iter()
        .enumerate()
        .map(|(i, question)| Asked {
            number: i + 1,
            question,
            category: bank.category(&question.category),
        })
        .collect()
}

/// "3 questions, 5 minutes each".
fn shape(interview: &Interview) -> String {
    let total = interview.questions.len();
    let minutes = usize::from(interview.plan.minutes());
    format!(
        "{total} question{}, {minutes} minute{} each",
        plural(total),
        plural(minutes)
    )
}

/// What the pages about a whole interview show: its code, its shape, its questions in order and
/// the rubric.
struct Overview<'a> {
    code: &'a str,
    shape: String,
    questions: Vec<Asked<'a>>,
    rubric: &'a Rubric,
}

impl<'a> Overview<'a> {
    fn of(bank: &'a Bank, interview: &'a Interview<'a>) -> Overview<'a> {
        Overview {
            code: &interview.code,
            shape: shape(interview),
            questions: asked(bank, interview),
            rubric: bank.rubric(),
        }
    }
}

#[derive(Template)]
#[template(path = "pair_invite.html")]
struct InvitePage<'a> {
    layout: &'a Layout,
    meta: Meta,
    code: &'a str,
    shape: String,
    interviewer_url: String,
}

/// `GET /mock/{code}/invite`: the link to send to the person who will interview the candidate.
pub async fn invite(state: State, code: Path<String>) -> WebResult {
    let interview = open(&state, &code)?;
    page::per_request(&InvitePage {
        layout: &state.layout,
        meta: Meta::new(
            "Be interviewed by a friend",
            "Send a friend the interviewer's link to a mock interview.",
            format!("/mock/{}/invite", interview.code),
        )
        .noindex(),
        code: &interview.code,
        shape: shape(&interview),
        interviewer_url: format!(
            "{}/mock/{}/interviewer",
            state.layout.base_url, interview.code
        ),
    })
}

#[derive(Template)]
#[template(path = "interviewer_brief.html")]
struct BriefPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    view: Overview<'a>,
}

/// `GET /mock/{code}/interviewer`: how to run the interview, the rubric, the questions.
pub async fn brief(state: State, code: Path<String>) -> WebResult {
    let interview = open(&state, &code)?;
    page::per_request(&BriefPage {
        layout: &state.layout,
        meta: Meta::new(
            "Interviewer's view",
            "Run a friend's mock interview: the questions, our answers, the key points to listen \
             for, follow-ups to ask and a rubric, then send them a scorecard.",
            format!("/mock/{}/interviewer", interview.code),
        )
        .noindex(),
        view: Overview::of(&state.bank, &interview),
    })
}

#[derive(Template)]
#[template(path = "interviewer_question.html")]
struct InterviewerPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    code: &'a str,
    number: usize,
    total: usize,
    seconds: u32,
    allotted: String,
    asked: Asked<'a>,
    rubric: &'a Rubric,
    next_href: String,
    previous_href: Option<String>,
    is_last: bool,
}

/// `GET /mock/{code}/interviewer/{n}`: question n as the interviewer runs it.
pub async fn question(state: State, path: Path<(String, String)>) -> WebResult {
    let (code, n) = path.into_inner();
    let interview = open(&state, &code)?;
    let total = interview.questions.len();
    let (number, question) = n
        .parse::<usize>()
        .ok()
        .and_then(|number| Some((number, *interview.questions.get(number.checked_sub(1)?)?)))
        .ok_or_else(|| {
            WebError::NotFound(format!(
                "This interview has questions 1 to {total}; there is no question `{}`.",
                quote(&n)
            ))
        })?;
    let minutes = interview.plan.minutes();
    let code = interview.code.as_str();
    let asked = Asked {
        number,
        question,
        category: state.bank.category(&question.category),
    };
    page::per_request(&InterviewerPage {
        layout: &state.layout,
        meta: Meta::new(
            format!("Interviewer's view, question {number} of {total}"),
            format!("Question {number} of a mock interview you are running."),
            format!("/mock/{code}/interviewer/{number}"),
        )
        .noindex(),
        code,
        number,
        total,
        seconds: u32::from(minutes) * 60,
        allotted: format!("{minutes}:00"),
        asked,
        rubric: state.bank.rubric(),
        next_href: if number == total {
            format!("/mock/{code}/interviewer/scorecard")
        } else {
            format!("/mock/{code}/interviewer/{}", number + 1)
        },
        previous_href: (number > 1).then(|| format!("/mock/{code}/interviewer/{}", number - 1)),
        is_last: number == total,
    })
}

#[derive(Template)]
#[template(path = "interviewer_finish.html")]
struct FinishPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    view: Overview<'a>,
    scorecard_base: String,
}

/// `GET /mock/{code}/interviewer/scorecard`: an overall note, then the scorecard link to send.
pub async fn finish(state: State, code: Path<String>) -> WebResult {
    let interview = open(&state, &code)?;
    page::per_request(&FinishPage {
        layout: &state.layout,
        meta: Meta::new(
            "Send the scorecard",
            "The scorecard of a mock interview you ran, as a link to send to the candidate.",
            format!("/mock/{}/interviewer/scorecard", interview.code),
        )
        .noindex(),
        view: Overview::of(&state.bank, &interview),
        scorecard_base: format!(
            "{}/mock/{}/scorecard",
            state.layout.base_url, interview.code
        ),
    })
}

#[derive(Template)]
#[template(path = "scorecard.html")]
struct ScorecardPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    view: Overview<'a>,
}

/// `GET /mock/{code}/scorecard#…`: the candidate's scorecard. The page holds the interview's
/// questions, key points, follow-ups and rubric; the script fills in the ratings and notes from
/// the fragment.
pub async fn scorecard(state: State, code: Path<String>) -> WebResult {
    let interview = open(&state, &code)?;
    page::per_request(&ScorecardPage {
        layout: &state.layout,
        meta: Meta::new(
            "Your scorecard",
            "How a friend rated your mock interview.",
            format!("/mock/{}/scorecard", interview.code),
        )
        .noindex(),
        view: Overview::of(&state.bank, &interview),
    })
}
