//! One page of the site, ready to send: its bytes in every coding compressed at the best level,
//! each with its own strong tag (`"…-gzip"`, `"…-br"`, so no tag ever names two different
//! bodies), and the headers they share. Sent as it is, without rendering, compressing or hashing
//! anything per request.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use actix_web::HttpResponse;
use actix_web::body::BoxBody;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, EntityTag, HeaderMap, HeaderName, HeaderValue};
use actix_web::web::Bytes;

use crate::web::compression::Negotiated;
use crate::web::encoding::{self, Accepted, Coding, Level};
use crate::web::etag::{self, coded_tag, tag_of};
use crate::web::headers::recording_permissions;
use crate::web::views::Rendered;

/// A header value a view gave that HTTP cannot carry (a control character, say): a bug.
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a valid header value")]
pub struct InvalidHeader(String);

fn header_value(text: &str) -> Result<HeaderValue, InvalidHeader> {
    HeaderValue::from_str(text).map_err(|_| InvalidHeader(text.to_string()))
}

/// Requests for a page in brotli, before its brotli bytes are made, after which they are: a page
/// asked for once is not worth the work.
const BROTLI_AFTER: u32 = 2;

/// One page, in each coding.
#[derive(Debug)]
pub struct Page {
    identity: Variant,
    gzip: Option<Variant>,
    brotli: OnceLock<Option<Variant>>,
    /// Requests that would have taken brotli had it been made.
    brotli_asked: AtomicU32,
    /// Whether the page waits for its brotli bytes.
    brotli_queued: AtomicBool,
    /// See [`Page::most_bytes`].
    most_bytes: usize,
    /// Headers every coding shares: type, caching, `Vary`, and the security headers (for the
    /// brotli variant, made later).
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
    /// Every header of a response with these bytes, ready to copy: one copy of a small map
    /// costs less than a dozen inserts into an empty one, each hashed and some growing it.
    headers: HeaderMap,
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
            etag: coded_tag(identity_tag, coding),
            coding,
            headers: HeaderMap::new(),
        }
    }

    /// The variant with its response's headers: `shared`, its tag and its coding.
    fn with_headers(mut self, shared: &[(HeaderName, HeaderValue)]) -> Variant {
        let mut headers = HeaderMap::with_capacity(shared.len() + 2);
        for (name, value) in shared {
            headers.insert(name.clone(), value.clone());
        }
        headers.insert(header::ETAG, self.etag.clone());
        if self.coding != Coding::Identity {
            headers.insert(
                header::CONTENT_ENCODING,
                HeaderValue::from_static(self.coding.token()),
            );
        }
        self.headers = headers;
        self
    }

    /// Whether to offer these bytes to a client that does (or does not) take identity.
    fn offered(variant: Option<&Variant>, identity_acceptable: bool) -> bool {
        variant.is_some_and(|v| v.smaller || !identity_acceptable)
    }
}

impl Page {
    /// Compresses `rendered` with gzip at the best level; brotli comes later (see
    /// `super::Site::compress_brotli`). `shared` are the headers every response of the site
    /// carries.
    pub fn new(
        rendered: &Rendered,
        shared: &[(HeaderName, HeaderValue)],
    ) -> Result<Page, InvalidHeader> {
        let content_type = header_value(&rendered.content_type)?;
        let tag = tag_of(&rendered.body);
        let compressible = encoding::is_compressible(Some(&content_type));
        let gzip = compressible
            .then(|| encoding::compress(Coding::Gzip, Level::Best, &rendered.body))
            .filter(|gzip| !gzip.is_empty())
            .map(|gzip| Variant::new(Coding::Gzip, gzip, &rendered.body, &tag));
        let brotli = OnceLock::new();
        if !compressible {
            let _ = brotli.set(None);
        }
        let mut headers = vec![
            (header::CONTENT_TYPE, content_type),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static(rendered.cache.header_value()),
            ),
            (header::VARY, HeaderValue::from_static("accept-encoding")),
        ];
        if let Some(name) = &rendered.download_name {
            let disposition = format!("attachment; filename=\"{name}\"");
            headers.push((header::CONTENT_DISPOSITION, header_value(&disposition)?));
        }
        headers.extend_from_slice(shared);
        if rendered.microphone {
            let (name, value) = recording_permissions();
            headers.retain(|(shared, _)| *shared != name);
            headers.push((name, value));
        }
        let gzip = gzip.map(|gzip| gzip.with_headers(&headers));
        let gzip_bytes = gzip.as_ref().map_or(0, |v| v.body.len());
        Ok(Page {
            most_bytes: rendered.body.len() + 2 * gzip_bytes,
            identity: Variant::new(Coding::Identity, rendered.body.clone(), &[], &tag)
                .with_headers(&headers),
            gzip,
            brotli,
            brotli_asked: AtomicU32::new(0),
            brotli_queued: AtomicBool::new(false),
            headers,
        })
    }

    /// Compresses the brotli bytes now, unless they are done.
    pub fn compress_brotli(&self) {
        self.brotli.get_or_init(|| {
            let brotli = encoding::compress(Coding::Brotli, Level::Best, &self.identity.body);
            let identity = &self.identity.body;
            (!brotli.is_empty()).then(|| {
                Variant::new(Coding::Brotli, brotli, identity, &tag_of(identity))
                    .with_headers(&self.headers)
            })
        });
    }

    /// Whether the brotli bytes should be made now, after one more request that would have
    /// taken them: `true` once, until [`Page::brotli_not_queued`] says the queue was full.
    fn brotli_due(&self) -> bool {
        let asked = self
            .brotli_asked
            .fetch_add(1, Ordering::Relaxed)
            .saturating_add(1);
        asked >= BROTLI_AFTER && !self.brotli_queued.swap(true, Ordering::Relaxed)
    }

    /// The page could not be queued for brotli: a later request offers it again.
    pub fn brotli_not_queued(&self) {
        self.brotli_queued.store(false, Ordering::Relaxed);
    }

    /// The response to a GET or HEAD with these request headers: the coding the client
    /// prefers among those ready, or a 304 when `If-None-Match` names that coding's tag.
    /// `None` when the client accepts none of them.
    pub fn respond(&self, request: &HeaderMap) -> Served {
        let brotli = self.brotli.get();
        let accepted = Accepted::from_headers(request);
        let gzip = Variant::offered(self.gzip.as_ref(), accepted.identity());
        let brotli_due = brotli.is_none()
            && accepted.choose(true, gzip) == Some(Coding::Brotli)
            && self.brotli_due();
        Served {
            response: self.respond_in(accepted, brotli.and_then(Option::as_ref), gzip, request),
            brotli_due,
        }
    }

    fn respond_in(
        &self,
        accepted: Accepted,
        brotli: Option<&Variant>,
        gzip: bool,
        request: &HeaderMap,
    ) -> Option<HttpResponse> {
        let variant = match accepted.choose(Variant::offered(brotli, accepted.identity()), gzip)? {
            Coding::Brotli => brotli?,
            Coding::Gzip => self.gzip.as_ref()?,
            Coding::Identity => &self.identity,
        };
        let mut response =
            HttpResponse::with_body(StatusCode::OK, BoxBody::new(variant.body.clone()));
        *response.headers_mut() = variant.headers.clone();
        if etag::none_match(request.get_all(header::IF_NONE_MATCH), &variant.etag) {
            response = etag::not_modified(response.headers());
        }
        response.extensions_mut().insert(Negotiated);
        Some(response)
    }
}

/// A page's response, and whether its brotli bytes are now due (see
/// `super::brotli::BrotliQueue`).
#[derive(Debug)]
pub struct Served {
    /// `None` when the client accepts none of the codings.
    pub response: Option<HttpResponse>,
    /// Whether to queue the page for brotli.
    pub brotli_due: bool,
}

impl Page {
    /// Bytes the page holds once its brotli bytes are made too, at most: brotli at its best
    /// level is smaller than gzip at its best, so the gzip size stands in for it. Fixed when
    /// the page is made, as a cache's weight of an entry must be.
    pub fn most_bytes(&self) -> usize {
        self.most_bytes
    }
}
