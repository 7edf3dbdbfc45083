//! Which pages depend only on the bank, rendered once when the state is built: home, about,
//! saved, review, every category with each difficulty filter, every tag, every question (also as
//! each step of study mode), the mock-interview form, the sitemap, robots.txt, the OpenSearch
//! description, the decks to download (all questions and each category's) and the static files.
//! Search results and interviews depend on the request and are rendered per request.

use actix_web::http::header::{HeaderName, HeaderValue};

use super::error::WebError;
use super::handlers::{
    about, assets, categories, crawlers, export, home, mock, questions, review, saved, search, tags,
};
use super::pages::{Pages, Rendered};
use super::paths::{Deck, Paths, category_filter_path, deck_path, study_path, tag_path};
use super::state::AppState;
use crate::bank::Difficulty;

/// Renders every page that depends only on `state`'s bank, under its canonical URL.
pub fn render_all(state: &AppState) -> Result<Vec<(String, Rendered)>, WebError> {
    let bank = &state.bank;
    let mut pages = vec![
        ("/".to_string(), home::render(state)?),
        ("/about".to_string(), about::render(state)?),
        ("/saved".to_string(), saved::render(state)?),
        ("/review".to_string(), review::render(state)?),
        ("/mock".to_string(), mock::render_setup(state)?),
        ("/sitemap.xml".to_string(), crawlers::render_sitemap(state)?),
        ("/robots.txt".to_string(), crawlers::render_robots(state)),
        (
            "/opensearch.xml".to_string(),
            search::render_opensearch(state)?,
        ),
    ];
    for category in bank.categories() {
        for difficulty in std::iter::once(None).chain(Difficulty::ALL.map(Some)) {
            pages.push((
                category_filter_path(category, difficulty),
                categories::render(state, category, difficulty)?,
            ));
        }
    }
    for (tag, _) in bank.tags() {
        pages.push((tag_path(tag), tags::render(state, tag)?));
    }
    for category in std::iter::once(None).chain(bank.categories().iter().map(Some)) {
        for deck in Deck::ALL {
            pages.push((
                deck_path(deck, category),
                export::render(state, deck, category)?,
            ));
        }
    }
    for question in bank.questions() {
        pages.push((question.path(), questions::render(state, question, None)?));
        for difficulty in [None, Some(question.difficulty)] {
            let study = questions::Study { difficulty };
            pages.push((
                study_path(question, difficulty),
                questions::render(state, question, Some(study))?,
            ));
        }
    }
    for name in state.assets.hashed_names() {
        pages.push((format!("/static/{name}"), assets::render(state, name)?));
    }
    Ok(pages)
}

/// Renders and compresses every page of `state` (see [`render_all`]). `shared` are the headers
/// every response carries.
pub fn prerender(
    state: &AppState,
    shared: &[(HeaderName, HeaderValue)],
) -> Result<Pages, WebError> {
    Ok(Pages::new(render_all(state)?, shared))
}
