//! Which pages the site has: the canonical URL of every bank-only page and the view that makes
//! it. Knowing a page is cheap (its URL and a few bytes); its bytes are made when first asked
//! for (see `super::cache`).

use rustc_hash::FxHashMap;

use super::super::urls::{
    Paths, asset_path, category_filter_path, deck_path, study_path, tag_path,
};
use super::super::views::card::CardOf;
use super::super::views::icon::Icon;
use super::super::views::question::Study;
use super::super::views::{
    Content, Rendered, ViewError, about, asset, card, category, crawlers, deck, feed, home, icon,
    manifest, mock_setup, offline, opensearch, plan, question, review, saved, stats, tag,
};
use crate::bank::Difficulty;
use crate::deck::Format;

/// A page's number in the catalog: the cache's key, four bytes however long its URL.
pub type PageId = u32;

/// What a page shows, as the view that renders it needs to be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageKind {
    /// `/`.
    Home,
    /// `/about`.
    About,
    /// `/saved`.
    Saved,
    /// `/review`.
    Review,
    /// `/stats`.
    Stats,
    /// `/mock`, the form.
    MockSetup,
    /// `/plan`, the study plan's form.
    PlanSetup,
    /// `/sitemap.xml`.
    Sitemap,
    /// `/robots.txt`.
    Robots,
    /// `/opensearch.xml`.
    OpenSearch,
    /// `/manifest.webmanifest`.
    Manifest,
    /// An icon of the installed site.
    Icon(Icon),
    /// `/sw.js`, the service worker.
    ServiceWorker,
    /// `/offline.json`, what can be kept offline.
    OfflineIndex,
    /// `/offline`, shown by the worker for what it has not kept.
    Offline,
    /// `/feed.xml`.
    Feed,
    /// A category (by its place in the bank) with an optional difficulty filter.
    Category(usize, Option<Difficulty>),
    /// The questions of a tag.
    Tag(Box<str>),
    /// A deck of the whole bank (`None`) or of one category, by its place in the bank.
    Deck(Format, Option<usize>),
    /// A question, by id.
    Question(u32),
    /// A question as a step of study mode, through all questions or one difficulty.
    Study(u32, Option<Difficulty>),
    /// A static file, by its hashed name.
    Asset(Box<str>),
    /// A link-preview card.
    Card(CardKind),
}

/// Which card a [`PageKind::Card`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardKind {
    /// The home page's.
    Home,
    /// A category's, by its place in the bank.
    Category(usize),
    /// A question's, by id.
    Question(u32),
}

impl PageKind {
    /// Whether making the page costs more than a few ordinary requests (drawing a card takes
    /// tens of milliseconds), so that it is made on the offload pool, never on a thread that
    /// reads requests.
    pub fn is_costly(&self) -> bool {
        matches!(self, PageKind::Card(_))
    }
}

/// Every bank-only page of a bank, by the path and query of its canonical URL.
#[derive(Debug, Default)]
pub struct Catalog {
    /// Looked up on every request for a page: Fx hashes a URL several times faster than the
    /// standard library's SipHash, and URLs are the site's own, not chosen to collide (a
    /// request's path is looked up, never inserted).
    ids: FxHashMap<Box<str>, PageId>,
    kinds: Vec<PageKind>,
}

impl Catalog {
    /// Every page of `content`: home, about, saved, review, stats, the mock-interview and
    /// study-plan forms, the sitemap, robots.txt, the OpenSearch description, the web app
    /// manifest and its icons, the service worker, the offline index and page, the feed, every category with each difficulty filter, every tag,
    /// every deck (all questions and each category's, in each format), every question (also as
    /// each step of study mode), every static file, and the link-preview cards of home, of every
    /// category and of every question.
    pub fn of(content: &Content) -> Catalog {
        let bank = &content.bank;
        let mut catalog = Catalog::default();
        catalog.add("/".into(), PageKind::Home);
        catalog.add("/about".into(), PageKind::About);
        catalog.add("/saved".into(), PageKind::Saved);
        catalog.add("/review".into(), PageKind::Review);
        catalog.add("/stats".into(), PageKind::Stats);
        catalog.add("/mock".into(), PageKind::MockSetup);
        catalog.add("/plan".into(), PageKind::PlanSetup);
        catalog.add("/sitemap.xml".into(), PageKind::Sitemap);
        catalog.add("/robots.txt".into(), PageKind::Robots);
        catalog.add("/opensearch.xml".into(), PageKind::OpenSearch);
        catalog.add("/manifest.webmanifest".into(), PageKind::Manifest);
        for icon in Icon::ALL {
            catalog.add(icon.path(), PageKind::Icon(icon));
        }
        catalog.add(offline::WORKER_PATH.into(), PageKind::ServiceWorker);
        catalog.add(offline::INDEX_PATH.into(), PageKind::OfflineIndex);
        catalog.add(offline::PAGE_PATH.into(), PageKind::Offline);
        catalog.add("/feed.xml".into(), PageKind::Feed);
        for (place, category) in bank.categories().iter().enumerate() {
            for difficulty in std::iter::once(None).chain(Difficulty::ALL.map(Some)) {
                catalog.add(
                    category_filter_path(category, difficulty),
                    PageKind::Category(place, difficulty),
                );
            }
        }
        for (name, _) in bank.tags() {
            catalog.add(tag_path(name), PageKind::Tag(name.into()));
        }
        let categories = bank.categories().iter().enumerate();
        for category in std::iter::once(None).chain(categories.map(Some)) {
            for format in Format::ALL {
                catalog.add(
                    deck_path(format, category.map(|(_, c)| c)),
                    PageKind::Deck(format, category.map(|(place, _)| place)),
                );
            }
        }
        for question in bank.questions() {
            catalog.add(question.path(), PageKind::Question(question.id));
            for difficulty in [None, Some(question.difficulty)] {
                let study = Study::at(question, difficulty);
                catalog.add(
                    study_path(question, study.difficulty),
                    PageKind::Study(question.id, study.difficulty),
                );
            }
        }
        for name in content.assets.hashed_names() {
            catalog.add(asset_path(name), PageKind::Asset(name.into()));
        }
        catalog.add(
            content.layout.home_card.path.clone(),
            PageKind::Card(CardKind::Home),
        );
        for (place, category) in bank.categories().iter().enumerate() {
            let card = CardOf::Category(category);
            catalog.add(
                card.path(&card.card(content)),
                PageKind::Card(CardKind::Category(place)),
            );
        }
        for question in bank.questions() {
            let card = CardOf::Question(question);
            catalog.add(
                card.path(&card.card(content)),
                PageKind::Card(CardKind::Question(question.id)),
            );
        }
        catalog.ids.shrink_to_fit();
        catalog.kinds.shrink_to_fit();
        catalog
    }

    fn add(&mut self, url: String, kind: PageKind) {
        let Ok(id) = PageId::try_from(self.kinds.len()) else {
            return;
        };
        if let std::collections::hash_map::Entry::Vacant(entry) = self.ids.entry(url.into()) {
            entry.insert(id);
            self.kinds.push(kind);
        }
    }

    /// The page whose canonical URL is `url` (path and query, as in the request line).
    pub fn id(&self, url: &str) -> Option<PageId> {
        self.ids.get(url).copied()
    }

    /// What the page `id` shows.
    pub fn kind(&self, id: PageId) -> Option<&PageKind> {
        self.kinds.get(usize::try_from(id).ok()?)
    }

    /// Every page's URL, in no particular order.
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        self.ids.keys().map(AsRef::as_ref)
    }

    /// Every page's URL and number, in no particular order.
    pub fn pages(&self) -> impl Iterator<Item = (&str, PageId)> {
        self.ids.iter().map(|(url, id)| (url.as_ref(), *id))
    }

    /// How many pages there are.
    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// Bytes the catalog itself holds, roughly: URLs, their map and the kinds.
    pub fn memory_bytes(&self) -> usize {
        let urls: usize = self.ids.keys().map(|url| url.len()).sum();
        let entry = size_of::<(Box<str>, PageId)>() + 1;
        urls + self.ids.capacity() * entry + self.kinds.capacity() * size_of::<PageKind>()
    }
}

/// Renders the page `kind` of `content`.
pub fn render(content: &Content, kind: &PageKind) -> Result<Rendered, ViewError> {
    let bank = &content.bank;
    let missing = || ViewError::NotFound(format!("{kind:?}"));
    match kind {
        PageKind::Home => home::render(content),
        PageKind::About => about::render(content),
        PageKind::Saved => saved::render(content),
        PageKind::Review => review::render(content),
        PageKind::Stats => stats::render(content),
        PageKind::MockSetup => mock_setup::render(content),
        PageKind::PlanSetup => plan::render_setup(content),
        PageKind::Sitemap => crawlers::sitemap(content),
        PageKind::Robots => Ok(crawlers::robots(content)),
        PageKind::OpenSearch => opensearch::render(content),
        PageKind::Manifest => manifest::render(content),
        PageKind::Icon(icon) => icon::render(content, *icon),
        PageKind::ServiceWorker => offline::worker(content),
        PageKind::OfflineIndex => offline::index(content),
        PageKind::Offline => offline::page(content),
        PageKind::Feed => feed::render(content),
        PageKind::Category(place, difficulty) => {
            let category = bank.categories().get(*place).ok_or_else(missing)?;
            category::render(content, category, *difficulty)
        }
        PageKind::Tag(name) => tag::render(content, name),
        PageKind::Deck(format, place) => {
            let category = match place {
                Some(place) => Some(bank.categories().get(*place).ok_or_else(missing)?),
                None => None,
            };
            deck::render(content, *format, category)
        }
        PageKind::Question(id) => {
            let question = bank.question(*id).ok_or_else(missing)?;
            question::render(content, question, None)
        }
        PageKind::Study(id, difficulty) => {
            let question = bank.question(*id).ok_or_else(missing)?;
            question::render(content, question, Some(Study::at(question, *difficulty)))
        }
        PageKind::Asset(name) => asset::render(content, name),
        PageKind::Card(kind) => {
            let of = match kind {
                CardKind::Home => CardOf::Home,
                CardKind::Category(place) => {
                    CardOf::Category(bank.categories().get(*place).ok_or_else(missing)?)
                }
                CardKind::Question(id) => CardOf::Question(bank.question(*id).ok_or_else(missing)?),
            };
            card::render(&of.card(content))
        }
    }
}
