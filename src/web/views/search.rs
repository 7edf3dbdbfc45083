//! Search results (`/search`): ranked, with highlighted snippets, filters and pages. Per request.

use askama::Template;
use serde::Serialize;

use super::{Content, Layout, Meta, Rendered, ViewError};
use crate::bank::{Category, Difficulty, Question};
use crate::search::{Hit, PAGE_SIZE, Results};
use crate::web::urls::{Paths, tag_path};

/// How many tags the empty search page suggests.
const POPULAR_TAGS: usize = 12;

/// What was searched for, as read from the request.
#[derive(Debug)]
pub struct Asked<'a> {
    /// The text typed, trimmed.
    pub text: &'a str,
    /// Only this category's questions, when given.
    pub category: Option<&'a Category>,
    /// Only questions of this difficulty, when given.
    pub difficulty: Option<Difficulty>,
    /// Which page of results, from 1.
    pub page: usize,
}

/// The parameters a results link carries, in URL order.
#[derive(Serialize)]
struct LinkParams<'a> {
    q: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    difficulty: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<usize>,
}

/// One result, joined with its question.
struct Row<'a> {
    question: &'a Question,
    category: Option<&'a Category>,
    hit: &'a Hit,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    text: &'a str,
    categories: &'a [Category],
    category: Option<&'a Category>,
    difficulties: [Difficulty; 3],
    difficulty: Option<Difficulty>,
    results: &'a Results,
    rows: Vec<Row<'a>>,
    page: usize,
    pages: usize,
    first_rank: usize,
    previous_href: Option<String>,
    next_href: Option<String>,
    first_page_href: String,
    all_categories_href: Option<String>,
    popular_tags: Vec<(&'a str, usize)>,
}

impl SearchPage<'_> {
    fn is_category(&self, slug: &str) -> bool {
        self.category.is_some_and(|c| c.slug == slug)
    }

    fn is_difficulty(&self, difficulty: &Difficulty) -> bool {
        self.difficulty == Some(*difficulty)
    }

    /// How many results choosing `difficulty` would leave; `None` without a query.
    fn difficulty_count(&self, difficulty: &Difficulty) -> Option<usize> {
        self.results.facets.difficulty(*difficulty)
    }

    fn search_href(&self, text: &str) -> String {
        href(text, None, None, None)
    }
}

/// The page of `results` for what was `asked`.
pub fn render(content: &Content, asked: &Asked, results: &Results) -> Result<Rendered, ViewError> {
    let bank = &content.bank;
    let Asked {
        text,
        category,
        difficulty,
        page,
    } = *asked;
    let rows = results
        .hits
        .iter()
        .filter_map(|hit| {
            let question = bank.question(hit.id)?;
            Some(Row {
                question,
                category: bank.category(&question.category),
                hit,
            })
        })
        .collect();
    let pages = results.total.div_ceil(PAGE_SIZE);
    let slug = category.map(|c| c.slug.as_str());
    let level = difficulty.map(Difficulty::as_str);
    let mut popular: Vec<(&str, usize)> = bank.tags().collect();
    popular.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    popular.truncate(POPULAR_TAGS);

    let (title, description) = if text.is_empty() {
        (
            "Search".to_string(),
            "Search every interview question and answer.".to_string(),
        )
    } else {
        (
            format!("Search results for {text}"),
            format!("{} questions match {text}.", results.total),
        )
    };
    let mut meta = Meta::new(
        title,
        description,
        format!("/search?{}", href_query(text, slug, level, None)),
    )
    .noindex();
    meta.query = text.to_string();
    super::html(&SearchPage {
        layout: &content.layout,
        meta,
        text,
        categories: bank.categories(),
        category,
        difficulties: Difficulty::ALL,
        difficulty,
        results,
        rows,
        page,
        pages,
        first_rank: (page - 1).saturating_mul(PAGE_SIZE).saturating_add(1),
        previous_href: (page > 1 && page <= pages).then(|| href(text, slug, level, Some(page - 1))),
        next_href: (page < pages).then(|| href(text, slug, level, Some(page + 1))),
        first_page_href: href(text, slug, level, None),
        all_categories_href: (slug.is_some() || level.is_some())
            .then(|| href(text, None, None, None)),
        popular_tags: popular,
    })
}
fn href_query(
    q: &str,
    category: Option<&str>,
    difficulty: Option<&'static str>,
    page: Option<usize>,
) -> String {
    let params = LinkParams {
        q,
        category,
        difficulty,
        page,
    };
    serde_html_form::to_string(params).unwrap_or_default()
}

fn href(
    q: &str,
    category: Option<&str>,
    difficulty: Option<&'static str>,
    page: Option<usize>,
) -> String {
    format!("/search?{}", href_query(q, category, difficulty, page))
}
