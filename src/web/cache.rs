//! How long browsers and shared caches may keep a response: every `Cache-Control` the site
//! sends is one of these policies, so each kind of response is cached alike wherever it is made.

/// A caching policy, named for what it is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CachePolicy {
    /// A file whose URL changes with its content (`/static/app.1a2b3.css`): kept for a year and
    /// never revalidated.
    Immutable,
    /// A page of the bank, or a redirect to one. Pages change only when the content is
    /// redeployed, so a few minutes is safe; caches may serve a stale copy for a day while they
    /// refetch.
    Page,
    /// The service worker: browsers may store it but must ask the server before each use, so a
    /// new version arrives on the next visit.
    Revalidate,
    /// The OpenSearch description, which browsers fetch once when adding the site's search.
    Daily,
    /// Nothing to keep: redirects to a random or a new interview, error pages, the form shown
    /// again with its problem, health checks.
    NoStore,
}

impl CachePolicy {
    /// The `Cache-Control` value.
    pub fn header_value(self) -> &'static str {
        match self {
            CachePolicy::Immutable => "public, max-age=31536000, immutable",
            CachePolicy::Page => "public, max-age=300, stale-while-revalidate=86400",
            CachePolicy::Revalidate => "no-cache",
            CachePolicy::Daily => "public, max-age=86400",
            CachePolicy::NoStore => "no-store",
        }
    }
}
