//! Results of recent searches. People search for the same few things, and the results of a
//! search depend only on the request and the bank, which never changes under an index.

use std::sync::Arc;

use super::index::{Request, Results};
use super::query::UserQuery;
use crate::bank::Difficulty;

/// Searches whose results are kept, the most recently used first. A page of results is small
/// (docs/PERFORMANCE.md has its size), so the cache stays a small part of the index's memory.
const CACHED_SEARCHES: usize = 1024;

/// The results of the most recently used searches.
pub(super) struct RecentResults {
    cache: quick_cache::sync::Cache<CacheKey, Arc<Results>>,
}

/// A [`Request`], owned, as the cache's key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    query: UserQuery,
    category: Option<String>,
    difficulty: Option<Difficulty>,
    page: usize,
}

impl RecentResults {
    pub(super) fn new() -> RecentResults {
        RecentResults {
            cache: quick_cache::sync::Cache::new(CACHED_SEARCHES),
        }
    }

    /// The results of `request`: kept ones, or those `search` finds, then kept.
    pub(super) fn get_or_search<E>(
        &self,
        request: &Request<'_>,
        search: impl FnOnce() -> Result<Results, E>,
    ) -> Result<Arc<Results>, E> {
        let key = CacheKey {
            query: request.query.clone(),
            category: request.category.map(str::to_string),
            difficulty: request.difficulty,
            page: request.page,
        };
        if let Some(results) = self.cache.get(&key) {
            return Ok(results);
        }
        let results = Arc::new(search()?);
        self.cache.insert(key, Arc::clone(&results));
        Ok(results)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::test_bank::indexed;
    use super::super::{Request, parse};

    #[test]
    fn a_repeated_search_gets_the_kept_results() {
        let (bank, index) = indexed();
        let query = parse("decorator").expect("a query");
        let request = |page| Request {
            query: &query,
            category: None,
            difficulty: None,
            page,
        };
        let first = index.search(&bank, &request(1)).expect("search");
        let again = index.search(&bank, &request(1)).expect("search");
        assert!(
            Arc::ptr_eq(&first, &again),
            "the same results, not a new search"
        );
        let uncached = index.search_uncached(&bank, &request(1)).expect("search");
        assert_eq!(*first, uncached);

        let other_page = index.search(&bank, &request(2)).expect("search");
        assert!(
            !Arc::ptr_eq(&first, &other_page),
            "each page is its own search"
        );
        assert!(other_page.hits.is_empty());
        let narrowed = Request {
            category: Some("internals"),
            ..request(1)
        };
        let narrowed = index.search(&bank, &narrowed).expect("search");
        assert_eq!(narrowed.total, 0, "filters are part of the key");
    }
}
