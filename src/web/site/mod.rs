//! The site: every page that depends only on the bank, made by the views when first asked for
//! and kept, within a budget of bytes, by the path and query of its canonical URL. Home, about,
//! saved, review, every category with each difficulty filter, every tag, every question (also as
//! each step of study mode), the mock-interview form, the sitemap, robots.txt, the OpenSearch
//! description, the feed, the decks to download (all questions and each category's), the static
//! files and the link-preview cards of home, every category and every question. Serving a
//! bank-only page is a lookup in it, whether the fast path (`super::fast_path`) or a handler does
//! the looking; a page costly to make (a card) is made by its handler on the offload pool, and
//! kept for the fast path after. Costly pages made for requests (a mock interview's card) are
//! kept in the same budget by a digest of what they show.
//!
//! Knowing which pages there are ([`Catalog`]) takes a few bytes a page, so start-up and memory
//! grow gently with the bank; a page's bytes are made when it is first asked for, in gzip at the
//! best level, and in brotli by a background thread once it is asked for in brotli again (see
//! `brotli`). The tags come from the bytes, so every replica sends the same tag for a page
//! whatever it has kept.

mod brotli;
mod cache;
mod catalog;
mod page;

use std::sync::Arc;

use actix_web::HttpResponse;
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};

pub use cache::CacheStats;
pub use catalog::{Catalog, PageId, PageKind};
pub use page::{InvalidHeader, Page};

use self::brotli::BrotliQueue;
use self::cache::{CacheKey, PageCache};
use super::views::{Content, Rendered, ViewError};

/// The budget of the kept pages when none is given: room for every page of a bank of a few
/// hundred questions in every coding, and for the most visited pages of a larger one.
pub const DEFAULT_CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a page of the site could not be made: a bug, since the bank it is made from loaded.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A view failed.
    #[error("{url}: {source}")]
    View {
        /// The page's URL.
        url: String,
        /// What failed.
        source: ViewError,
    },
    /// A view gave a header that HTTP cannot carry.
    #[error("{url}: {source}")]
    Header {
        /// The page's URL.
        url: String,
        /// What was wrong.
        source: InvalidHeader,
    },
}

/// Every bank-only page, by the path and query of its canonical URL.
#[derive(Debug)]
pub struct Site {
    content: Arc<Content>,
    catalog: Catalog,
    cache: PageCache,
    brotli: BrotliQueue,
    /// Headers every response carries.
    shared: Vec<(HeaderName, HeaderValue)>,
}

impl Site {
    /// The site of `content`, keeping pages worth at most `cache_bytes`. `shared` are the
    /// headers every response carries. Nothing is rendered yet.
    pub fn new(
        content: Arc<Content>,
        shared: Vec<(HeaderName, HeaderValue)>,
        cache_bytes: u64,
    ) -> Site {
        Site {
            catalog: Catalog::of(&content),
            content,
            cache: PageCache::new(cache_bytes),
            brotli: BrotliQueue::default(),
            shared,
        }
    }

    /// The page whose canonical URL is `url` (path and query, as in the request line), made now
    /// unless it is kept; `None` when the site has no such page.
    pub fn get(&self, url: &str) -> Option<Result<Arc<Page>, BuildError>> {
        let id = self.catalog.id(url)?;
        Some(self.page(id, url))
    }

    fn page(&self, id: PageId, url: &str) -> Result<Arc<Page>, BuildError> {
        self.made_by(CacheKey::Page(id), url, || {
            let kind = self
                .catalog
                .kind(id)
                .ok_or_else(|| ViewError::NotFound(url.to_string()))?;
            catalog::render(&self.content, kind)
        })
    }

    /// The page kept by `key`, made by `make` now unless it is kept.
    fn made_by(
        &self,
        key: CacheKey,
        url: &str,
        make: impl FnOnce() -> Result<Rendered, ViewError>,
    ) -> Result<Arc<Page>, BuildError> {
        self.cache.get_or_make(key, || {
            let rendered = make().map_err(|source| BuildError::View {
                url: url.to_string(),
                source,
            })?;
            Page::new(&rendered, &self.shared).map_err(|source| BuildError::Header {
                url: url.to_string(),
                source,
            })
        })
    }

    /// The response to a GET or HEAD of the page at `url` with these request headers (see
    /// [`Page::respond`]), whose inner `None` means the client accepts none of its codings.
    /// `None` when the site has no such page.
    pub fn respond(
        &self,
        url: &str,
        request: &HeaderMap,
    ) -> Option<Result<Option<HttpResponse>, BuildError>> {
        let id = self.catalog.id(url)?;
        Some(self.page(id, url).map(|page| self.serve(&page, request)))
    }

    /// As [`Site::respond`], for a thread that reads requests: `None` also when the page is
    /// costly to make (see [`PageKind::is_costly`]) and not made yet, for a handler to make it
    /// on the offload pool.
    pub fn respond_cheaply(
        &self,
        url: &str,
        request: &HeaderMap,
    ) -> Option<Result<Option<HttpResponse>, BuildError>> {
        let id = self.catalog.id(url)?;
        let page = if self.catalog.kind(id).is_some_and(PageKind::is_costly) {
            self.cache.kept(CacheKey::Page(id))?
        } else {
            match self.page(id, url) {
                Ok(page) => page,
                Err(err) => return Some(Err(err)),
            }
        };
        Some(Ok(self.serve(&page, request)))
    }

    /// A page made for requests rather than named by the catalog (a mock interview's card),
    /// kept by `key`, a digest of everything it shows: made by `make` now unless it is kept.
    pub fn made(
        &self,
        key: u64,
        url: &str,
        make: impl FnOnce() -> Result<Rendered, ViewError>,
    ) -> Result<Arc<Page>, BuildError> {
        self.made_by(CacheKey::Made(key), url, make)
    }

    /// The response to a GET or HEAD of `page` with these request headers; `None` when the
    /// client accepts none of its codings. Queues the page for brotli when that is due.
    pub fn serve(&self, page: &Arc<Page>, request: &HeaderMap) -> Option<HttpResponse> {
        let served = page.respond(request);
        if served.brotli_due && !self.brotli.offer(page) {
            page.brotli_not_queued();
        }
        served.response
    }

    /// Makes every page now, brotli included, on this thread: what the background work does for
    /// the pages asked for often, done for all (those beyond the cache's room are made and
    /// dropped). For tests, and for checking that every page of a bank renders.
    pub fn make_every_page(&self) -> Result<(), BuildError> {
        for (url, id) in self.catalog.pages() {
            self.page(id, url)?.compress_brotli();
        }
        Ok(())
    }

    /// Which pages there are.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Every page's URL, in no particular order.
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        self.catalog.urls()
    }

    /// How many pages there are.
    pub fn len(&self) -> usize {
        self.catalog.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.catalog.is_empty()
    }

    /// How the kept pages have done so far.
    pub fn cache_stats(&self) -> CacheStats {
        self.cache.stats()
    }
}
