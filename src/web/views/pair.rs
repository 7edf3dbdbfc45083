//! Pair practice: a friend interviews the candidate from the same link. The invite gives the
//! candidate the link to send; the interviewer's brief, question pages and finish page are the
//! interviewer's view of the very same interview (our answer, the key points, the follow-ups, the
//! rubric, a timer); the scorecard is what the candidate gets back. The ratings and notes travel
//! in the scorecard link's fragment, which browsers never send, so the server sees none of them
//! (static/scorecard.js reads and writes it).

use askama::Template;

use super::{Content, Countdown, Layout, Meta, Rendered, ViewError, card, plural};
use crate::bank::Rubric;
use crate::mock::{Asked, Interview};
use crate::web::urls::Paths;

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
    fn of(content: &'a Content, interview: &'a Interview<'a>) -> Overview<'a> {
        Overview {
            code: &interview.code,
            shape: shape(interview),
            questions: interview.asked(&content.bank),
            rubric: content.bank.rubric(),
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

/// The link to send to the person who will interview the candidate.
pub fn invite(content: &Content, interview: &Interview) -> Result<Rendered, ViewError> {
    super::html(&InvitePage {
        layout: &content.layout,
        meta: Meta::new(
            "Be interviewed by a friend",
            "Send a friend the interviewer's link to a mock interview.",
            format!("/mock/{}/invite", interview.code),
        )
        .noindex()
        .with_card(card::mock_link(content, interview)),
        code: &interview.code,
        shape: shape(interview),
        interviewer_url: format!(
            "{}/mock/{}/interviewer",
            content.layout.base_url, interview.code
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

/// How to run the interview, the rubric, the questions.
pub fn brief<'a>(
    content: &'a Content,
    interview: &'a Interview<'a>,
) -> Result<Rendered, ViewError> {
    super::html(&BriefPage {
        layout: &content.layout,
        meta: Meta::new(
            "Interviewer's view",
            "Run a friend's mock interview: the questions, our answers, the key points to listen \
             for, follow-ups to ask and a rubric, then send them a scorecard.",
            format!("/mock/{}/interviewer", interview.code),
        )
        .noindex()
        .with_card(card::mock_link(content, interview)),
        view: Overview::of(content, interview),
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
    countdown: Countdown,
    asked: Asked<'a>,
    rubric: &'a Rubric,
    next_href: String,
    previous_href: Option<String>,
    is_last: bool,
}

/// Question `asked` as the interviewer runs it.
pub fn question(
    content: &Content,
    interview: &Interview,
    asked: Asked,
) -> Result<Rendered, ViewError> {
    let total = interview.questions.len();
    let number = asked.number;
    let minutes = interview.plan.minutes();
    let code = interview.code.as_str();
    super::html(&InterviewerPage {
        layout: &content.layout,
        meta: Meta::new(
            format!("Interviewer's view, question {number} of {total}"),
            format!("Question {number} of a mock interview you are running."),
            format!("/mock/{code}/interviewer/{number}"),
        )
        .noindex()
        .with_card(card::mock_link(content, interview)),
        code,
        number,
        total,
        countdown: Countdown::of(minutes),
        asked,
        rubric: content.bank.rubric(),
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

/// An overall note, then the scorecard link to send.
pub fn finish<'a>(
    content: &'a Content,
    interview: &'a Interview<'a>,
) -> Result<Rendered, ViewError> {
    super::html(&FinishPage {
        layout: &content.layout,
        meta: Meta::new(
            "Send the scorecard",
            "The scorecard of a mock interview you ran, as a link to send to the candidate.",
            format!("/mock/{}/interviewer/scorecard", interview.code),
        )
        .noindex()
        .with_card(card::mock_link(content, interview)),
        view: Overview::of(content, interview),
        scorecard_base: format!(
            "{}/mock/{}/scorecard",
            content.layout.base_url, interview.code
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

/// The candidate's scorecard. The page holds the interview's questions, key points, follow-ups
/// and rubric; the script fills in the ratings and notes from the fragment.
pub fn scorecard<'a>(
    content: &'a Content,
    interview: &'a Interview<'a>,
) -> Result<Rendered, ViewError> {
    super::html(&ScorecardPage {
        layout: &content.layout,
        meta: Meta::new(
            "Your scorecard",
            "How a friend rated your mock interview.",
            format!("/mock/{}/scorecard", interview.code),
        )
        .noindex()
        .with_card(card::mock_link(content, interview)),
        view: Overview::of(content, interview),
    })
}
