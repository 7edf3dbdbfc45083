//! Responses rendered once: every page that depends only on the bank, with its gzip and brotli
//! bytes compressed at the best level and its strong tag, ready to send without rendering,
//! compressing or hashing anything per request.
//!
//! Brotli at its best level is slow (about a megabyte a second), so [`Pages::compress_brotli`]
//! runs after the server is listening, on one background thread; until a page's brotli bytes are
//! ready, a client that accepts gzip gets the gzip bytes. Each coding's bytes have their own tag
//! (`"…-gzip"`, `"…-br"`), so no tag ever names two different bodies.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::thread;

use actix_web::HttpResponse;
use actix_web::body::BoxBody;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, EntityTag, HeaderMap, HeaderName, HeaderValue};
use actix_web::web::Bytes;

use super::conditional::{self, Negotiated, tag_of};
use super::encoding::{self, Accepted, Coding, Level};

/// What a handler renders for one URL: the bytes and the headers that describe them.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// `Content-Type`, with its charset.
    pub content_type: HeaderValue,
    /// `Cache-Control`.
    pub cache_control: HeaderValue,
    /// The body.
    pub body: Bytes,
    /// `Content-Disposition`, for a file meant to be saved rather than shown (a deck), with the
    /// name to save it under; `None` for pages.
    pub disposition: Option<HeaderValue>,
    /// Whether the page records the candidate's answer, so its Permissions-Policy lets it ask
    /// for the microphone.
    pub microphone: bool,
}

impl Rendered {
    /// The same page, allowed to ask for the microphone (it records answers).
    pub fn recording(self) -> Rendered {
        Rendered {
            microphone: true,
            ..self
        }
    }

    /// A 200 response carrying these bytes, for the per-request path (compressed and tagged by
    /// the middleware).
    pub fn into_response(self) -> HttpResponse {
        let mut response = HttpResponse::Ok();
        response
            .content_type(self.content_type)
            .insert_header((header::CACHE_CONTROL, self.cache_control));
        if let Some(disposition) = self.disposition {
            response.insert_header((header::CONTENT_DISPOSITION, disposition));
        }
        if self.microphone {
            // The shared headers are added only where a response has none of its own.
            response.insert_header(recording_permissions());
        }
        response.body(self.body)
    }
}

/// The Permissions-Policy header of a page that records answers.
fn recording_permissions() -> (HeaderName, HeaderValue) {
    (
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static(super::RECORDING_PERMISSIONS_POLICY),
    )
}

/// One page, in each coding.
#[derive(Debug)]
pub struct Page {
    identity: Variant,
    gzip: Option<Variant>,
    brotli: OnceLock<Option<Variant>>,
    /// Headers every coding shares: type, caching, `Vary`, and the security headers.
    headers: Vec<(HeaderName, HeaderValue)>,
}

/// The bytes of one coding and their tag.
#[derive(Debug)]
struct Variant {
    body: Bytes,
    /// The quoted strong tag, as sent.
    etag: HeaderValue,
    coding: Coding,
    /// Whether these bytes are fewer than the identity bytes. A tiny file compresses to more
    /// than it is; its coding is then sent only to a client that refuses identity.
    smaller: bool,
}

impl Variant {
    /// The bytes of `identity`, whose tag is `identity_tag`, in `coding`.
    fn new(
        coding: Coding,
        body: impl Into<Bytes>,
        identity: &[u8],
        identity_tag: &EntityTag,
    ) -> Variant {
        let body = body.into();
        Variant {
            smaller: body.len() < identity.len(),
            body,
            etag: conditional::coded_tag(identity_tag, coding),
            coding,
        }
    }

    /// Whether to offer these bytes to a client that does (or does not) take identity.
    fn offered(variant: Option<&Variant>, identity_acceptable: bool) -> bool {
        variant.is_some_and(|v| v.smaller || !identity_acceptable)
    }
}

impl Page {
    /// Compresses `rendered` with gzip at the best level; brotli comes later (see the module
    /// documentation). `shared` are the headers every response of the site carries.
    fn new(rendered: &Rendered, shared: &[(HeaderName, HeaderValue)]) -> Page {
        let tag = tag_of(&rendered.body);
        let compressible = encoding::is_compressible(Some(&rendered.content_type));
        let gzip = compressible
            .then(|| encoding::compress(Coding::Gzip, Level::Best, &rendered.body))
            .filter(|gzip| !gzip.is_empty())
            .map(|gzip| Variant::new(Coding::Gzip, gzip, &rendered.body, &tag));
        let brotli = OnceLock::new();
        if !compressible {
            let _ = brotli.set(None);
        }
        let mut headers = vec![
            (header::CONTENT_TYPE, rendered.content_type.clone()),
            (header::CACHE_CONTROL, rendered.cache_control.clone()),
            (header::VARY, HeaderValue::from_static("accept-encoding")),
        ];
        if let Some(disposition) = &rendered.disposition {
            headers.push((header::CONTENT_DISPOSITION, disposition.clone()));
        }
        headers.extend_from_slice(shared);
        if rendered.microphone {
            let (name, value) = recording_permissions();
            headers.retain(|(shared, _)| *shared != name);
            headers.push((name, value));
        }
        Page {
            identity: Variant::new(Coding::Identity, rendered.body.clone(), &[], &tag),
            gzip,
            brotli,
            headers,
        }
    }

    /// Compresses the brotli bytes now, unless they are done.
    fn compress_brotli(&self) {
        self.brotli.get_or_init(|| {
            let brotli = encoding::compress(Coding::Brotli, Level::Best, &self.identity.body);
            let identity = &self.identity.body;
            (!brotli.is_empty())
                .then(|| Variant::new(Coding::Brotli, brotli, identity, &tag_of(identity)))
        });
    }

    /// The response to a GET or HEAD with these request headers: the coding the client
    /// prefers among those ready, or a 304 when `If-None-Match` names that coding's tag.
    /// `None` when the client accepts none of them.
    pub fn respond(&self, request: &HeaderMap) -> Option<HttpResponse> {
        let brotli = self.brotli.get().and_then(Option::as_ref);
        let accepted = Accepted::from_headers(request);
        let identity = accepted.identity();
        let variant = match accepted.choose(
            Variant::offered(brotli, identity),
            Variant::offered(self.gzip.as_ref(), identity),
        )? {
            Coding::Brotli => brotli?,
            Coding::Gzip => self.gzip.as_ref()?,
            Coding::Identity => &self.identity,
        };
        let mut response =
            HttpResponse::with_body(StatusCode::OK, BoxBody::new(variant.body.clone()));
        let headers = response.headers_mut();
        for (name, value) in &self.headers {
            headers.insert(name.clone(), value.clone());
        }
        headers.insert(header::ETAG, variant.etag.clone());
        if variant.coding != Coding::Identity {
            headers.insert(
                header::CONTENT_ENCODING,
                HeaderValue::from_static(variant.coding.token()),
            );
        }
        if conditional::none_match(request.get_all(header::IF_NONE_MATCH), &variant.etag) {
            response = conditional::not_modified(response.headers());
        }
        response.extensions_mut().insert(Negotiated);
        Some(response)
    }
}

/// Every prerendered page, by the path and query of its canonical URL.
#[derive(Debug, Default)]
pub struct Pages {
    by_url: HashMap<Box<str>, Arc<Page>>,
}

impl Pages {
    /// Compresses each rendered page (gzip at the best level, on every core) and keeps it under
    /// its URL.
    pub fn new(rendered: Vec<(String, Rendered)>, shared: &[(HeaderName, HeaderValue)]) -> Pages {
        let threads = thread::available_parallelism().map_or(1, usize::from);
        let chunk = rendered.len().div_ceil(threads).max(1);
        let by_url = thread::scope(|scope| {
            let workers: Vec<_> = rendered
                .chunks(chunk)
                .map(|chunk| {
                    scope.spawn(move || {
                        chunk
                            .iter()
                            .map(|(url, page)| {
                                (Box::from(url.as_str()), Arc::new(Page::new(page, shared)))
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|worker| worker.join().unwrap_or_default())
                .collect()
        });
        Pages { by_url }
    }

    /// The page whose canonical URL is `url` (path and query, as in the request line).
    pub fn get(&self, url: &str) -> Option<&Page> {
        self.by_url.get(url).map(Arc::as_ref)
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
        self.by_url
            .values()
            .map(|page| {
                page.identity.body.len()
                    + page.gzip.as_ref().map_or(0, |v| v.body.len())
                    + page
                        .brotli
                        .get()
                        .and_then(Option::as_ref)
                        .map_or(0, |v| v.body.len())
            })
            .sum()
    }

    /// Compresses every page with brotli at the best level, one after another, on this thread.
    pub fn compress_brotli(&self) {
        for page in self.by_url.values() {
            page.compress_brotli();
        }
    }

    /// Runs [`Pages::compress_brotli`] on a thread of its own, leaving the other cores to
    /// serve, and logs when it is done.
    pub fn compress_brotli_in_background(self: &Arc<Self>) {
        let pages = Arc::clone(self);
        let spawned = thread::Builder::new().name("brotli".into()).spawn(move || {
            let started = std::time::Instant::now();
            pages.compress_brotli();
            tracing::info!(
                pages = pages.len(),
                seconds = started.elapsed().as_secs_f32(),
                "brotli copies of the prerendered pages ready"
            );
        });
        if let Err(err) = spawned {
            tracing::warn!(%err, "no thread for brotli: pages are sent in gzip or as they are");
        }
    }
}
