//! `GET /categories/{slug}`: a category's questions in order, optionally of one difficulty.

use actix_web::web::{Data, Path};
use askama::Template;
use serde::Deserialize;

use crate::bank::{Category, Difficulty, Question};
use crate::web::error::WebResult;
use crate::web::page::{self, Meta};
use crate::web::params::{self, Params};
use crate::web::paths::Paths;
use crate::web::state::{AppState, Layout};

/// Query parameters of a category page.
#[derive(Debug, Deserialize)]
pub struct Filter {
    difficulty: Option<String>,
}

/// One of the difficulty filter links above the list.
struct FilterLink {
    label: &'static str,
    href: String,
    count: usize,
    current: bool,
}

#[derive(Template)]
#[template(path = "category.html")]
struct CategoryPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    category: &'a Category,
    filters: Vec<FilterLink>,
    difficulty: Option<Difficulty>,
    questions: Vec<&'a Question>,
}

/// `GET /categories/{slug}?difficulty=`.
pub async fn show(state: Data<AppState>, slug: Path<String>, filter: Params<Filter>) -> WebResult {
    let bank = &state.bank;
    let category = params::category(bank, &slug)?;
    let difficulty = params::difficulty(filter.difficulty.as_deref())?;
    let all: Vec<&Question> = bank.questions_in(category).collect();
    let count = |d: Option<Difficulty>| {
        all.iter()
            .filter(|q| d.is_none_or(|d| q.difficulty == d))
            .count()
    };

    let mut filters = vec![FilterLink {
        label: "All",
        href: category.path(),
        count: all.len(),
        current: difficulty.is_none(),
    }];
    filters.extend(Difficulty::ALL.into_iter().map(|d| FilterLink {
        label: d.label(),
        href: format!("{}?difficulty={}", category.path(), d.as_str()),
        count: count(Some(d)),
        current: difficulty == Some(d),
    }));

    let title = match difficulty {
        Some(d) => format!("{} questions in {}", d.label(), category.title),
        None => category.title.clone(),
    };
    let description = format!(
        "{} {} interview questions with answers.",
        category.description,
        all.len()
    );
    page::html(&CategoryPage {
        layout: &state.layout,
        meta: Meta::new(title, description, category.path()),
        category,
        filters,
        difficulty,
        questions: all
            .iter()
            .copied()
            .filter(|q| difficulty.is_none_or(|d| q.difficulty == d))
            .collect(),
    })
}
