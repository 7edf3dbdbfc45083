//! `/mock`, `/mock/{code}/{n}` and `/mock/{code}/results`: the mock interview. The server keeps
//! nothing: the code in the URL says which questions are asked, and the candidate's progress
//! (time spent, points ticked, grades) stays in their browser.

use actix_web::http::{StatusCode, header};
use actix_web::web::{Bytes, Path};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use askama::Template;
use serde::Deserialize;

use crate::bank::{Bank, Category, Difficulty, Question};
use crate::mock::{
    self, Categories, CategoryKey, CodeError, Interview, OpenError, SelectError, Settings,
};
use crate::web::error::{WebError, WebResult, quote};
use crate::web::live::State;
use crate::web::page::{self, Meta};
use crate::web::pages::Rendered;
use crate::web::params;
use crate::web::paths::Paths;
use crate::web::state::{AppState, Layout};

/// A category checkbox on the setup form.
struct CategoryChoice<'a> {
    category: &'a Category,
    checked: bool,
}

/// The setup form's values: the defaults, or what the candidate sent back.
struct SetupValues<'a> {
    categories: Vec<CategoryChoice<'a>>,
    difficulty: Option<Difficulty>,
    count: String,
    minutes: String,
    blind: bool,
    /// Whether someone else will run the interview (pair practice).
    pair: bool,
}

impl<'a> SetupValues<'a> {
    fn defaults(bank: &'a Bank) -> SetupValues<'a> {
        SetupValues {
            categories: bank
                .categories()
                .iter()
                .map(|category| CategoryChoice {
                    category,
                    checked: true,
                })
                .collect(),
            difficulty: None,
            count: mock::DEFAULT_QUESTIONS.to_string(),
            minutes: mock::DEFAULT_MINUTES.to_string(),
            blind: false,
            pair: false,
        }
    }

    /// Whether this difficulty is the chosen one (for the radio buttons).
    fn is_difficulty(&self, difficulty: &Difficulty) -> bool {
        self.difficulty == Some(*difficulty)
    }
}

#[derive(Template)]
#[template(path = "mock_setup.html")]
struct SetupPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    values: SetupValues<'a>,
    problem: Option<String>,
    difficulties: [Difficulty; 3],
    questions_range: (u8, u8),
    minutes_range: (u8, u8),
}

impl<'a> SetupPage<'a> {
    fn new(layout: &'a Layout, values: SetupValues<'a>, problem: Option<String>) -> Self {
        SetupPage {
            layout,
            meta: Meta::new(
                "Mock interview",
                "Rehearse under time pressure: pick topics and a pace, answer one question per \
                 page against a timer, then grade yourself against the key points.",
                "/mock",
            ),
            values,
            problem,
            difficulties: Difficulty::ALL,
            questions_range: (*mock::QUESTIONS.start(), *mock::QUESTIONS.end()),
            minutes_range: (*mock::MINUTES.start(), *mock::MINUTES.end()),
        }
    }
}

/// `GET /mock`: the setup form, everything at its default.
pub async fn setup(state: State, request: HttpRequest) -> WebResult {
    page::serve(&state, &request, "/mock", || render_setup(&state))
}

/// The setup form with every field at its default.
pub fn render_setup(state: &AppState) -> Result<Rendered, WebError> {
    let values = SetupValues::defaults(&state.bank);
    page::html(&SetupPage::new(&state.layout, values, None))
}

/// The setup form as sent. Every field is optional text so that a hand-made or partial request
/// gets the form back with a message rather than an unexplained error.
#[derive(Debug, Deserialize)]
struct SetupForm {
    #[serde(default)]
    category: Vec<String>,
    difficulty: Option<String>,
    count: Option<String>,
    minutes: Option<String>,
    blind: Option<String>,
    pair: Option<String>,
}

/// `POST /mock`: starts an interview and sends the candidate to its first question, or shows the
/// form again with a 400 (as every malformed request gets) saying what to change.
pub async fn start(state: State, body: Bytes) -> WebResult {
    let bank = &state.bank;
    let form: SetupForm = serde_html_form::from_bytes(&body).unwrap_or(SetupForm {
        category: Vec::new(),
        difficulty: None,
        count: None,
        minutes: None,
        blind: None,
        pair: None,
    });
    let values = SetupValues {
        categories: bank
            .categories()
            .iter()
            .map(|category| CategoryChoice {
                category,
                checked: form.category.contains(&category.slug),
            })
            .collect(),
        difficulty: form.difficulty.as_deref().and_then(|d| d.parse().ok()),
        count: form.count.clone().unwrap_or_default(),
        minutes: form.minutes.clone().unwrap_or_default(),
        blind: form.blind.as_deref().is_some_and(|b| b.trim() == "1"),
        pair: form.pair.as_deref().is_some_and(|p| p.trim() == "1"),
    };
    let outcome = settings_from(bank, &form).and_then(|settings| {
        Interview::start(bank, settings).map_err(|err| match err {
            SelectError::TooFew { .. } => format!("Not enough questions: {err}."),
            SelectError::NoCategories => "Choose at least one category.".to_string(),
            SelectError::Gone(_) => format!("Sorry: {err}."),
        })
    });
    match outcome {
        Ok(interview) => Ok(HttpResponse::SeeOther()
            .insert_header((
                header::LOCATION,
                if values.pair {
                    format!("/mock/{}/invite", interview.code)
                } else {
                    format!("/mock/{}/1", interview.code)
                },
            ))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish()),
        Err(problem) => {
            let page = SetupPage::new(&state.layout, values, Some(problem));
            let mut response = HttpResponseBuilder::new(StatusCode::BAD_REQUEST);
            Ok(response
                .content_type(page::HTML)
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .body(page.render()?))
        }
    }
}

/// Reads the form into settings, or says in a sentence what is wrong.
fn settings_from(bank: &Bank, form: &SetupForm) -> Result<Settings, String> {
    if form.category.is_empty() {
        return Err("Choose at least one category.".to_string());
    }
    let mut keys = std::collections::BTreeSet::new();
    for slug in &form.category {
        if bank.category(slug).is_none() {
            return Err(format!("There is no category `{}`.", quote(slug)));
        }
        keys.insert(CategoryKey::of(slug));
    }
    let categories = if bank
        .categories()
        .iter()
        .all(|c| keys.contains(&CategoryKey::of(&c.slug)))
    {
        Categories::All
    } else {
        Categories::Only(keys)
    };
    let difficulty = match form.difficulty.as_deref().map(str::trim) {
        None | Some("") | Some("any") => None,
        Some(value) => Some(value.parse::<Difficulty>().map_err(|_| {
            format!(
                "Difficulty must be any, easy, medium or hard, found `{}`.",
                quote(value)
            )
        })?),
    };
    let number = |value: &Option<String>, range: &std::ops::RangeInclusive<u8>, what: &str| {
        let text = value.as_deref().unwrap_or("").trim();
        text.parse::<u8>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| {
                format!(
                    "The {what} must be a whole number from {} to {}, found `{}`.",
                    range.start(),
                    range.end(),
                    quote(text)
                )
            })
    };
    let blind = match form.blind.as_deref().map(str::trim) {
        None | Some("") => false,
        Some("1") => true,
        Some(value) => {
            return Err(format!(
                "`blind` is 1 (hide difficulty and category) or left out, found `{}`.",
                quote(value)
            ));
        }
    };
    Ok(Settings {
        categories,
        difficulty,
        count: number(&form.count, &mock::QUESTIONS, "number of questions")?,
        minutes: number(&form.minutes, &mock::MINUTES, "minutes per question")?,
        blind,
    })
}

#[derive(Template)]
#[template(path = "mock_question.html")]
struct QuestionPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    code: &'a str,
    number: usize,
    total: usize,
    seconds: u32,
    allotted: String,
    question: &'a Question,
    category: Option<&'a Category>,
    /// Difficulty and category hidden, as in a real interview.
    blind: bool,
    next_href: String,
    is_last: bool,
}

/// `GET /mock/{code}/{n}`.
pub async fn question(state: State, path: Path<(String, String)>) -> WebResult {
    let (code, n) = path.into_inner();
    let interview = open(&state, &code)?;
    let total = interview.questions.len();
    let number: usize = n.parse().map_err(|_| {
        WebError::BadRequest(format!(
            "`{}` is not a question number: use 1 to {total}.",
            quote(&n)
        ))
    })?;
    let question = number
        .checked_sub(1)
        .and_then(|i| interview.questions.get(i))
        .ok_or_else(|| {
            WebError::NotFound(format!(
                "This interview has questions 1 to {total}; there is no question {number}."
            ))
        })?;
    let minutes = interview.plan.minutes();
    let is_last = number == total;
    let path = format!("/mock/{code}/{number}");
    page::html(&QuestionPage {
        layout: &state.layout,
        meta: Meta::new(
            format!("Mock interview, question {number} of {total}"),
            format!(
                "A timed mock interview of {total} question{}, {minutes} minute{} each.",
                plural(total),
                plural(usize::from(minutes))
            ),
            path,
        )
        .noindex(),
        code: &interview.code,
        number,
        total,
        seconds: u32::from(minutes) * 60,
        allotted: format!("{minutes}:00"),
        question,
        category: state.bank.category(&question.category),
        blind: interview.plan.blind(),
        next_href: if is_last {
            format!("/mock/{code}/results")
        } else {
            format!("/mock/{code}/{}", number + 1)
        },
        is_last,
    })
    .map(|page| page.recording().into_response())
}

/// One row of the results table.
struct ResultRow<'a> {
    number: usize,
    question: &'a Question,
    category: Option<&'a Category>,
}

/// The rows of one category, with the key points they have between them, so the page can show a
/// score per category.
struct ResultGroup<'a> {
    category: Option<&'a Category>,
    rows: Vec<ResultRow<'a>>,
    points: usize,
}

#[derive(Template)]
#[template(path = "mock_results.html")]
struct ResultsPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    code: &'a str,
    groups: Vec<ResultGroup<'a>>,
    /// Every question in the order asked, for the candidate's answers.
    answers: Vec<ResultRow<'a>>,
    total: usize,
    minutes: u8,
    share_url: String,
}

/// `GET /mock/{code}/results`.
pub async fn results(state: State, code: Path<String>) -> WebResult {
    let interview = open(&state, &code)?;
    let total = interview.questions.len();
    let groups = result_groups(&state.bank, &interview.questions);
    let answers = result_rows(&state.bank, &interview.questions).collect();
    page::per_request(&ResultsPage {
        layout: &state.layout,
        meta: Meta::new(
            "Mock interview results",
            format!(
                "How a mock interview of {total} question{} went.",
                plural(total)
            ),
            format!("/mock/{}/results", interview.code),
        )
        .noindex(),
        code: &interview.code,
        groups,
        answers,
        total,
        minutes: interview.plan.minutes(),
        share_url: format!("{}/mock/{}/1", state.layout.base_url, interview.code),
    })
}

/// The interview's questions by category, in the site's order of categories, each in the order
/// asked.
fn result_groups<'a>(bank: &'a Bank, questions: &[&'a Question]) -> Vec<ResultGroup<'a>> {
    let mut groups: Vec<ResultGroup<'a>> = Vec::new();
    for row in result_rows(bank, questions) {
        let question = row.question;
        let points = question.answer.key_points.len();
        match groups
            .iter_mut()
            .find(|g| g.category.map(|c| c.slug.as_str()) == Some(question.category.as_str()))
        {
            Some(group) => {
                group.rows.push(row);
                group.points += points;
            }
            None => groups.push(ResultGroup {
                category: row.category,
                rows: vec![row],
                points,
            }),
        }
    }
    // A question whose category is gone (it cannot be, in one bank) would be listed last.
    groups.sort_by_key(|group| {
        group
            .category
            .and_then(|c| bank.categories().iter().position(|b| b.slug == c.slug))
            .unwrap_or(usize::MAX)
    });
    groups
}

/// The interview's questions in the order asked, numbered from 1.
fn result_rows<'a>(
    bank: &'a Bank,
    questions: &[&'a Question],
) -> impl Iterator<Item = ResultRow<'a>> {
    questions.iter().enumerate().map(|(i, question)| ResultRow {
        number: i + 1,
        question,
        category: bank.category(&question.category),
    })
}

/// The numbers ticked on the results page.
#[derive(Debug, Deserialize)]
struct RetryChoice {
    #[serde(default)]
    q: Vec<String>,
}

/// `GET /mock/{code}/retry?q=2&q=5`: a new interview of exactly the ticked questions (the
/// results page ticks those graded missed or partial), with the same time per question.
pub async fn retry(state: State, code: Path<String>, request: HttpRequest) -> WebResult {
    let interview = open(&state, &code)?;
    let choice: RetryChoice = params::parse_repeated_query(request.query_string())?;
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
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/mock/{}/1", retry.code)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish())
}

/// Opens an interview, turning each way a link can be wrong into the page that explains it.
pub(super) fn open<'a>(state: &'a AppState, code: &str) -> Result<Interview<'a>, WebError> {
    state
        .interviews
        .open(&state.bank, code)
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

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
