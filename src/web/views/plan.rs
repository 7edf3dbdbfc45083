//! Study plans: the form (`/plan`), built once with its defaults or shown again with a problem,
//! and a plan's own page (`/plan/{code}`, per request). Which questions fall on which day depends
//! on the candidate's marks and review history, which live in their browser, so the plan page
//! lists the plan's questions for the script (static/plan.js) to lay out day by day; without
//! script it says what the plan holds.

use askama::Template;
use time::Date;

use super::{Content, Layout, Meta, Rendered, ViewError, plural};
use crate::bank::{Bank, Category, Difficulty, Question};
use crate::mock::Categories;
use crate::plan::{self, Pace, PlanChoices, StudyPlan};
use crate::web::cache::CachePolicy;
use crate::web::urls::study_path;

/// A category checkbox on the form.
struct CategoryChoice<'a> {
    category: &'a Category,
    checked: bool,
}

/// The form's values: the defaults, a plan's own (to change it), or what was sent back.
struct PlanForm<'a> {
    date: String,
    /// `minutes` or `questions`.
    pace: String,
    minutes: String,
    questions: String,
    categories: Vec<CategoryChoice<'a>>,
    known: bool,
    minutes_range: (u16, u16),
    questions_range: (u16, u16),
}

impl<'a> PlanForm<'a> {
    fn new(bank: &'a Bank, checked: impl Fn(&Category) -> bool) -> PlanForm<'a> {
        PlanForm {
            date: String::new(),
            pace: "minutes".into(),
            minutes: plan::DEFAULT_MINUTES_PER_DAY.to_string(),
            questions: plan::DEFAULT_QUESTIONS_PER_DAY.to_string(),
            categories: bank
                .categories()
                .iter()
                .map(|category| CategoryChoice {
                    category,
                    checked: checked(category),
                })
                .collect(),
            known: false,
            minutes_range: (*plan::MINUTES_PER_DAY.start(), *plan::MINUTES_PER_DAY.end()),
            questions_range: (
                *plan::QUESTIONS_PER_DAY.start(),
                *plan::QUESTIONS_PER_DAY.end(),
            ),
        }
    }

    /// The form filled in with `plan`'s choices.
    fn of(bank: &'a Bank, plan: &StudyPlan) -> PlanForm<'a> {
        let mut form = PlanForm::new(bank, |c| plan.categories.includes(&c.slug));
        form.date = plan.date.to_string();
        form.pace = plan.pace.unit().into();
        match plan.pace {
            Pace::MinutesPerDay(n) => form.minutes = n.to_string(),
            Pace::QuestionsPerDay(n) => form.questions = n.to_string(),
        }
        form.known = plan.include_known;
        form
    }

    fn is_pace(&self, unit: &str) -> bool {
        self.pace == unit
    }
}

#[derive(Template)]
#[template(path = "plan_setup.html")]
struct SetupPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    form: PlanForm<'a>,
    problem: Option<String>,
}

fn setup_meta() -> Meta {
    Meta::new(
        "Study plan to your interview date",
        "Tell it your interview date and how much time you have each day: get a day-by-day plan \
         of new questions, hardest first, with reviews brought forward so everything is fresh \
         on the day.",
        "/plan",
    )
}

/// The form with every field at its default.
pub fn render_setup(content: &Content) -> Result<Rendered, ViewError> {
    super::html(&SetupPage {
        layout: &content.layout,
        meta: setup_meta(),
        form: PlanForm::new(&content.bank, |_| true),
        problem: None,
    })
}

/// The form again, with what was `sent` and the `problem` to fix (the page of a 400).
pub fn render_problem(
    content: &Content,
    sent: &PlanChoices,
    problem: &plan::PlanChoiceError,
) -> Result<Rendered, ViewError> {
    let mut form = PlanForm::new(&content.bank, |c| sent.categories.contains(&c.slug));
    form.date = sent.date.unwrap_or_default().trim().to_string();
    form.pace = match sent.pace.map(str::trim) {
        Some("questions") => "questions".into(),
        _ => "minutes".into(),
    };
    form.minutes = sent.minutes.unwrap_or_default().to_string();
    form.questions = sent.questions.unwrap_or_default().to_string();
    form.known = sent.known.is_some_and(|k| k.trim() == "1");
    let mut problem = problem.to_string();
    if let Some(first) = problem.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    Ok(Rendered {
        cache: CachePolicy::NoStore,
        ..super::html(&SetupPage {
            layout: &content.layout,
            meta: setup_meta(),
            form,
            problem: Some(format!("{problem}.")),
        })?
    })
}

/// A question of the plan, as the page lists it for the script.
struct PlanQuestion<'a> {
    question: &'a Question,
    category: &'a Category,
    /// Its page in study mode, where the day's new questions open.
    study: String,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    code: &'a str,
    plan: &'a StudyPlan,
    date_text: String,
    pace_text: String,
    categories_text: String,
    counts_text: String,
    /// Said without script too: the date has passed everywhere.
    passed: bool,
    questions: Vec<PlanQuestion<'a>>,
    /// The plan's choices as the form's query, for the script's links to plans that would fit.
    query: String,
    form: PlanForm<'a>,
    /// The form's problem: never one here (the form is only for changing the plan).
    problem: Option<String>,
    share_url: String,
}

/// "Thursday 24 December 2026".
pub fn long_date(date: Date) -> String {
    format!(
        "{} {} {} {}",
        date.weekday(),
        date.day(),
        date.month(),
        date.year()
    )
}

/// The page of the plan `code` encodes, on the server's `today`.
pub fn render(
    content: &Content,
    code: &str,
    plan: &StudyPlan,
    today: Date,
) -> Result<Rendered, ViewError> {
    let bank = &content.bank;
    let categories: Vec<&Category> = bank
        .categories()
        .iter()
        .filter(|c| plan.categories.includes(&c.slug))
        .collect();
    let mut questions: Vec<PlanQuestion> = categories
        .iter()
        .flat_map(|&category| {
            bank.questions_in(category)
                .map(move |question| PlanQuestion {
                    question,
                    category,
                    study: study_path(question, None),
                })
        })
        .collect();
    // Hardest first, as the plan takes them (static/plan.js also takes the categories in turn).
    questions.sort_by_key(|q| match q.question.difficulty {
        Difficulty::Hard => 0,
        Difficulty::Medium => 1,
        Difficulty::Easy => 2,
    });
    if questions.is_empty() {
        return Err(ViewError::NotFound(
            "None of this plan's categories is on the site any more: make a new plan.".into(),
        ));
    }
    let by_difficulty: Vec<String> = [Difficulty::Hard, Difficulty::Medium, Difficulty::Easy]
        .into_iter()
        .filter_map(|d| {
            let n = questions
                .iter()
                .filter(|q| q.question.difficulty == d)
                .count();
            (n > 0).then(|| format!("{n} {}", d.as_str()))
        })
        .collect();
    let counts_text = format!(
        "{} question{}: {}",
        questions.len(),
        plural(questions.len()),
        by_difficulty.join(", ")
    );
    let pace_text = match plan.pace {
        Pace::MinutesPerDay(n) => format!("{n} minutes a day"),
        Pace::QuestionsPerDay(n) => format!("{n} new question{} a day", plural(usize::from(n))),
    };
    let categories_text = match &plan.categories {
        Categories::All => "every category".to_string(),
        Categories::Only(_) => categories
            .iter()
            .map(|c| c.title.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    };
    let mut query = vec![
        format!("date={}", plan.date),
        format!("pace={}", plan.pace.unit()),
        format!("{}={}", plan.pace.unit(), plan.pace.amount()),
    ];
    if let Categories::Only(_) = plan.categories {
        query.extend(categories.iter().map(|c| format!("category={}", c.slug)));
    } else {
        query.extend(
            bank.categories()
                .iter()
                .map(|c| format!("category={}", c.slug)),
        );
    }
    if plan.include_known {
        query.push("known=1".into());
    }
    let date_text = long_date(plan.date);
    let path = format!("/plan/{code}");
    super::html(&PlanPage {
        layout: &content.layout,
        meta: Meta::new(
            format!("Study plan to {date_text}"),
            format!(
                "A day-by-day study plan to an interview on {date_text}: {counts_text}, at \
                 {pace_text}."
            ),
            path.clone(),
        )
        .noindex(),
        code,
        plan,
        passed: plan.date < today.previous_day().unwrap_or(today),
        date_text,
        pace_text,
        categories_text,
        counts_text,
        questions,
        query: query.join("&"),
        form: PlanForm::of(bank, plan),
        problem: None,
        share_url: format!("{}{path}", content.layout.base_url),
    })
}
