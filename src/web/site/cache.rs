//! The pages made so far, within a budget of bytes. A page is rendered and compressed the first
//! time it is asked for and kept while there is room; when there is not, the pages asked for
//! least lately and least often make way (quick_cache's policy: a new page must be asked for
//! again before it can push out one that is asked for often), so the pages people open most stay
//! made. Two requests for the same page that is not made yet wait for one rendering.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use quick_cache::sync::GuardResult;
use quick_cache::{OptionsBuilder, Weighter};

use super::catalog::PageId;

/// What a kept page is kept by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CacheKey {
    /// A page of the catalog.
    Page(PageId),
    /// A costly page made for requests, by a digest of what it shows (a mock interview's card,
    /// by its fingerprint, which many interviews share).
    Made(u64),
}
use super::page::Page;

/// Bytes charged for a page besides its bodies: its header maps (one per coding), tags and the
/// cache's entry.
const ENTRY_BYTES: u64 = 4 * 1024;

/// A typical page's bytes in every coding, to size the cache's tables.
const TYPICAL_PAGE_BYTES: u64 = 48 * 1024;

/// Parts the cache is split into, each with its own lock and an equal share of the budget. Few,
/// so that one large page (a category's list, a deck) still fits a share.
const SHARDS: usize = 4;

/// The pages made so far, by their number in the catalog.
pub struct PageCache {
    pages: quick_cache::sync::Cache<CacheKey, Arc<Page>, ByBytes>,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// Weighs a page by the bytes it holds, its brotli bytes included before they are made.
#[derive(Debug, Clone, Copy)]
struct ByBytes;

impl Weighter<CacheKey, Arc<Page>> for ByBytes {
    fn weight(&self, _: &CacheKey, page: &Arc<Page>) -> u64 {
        ENTRY_BYTES + u64::try_from(page.most_bytes()).unwrap_or(u64::MAX)
    }
}

/// How the cache has done since it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    /// Requests for a page that was made already.
    pub hits: u64,
    /// Requests that had to make their page.
    pub misses: u64,
    /// Pages kept now.
    pub pages: usize,
    /// Bytes those pages are charged.
    pub bytes: u64,
    /// The budget.
    pub capacity: u64,
}

impl CacheStats {
    /// Hits among all requests, from 0 to 1 (0 before any request).
    pub fn hit_rate(&self) -> f64 {
        let asked = self.hits + self.misses;
        if asked == 0 {
            0.0
        } else {
            self.hits as f64 / asked as f64
        }
    }
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache")
            .field("stats", &self.stats())
            .finish()
    }
}

impl PageCache {
    /// A cache that keeps pages worth at most `capacity` bytes.
    pub fn new(capacity: u64) -> PageCache {
        let estimated = usize::try_from(capacity / TYPICAL_PAGE_BYTES)
            .unwrap_or(usize::MAX)
            .max(SHARDS);
        // Building fails only for an option left unset, and all are set; the library's own
        // sharding is the fallback all the same.
        let pages = match OptionsBuilder::new()
            .estimated_items_capacity(estimated)
            .weight_capacity(capacity)
            .shards(SHARDS)
            .build()
        {
            Ok(options) => quick_cache::sync::Cache::with_options(
                options,
                ByBytes,
                Default::default(),
                Default::default(),
            ),
            Err(_) => quick_cache::sync::Cache::with_weighter(estimated, capacity, ByBytes),
        };
        PageCache {
            pages,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The page `id`: the kept one, or the one `make` makes, then kept if there is room.
    pub fn get_or_make<E>(
        &self,
        id: CacheKey,
        make: impl FnOnce() -> Result<Page, E>,
    ) -> Result<Arc<Page>, E> {
        match self.pages.get_value_or_guard(&id, None) {
            GuardResult::Value(page) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                Ok(page)
            }
            GuardResult::Guard(guard) => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                let page = Arc::new(make()?);
                let _ = guard.insert(Arc::clone(&page));
                Ok(page)
            }
            // Only a guard with a timeout times out, and there is none.
            GuardResult::Timeout => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                make().map(Arc::new)
            }
        }
    }

    /// The page `id` if it is kept (counted as a hit), without making it.
    pub fn kept(&self, id: CacheKey) -> Option<Arc<Page>> {
        let page = self.pages.get(&id)?;
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(page)
    }

    /// How the cache has done so far.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            pages: self.pages.len(),
            bytes: self.pages.weight(),
            capacity: self.pages.capacity(),
        }
    }
}
