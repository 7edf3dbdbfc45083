//! What the server holds: the content the views read, the site made from it, the search index
//! and the interviews opened lately. Built whole, in one step, before the server starts (and
//! again by `serve --watch`, which swaps the new state in whole), then shared between workers.

use std::sync::Arc;

use super::headers::security_headers;
use super::site::{DEFAULT_CACHE_BYTES, Site};
use super::views::Content;
use crate::bank::Bank;
use crate::mock::RecentInterviews;
use crate::search::{SearchError, SearchIndex};

/// Shared, immutable application state.
#[derive(Debug)]
pub struct AppState {
    /// What views read: the bank, the page chrome and the embedded files.
    pub content: Arc<Content>,
    /// Every page that depends only on the bank, made when first asked for.
    pub site: Arc<Site>,
    /// The bank's full-text index.
    pub search: SearchIndex,
    /// The questions of recently opened mock interviews.
    pub interviews: RecentInterviews,
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
}

impl AppState {
    /// Builds the state; `base_url` overrides the one in site.toml. The site keeps pages worth
    /// up to [`DEFAULT_CACHE_BYTES`].
    pub fn new(bank: Bank, base_url: Option<&str>) -> Result<AppState, StateError> {
        AppState::with_page_cache(bank, base_url, DEFAULT_CACHE_BYTES)
    }

    /// Builds the state, with a site that keeps pages worth up to `cache_bytes`.
    pub fn with_page_cache(
        bank: Bank,
        base_url: Option<&str>,
        cache_bytes: u64,
    ) -> Result<AppState, StateError> {
        let base_url = match base_url {
            Some(url) => absolute_base_url(url)?,
            None => bank.site().base_url.clone(),
        };
        let search = SearchIndex::build(&bank)?;
        let content = Arc::new(Content::new(bank, base_url));
        let site = Site::new(Arc::clone(&content), security_headers(), cache_bytes);
        Ok(AppState {
            content,
            site: Arc::new(site),
            search,
            interviews: RecentInterviews::default(),
        })
    }
}

/// `url` without a trailing slash, if it is an absolute http(s) URL.
fn absolute_base_url(url: &str) -> Result<String, StateError> {
    let trimmed = url.trim().trim_end_matches('/');
    let absolute = ["https://", "http://"]
        .iter()
        .any(|scheme| trimmed.len() > scheme.len() && trimmed.starts_with(scheme));
    if !absolute || trimmed.contains(char::is_whitespace) {
        return Err(StateError::BaseUrl(url.to_string()));
    }
    Ok(trimmed.to_string())
}
