//! What every request reads: the bank, the embedded assets and the page chrome, built once before
//! the server starts and shared read-only between workers.

use std::sync::Arc;

use super::assets::Assets;
use super::error::WebError;
use super::pages::Pages;
use super::prerender;
use crate::bank::Bank;
use crate::mock::RecentInterviews;
use crate::search::{SearchError, SearchIndex};

/// Shared, immutable application state.
#[derive(Debug)]
pub struct AppState {
    /// The loaded question bank.
    pub bank: Bank,
    /// The bank's full-text index.
    pub search: SearchIndex,
    /// Static files with their content-hashed URLs.
    pub assets: Assets,
    /// What every page's layout shows, computed once.
    pub layout: Layout,
    /// Every page that depends only on the bank, rendered and compressed.
    pub pages: Arc<Pages>,
    /// The questions of recently opened mock interviews.
    pub interviews: RecentInterviews,
}

/// The parts of every page that do not depend on the request.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Site name, from site.toml.
    pub site_title: String,
    /// One-line purpose of the site.
    pub site_description: String,
    /// Absolute public URL of the site, no trailing slash.
    pub base_url: String,
    /// URL of the stylesheet.
    pub stylesheet: String,
    /// URL of the stylesheet that hides script-only controls when script is off.
    pub noscript_stylesheet: String,
    /// URL of the script.
    pub script: String,
    /// URL of the review scheduler, which the script uses; its own file so that its tests run
    /// it under Node as it is served.
    pub srs_script: String,
    /// URL of the answer-first loop (typing, recording, comparing), which the script uses.
    pub answer_script: String,
    /// URL of pair practice's pages (the interviewer's view, the scorecard link and its reading).
    pub scorecard_script: String,
    /// URL of the favicon.
    pub icon: String,
}

/// Why the state could not be built.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// A `--base-url` that is not an absolute http(s) URL.
    #[error("the base URL must be absolute, like https://example.org, found `{0}`")]
    BaseUrl(String),
    /// The search index could not be built.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// A page could not be prerendered.
    #[error("prerendering the pages: {0}")]
    Prerender(#[from] WebError),
}

impl AppState {
    /// Builds the state; `base_url` overrides the one in site.toml.
    pub fn new(bank: Bank, base_url: Option<&str>) -> Result<AppState, StateError> {
        let base_url = match base_url {
            Some(url) => {
                let trimmed = url.trim().trim_end_matches('/');
                let absolute = ["https://", "http://"]
                    .iter()
                    .any(|scheme| trimmed.len() > scheme.len() && trimmed.starts_with(scheme));
                if !absolute || trimmed.contains(char::is_whitespace) {
                    return Err(StateError::BaseUrl(url.to_string()));
                }
                trimmed.to_string()
            }
            None => bank.site().base_url.clone(),
        };
        let search = SearchIndex::build(&bank)?;
        let assets = Assets::embedded();
        let layout = Layout {
            site_title: bank.site().title.clone(),
            site_description: bank.site().description.clone(),
            base_url,
            stylesheet: assets.url("app.css"),
            noscript_stylesheet: assets.url("noscript.css"),
            script: assets.url("app.js"),
            srs_script: assets.url("srs.js"),
            answer_script: assets.url("answer.js"),
            scorecard_script: assets.url("scorecard.js"),
            icon: assets.url("favicon.svg"),
        };
        let mut state = AppState {
            bank,
            search,
            assets,
            layout,
            pages: Arc::default(),
            interviews: RecentInterviews::default(),
        };
        state.pages = Arc::new(prerender::prerender(&state, &super::security_headers())?);
        Ok(state)
    }
}
