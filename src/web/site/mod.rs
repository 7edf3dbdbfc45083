//! The site: every page that depends only on the bank, built once by the views and kept by the
//! path and query of its canonical URL. Home, about, saved, review, every category with each
//! difficulty filter, every tag, every question (also as each step of study mode), the
//! mock-interview form, the sitemap, robots.txt, the OpenSearch description, the decks to
//! download (all questions and each category's) and the static files. It is data, built before
//! any server exists; serving a bank-only page is a lookup in it, whether the fast path
//! (`super::fast_path`) or a handler does the looking.
//!
//! Brotli at its best level is slow, so [`Site::compress_brotli`] runs after the server is
//! listening, on one background thread; until a page's brotli bytes are ready, a client that
//! accepts gzip gets the gzip bytes.

mod page;

use std::collections::HashMap;
use std::sync::Arc;
use std::thread;

use actix_web::http::header::{HeaderName, HeaderValue};

pub use page::{InvalidHeader, Page};

use super::urls::{Paths, asset_path, category_filter_path, deck_path, study_path, tag_path};
use super::views::question::Study;
use super::views::{
    self, Content, Rendered, ViewError, about, asset, category, crawlers, deck, home, mock_setup,
    opensearch, question, review, saved, tag,
};
use crate::bank::Difficulty;
use crate::deck::Format;

/// Why the site could not be built: a bug, since the bank it is built from loaded.
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
#[derive(Debug, Default)]
pub struct Site {
    by_url: HashMap<Box<str>, Arc<Page>>,
}

impl Site {
    /// Renders every page of `content` and compresses it (gzip at the best level, on every
    /// core). `shared` are the headers every response carries.
    pub fn build(
        content: &Content,
        shared: &[(HeaderName, HeaderValue)],
    ) -> Result<Site, BuildError> {
        let rendered = render_all(content)?;
        let threads = thread::available_parallelism().map_or(1, usize::from);
        let chunk = rendered.len().div_ceil(threads).max(1);
        let built: Vec<Result<Entry, BuildError>> = thread::scope(|scope| {
            let workers: Vec<_> = rendered
                .chunks(chunk)
                .map(|chunk| scope.spawn(move || compress(chunk, shared)))
                .collect();
            workers
                .into_iter()
                .flat_map(|worker| worker.join().unwrap_or_default())
                .collect()
        });
        let by_url = built.into_iter().collect::<Result<_, _>>()?;
        Ok(Site { by_url })
    }

    /// The page whose canonical URL is `url` (path and query, as in the request line).
    pub fn get(&self, url: &str) -> Option<&Page> {
        self.by_url.get(url).map(Arc::as_ref)
    }

    /// Every page's URL, in no particular order.
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        self.by_url.keys().map(AsRef::as_ref)
    }

    /// How many pages there are.
    pub fn len(&self) -> usize {
        self.by_url.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_url.is_empty()
    }

    /// Bytes held, in every coding compressed so far.
    pub fn memory_bytes(&self) -> usize {
        self.by_url.values().map(|page| page.memory_bytes()).sum()
    }

    /// Compresses every page with brotli at the best level, one after another, on this thread.
    pub fn compress_brotli(&self) {
        for page in self.by_url.values() {
            page.compress_brotli();
        }
    }

    /// Runs [`Site::compress_brotli`] on a thread of its own, leaving the other cores to
    /// serve, and logs when it is done.
    pub fn compress_brotli_in_background(self: &Arc<Self>) {
        let site = Arc::clone(self);
        let spawned = thread::Builder::new().name("brotli".into()).spawn(move || {
            let started = std::time::Instant::now();
            site.compress_brotli();
            tracing::info!(
                pages = site.len(),
                seconds = started.elapsed().as_secs_f32(),
                "brotli copies of the prerendered pages ready"
            );
        });
        if let Err(err) = spawned {
            tracing::warn!(%err, "no thread for brotli: pages are sent in gzip or as they are");
        }
    }
}

/// A page of the site under its URL.
type Entry = (Box<str>, Arc<Page>);

/// Compresses each rendered page of `chunk`.
fn compress(
    chunk: &[(String, Rendered)],
    shared: &[(HeaderName, HeaderValue)],
) -> Vec<Result<Entry, BuildError>> {
    chunk
        .iter()
        .map(|(url, page)| match Page::new(page, shared) {
            Ok(built) => Ok((Box::from(url.as_str()), Arc::new(built))),
            Err(source) => Err(BuildError::Header {
                url: url.clone(),
                source,
            }),
        })
        .collect()
}

/// Renders every bank-only page of `content`, under its canonical URL.
pub fn render_all(content: &Content) -> Result<Vec<(String, Rendered)>, BuildError> {
    let bank = &content.bank;
    let mut pages = Pages::default();
    pages.add("/".to_string(), home::render(content))?;
    pages.add("/about".to_string(), about::render(content))?;
    pages.add("/saved".to_string(), saved::render(content))?;
    pages.add("/review".to_string(), review::render(content))?;
    pages.add("/mock".to_string(), mock_setup::render(content))?;
    pages.add("/sitemap.xml".to_string(), crawlers::sitemap(content))?;
    pages.add("/robots.txt".to_string(), Ok(crawlers::robots(content)))?;
    pages.add("/opensearch.xml".to_string(), opensearch::render(content))?;
    for category in bank.categories() {
        for difficulty in std::iter::once(None).chain(Difficulty::ALL.map(Some)) {
            pages.add(
                category_filter_path(category, difficulty),
                category::render(content, category, difficulty),
            )?;
        }
    }
    for (tag, _) in bank.tags() {
        pages.add(tag_path(tag), tag::render(content, tag))?;
    }
    for category in std::iter::once(None).chain(bank.categories().iter().map(Some)) {
        for format in Format::ALL {
            pages.add(
                deck_path(format, category),
                deck::render(content, format, category),
            )?;
        }
    }
    for question in bank.questions() {
        pages.add(question.path(), question::render(content, question, None))?;
        for difficulty in [None, Some(question.difficulty)] {
            let study = Study::at(question, difficulty);
            pages.add(
                study_path(question, study.difficulty),
                question::render(content, question, Some(study)),
            )?;
        }
    }
    for name in content.assets.hashed_names() {
        pages.add(asset_path(name), asset::render(content, name))?;
    }
    Ok(pages.0)
}

/// The pages rendered so far.
#[derive(Default)]
struct Pages(Vec<(String, Rendered)>);

impl Pages {
    /// Keeps the page `view` rendered for `url`, or says which URL failed.
    fn add(
        &mut self,
        url: String,
        view: Result<Rendered, views::ViewError>,
    ) -> Result<(), BuildError> {
        match view {
            Ok(rendered) => {
                self.0.push((url, rendered));
                Ok(())
            }
            Err(source) => Err(BuildError::View { url, source }),
        }
    }
}
