//! Validators, conditional requests and compression for responses rendered per request (search
//! results, interviews, error pages): every cacheable 200 carries a strong `ETag`, a request
//! whose `If-None-Match` names it gets a 304 with no body, and the body is compressed at the fast
//! level in the coding the client prefers.
//!
//! The tag is the hash of the body as rendered; a gzip or brotli body is a different sequence of
//! bytes, so its strong tag gets the coding as a suffix (`"…-br"`), and `If-None-Match` is
//! compared with the tag of the very coding this request would get, so a cache is never told
//! that a brotli copy is fine for a client that asked for gzip. A body that becomes a 304 is
//! never compressed. Every response with a body says `Vary: Accept-Encoding`, so a shared cache
//! keeps the codings apart.
//!
//! Prerendered pages ([`super::pages`]) arrive negotiated, tagged and compressed, marked
//! [`Negotiated`], and pass through untouched.

use actix_web::HttpResponse;
use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, EntityTag, HeaderMap, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;

use super::encoding::{self, Accepted, Coding, Level};

/// Largest body read into memory to tag and compress; every page is far smaller.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Marks a response whose coding, tag and conditional answer are already final.
#[derive(Debug, Clone, Copy)]
pub struct Negotiated;

/// Tags, answers `If-None-Match`, and compresses a response rendered per request.
pub async fn encode(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let accepted = Accepted::from_headers(req.headers());
    let if_none_match: Vec<HeaderValue> = req
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .cloned()
        .collect();
    let res = next.call(req).await?;
    if res.response().extensions().contains::<Negotiated>() {
        return Ok(res.map_into_boxed_body());
    }
    let compressible = encoding::is_compressible(res.headers().get(header::CONTENT_TYPE));
    let cacheable = is_cacheable(&res);
    let (req, res) = res.into_parts();
    let (mut res, body) = res.into_parts();
    if res.headers().contains_key(header::CONTENT_TYPE) {
        res.headers_mut()
            .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if !compressible && !cacheable && accepted.identity() {
        return Ok(ServiceResponse::new(req, res.set_body(body.boxed())));
    }
    let bytes = match body::to_bytes_limited(body, MAX_BODY).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(err)) => return Err(actix_web::error::ErrorInternalServerError(err.into())),
        Err(_too_large) => {
            return Err(actix_web::error::ErrorInternalServerError(
                "response body too large to tag",
            ));
        }
    };
    let worth_compressing = compressible
        && !bytes.is_empty()
        && (bytes.len() >= encoding::MIN_COMPRESSED_BYTES || !accepted.identity());
    let brotli = worth_compressing && !accepted.gzip();
    let Some(coding) = accepted.choose(brotli, worth_compressing) else {
        let refused = HttpResponse::NotAcceptable().finish();
        return Ok(ServiceResponse::new(req, refused));
    };
    let tag = cacheable.then(|| coded_tag(&tag_of(&bytes), coding));
    if let Some(tag) = &tag {
        res.headers_mut().insert(header::ETAG, tag.clone());
        if cacheable && none_match(if_none_match.iter(), tag) {
            return Ok(ServiceResponse::new(req, not_modified(res.headers())));
        }
    }
    if coding == Coding::Identity {
        return Ok(ServiceResponse::new(req, res.set_body(bytes.boxed())));
    }
    let compressed = encoding::compress(coding, Level::Fast, &bytes);
    if compressed.is_empty() {
        // Compression failed: the bytes go as they are, without the tag meant for the coding.
        res.headers_mut().remove(header::ETAG);
        return Ok(ServiceResponse::new(req, res.set_body(bytes.boxed())));
    }
    res.headers_mut().insert(
        header::CONTENT_ENCODING,
        HeaderValue::from_static(coding.token()),
    );
    Ok(ServiceResponse::new(req, res.set_body(compressed.boxed())))
}

/// A 304 repeating what RFC 9110 (15.4.5) asks of it, and the other headers, which do no harm;
/// not the ones that describe a body.
pub fn not_modified(headers: &HeaderMap) -> HttpResponse {
    let mut res = HttpResponse::NotModified();
    for (name, value) in headers {
        if name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
            && name != header::CONTENT_ENCODING
        {
            res.append_header((name.clone(), value.clone()));
        }
    }
    res.finish()
}

/// A strong tag for a body: 128 bits of XXH3, which changes whenever a byte does.
pub fn tag_of(bytes: &[u8]) -> EntityTag {
    EntityTag::new_strong(format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes)))
}

/// The quoted strong tag of a body's bytes in `coding`: the tag of the bytes as rendered, with
/// the coding's suffix.
pub fn coded_tag(identity: &EntityTag, coding: Coding) -> HeaderValue {
    let tag = format!("\"{}{}\"", identity.tag(), coding.tag_suffix());
    HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"\""))
}

/// Whether `If-None-Match` (its header values) names `ours` (a quoted strong tag), by the weak
/// comparison RFC 9110 (13.1.2) asks for; `*` matches any current representation.
pub fn none_match<'a>(
    if_none_match: impl IntoIterator<Item = &'a HeaderValue>,
    ours: &HeaderValue,
) -> bool {
    let ours = ours.as_bytes();
    if_none_match
        .into_iter()
        .flat_map(|value| value.as_bytes().split(|&b| b == b','))
        .map(|item| item.trim_ascii())
        .any(|item| item == b"*" || item.strip_prefix(b"W/").unwrap_or(item) == ours)
}

/// A 200 to a GET or HEAD that caches may keep: the responses that get a tag.
fn is_cacheable<B>(res: &ServiceResponse<B>) -> bool {
    matches!(*res.request().method(), Method::GET | Method::HEAD)
        && res.status() == StatusCode::OK
        && !is_no_store(res.headers())
}

fn is_no_store(headers: &HeaderMap) -> bool {
    headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|d| d.trim() == "no-store"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_strong_hex_and_follow_the_bytes() {
        let a = tag_of(b"<p>one</p>");
        assert!(!a.weak);
        assert_eq!(a.tag().len(), 32);
        assert!(a.tag().bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(a, tag_of(b"<p>one</p>"));
        assert_ne!(a, tag_of(b"<p>two</p>"));
    }

    #[test]
    fn if_none_match_compares_weakly_and_exactly() {
        let ours = HeaderValue::from_static("\"abc\"");
        let header = |v: &'static str| [HeaderValue::from_static(v)];
        assert!(none_match(&header("\"abc\""), &ours));
        assert!(none_match(&header("\"x\", \"abc\""), &ours));
        assert!(
            none_match(&header("\"x\",W/\"abc\""), &ours),
            "weak comparison"
        );
        assert!(
            !none_match(&header("\"abc-gzip\""), &ours),
            "another coding"
        );
        assert!(!none_match(&header("\"ab\""), &ours));
        assert!(!none_match(&header("abc"), &ours), "unquoted");
        assert!(none_match(&header("*"), &ours));
        assert!(!none_match(&[], &ours));
        let two = [
            HeaderValue::from_static("\"x\""),
            HeaderValue::from_static("\"abc\""),
        ];
        assert!(none_match(&two, &ours), "several header lines");
    }
}
