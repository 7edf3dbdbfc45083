//! `GET /search`: ranked results with highlighted snippets, filters and pages; and
//! `GET /opensearch.xml`, which lets browsers add the site as a search engine.

use actix_web::HttpRequest;
use actix_web::http::header::HeaderValue;
use askama::Template;
use serde::{Deserialize, Serialize};

use crate::bank::{Category, Difficulty, Question};
use crate::search::{self, Hit, PAGE_SIZE, Request, Results};
use crate::web::error::{WebError, WebResult, quote};
use crate::web::live::State;
use crate::web::page::{self, Meta};
use crate::web::pages::Rendered;
use crate::web::params::{self, Params};
use crate::web::paths::{Paths, tag_path};
use crate::web::state::{AppState, Layout};

/// How many tags the empty search page suggests.
const POPULAR_TAGS: usize = 12;

/// Query parameters of `/search`.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    category: Option<String>,
    difficulty: Option<String>,
    page: Option<String>,
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

    fn search_href(&self, text: &str) -> String {
        href(text, None, None, None)
    }
}

/// `GET /search?q=&category=&difficulty=&page=`.
pub async fn show(state: State, params: Params<SearchParams>) -> WebResult {
    let bank = &state.bank;
    let text = params.q.as_deref().unwrap_or("").trim();
    let query = search::parse(text)
        .map_err(|err| WebError::BadRequest(format!("{}.", capitalised(&err.to_string()))))?;
    let category = match params.category.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(slug) => Some(bank.category(slug).ok_or_else(|| {
            WebError::BadRequest(format!("`category` names no category: `{}`.", quote(slug)))
        })?),
    };
    let difficulty = params::difficulty(params.difficulty.as_deref())?;
    let page = params::page(params.page.as_deref())?;
    let results = state.search.search(
        bank,
        &Request {
            query: &query,
            category: category.map(|c| c.slug.as_str()),
            difficulty,
            page,
        },
    )?;
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
    page::per_request(&SearchPage {
        layout: &state.layout,
        meta,
        text,
        categories: bank.categories(),
        category,
        difficulties: Difficulty::ALL,
        difficulty,
        results: &results,
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

/// `GET /opensearch.xml`.
pub async fn opensearch(state: State, request: HttpRequest) -> WebResult {
    page::serve(&state, &request, "/opensearch.xml", || {
        render_opensearch(&state)
    })
}

/// The OpenSearch description, which lets browsers add the site's search.
pub fn render_opensearch(state: &AppState) -> Result<Rendered, WebError> {
    let xml = OpenSearch {
        layout: &state.layout,
    }
    .render()?;
    Ok(Rendered {
        content_type: HeaderValue::from_static(
            "application/opensearchdescription+xml; charset=utf-8",
        ),
        cache_control: HeaderValue::from_static("public, max-age=86400"),
        body: page::exact_bytes(xml),
        disposition: None,
        microphone: false,
    })
}

#[derive(Template)]
#[template(path = "opensearch.xml")]
struct OpenSearch<'a> {
    layout: &'a Layout,
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
    serde_urlencoded::to_string(params).unwrap_or_default()
}

fn href(
    q: &str,
    category: Option<&str>,
    difficulty: Option<&'static str>,
    page: Option<usize>,
) -> String {
    format!("/search?{}", href_query(q, category, difficulty, page))
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
