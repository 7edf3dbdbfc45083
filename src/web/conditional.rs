//! Validators and conditional requests: every cacheable 200 carries a strong `ETag`, and a
//! request whose `If-None-Match` names it gets a 304 with no body.
//!
//! Two middleware share the work because compression sits between them. [`tag_body`] runs
//! inside compression, where the body is still the handler's bytes, and tags it with their hash.
//! [`conditional_get`] runs outside: a gzip or brotli body is a different sequence of bytes, so
//! its strong tag gets the coding as a suffix (`"…-br"`), and `If-None-Match` is compared with the
//! tag of the very variant this request would get, so a cache is never told that a brotli copy
//! is fine for a client that asked for gzip. Compression is lazy, so a body that becomes a 304 is
//! never compressed. Every response whose body could be compressed says `Vary: Accept-Encoding`,
//! so a shared cache keeps the variants apart.

use actix_web::body::{self, BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, EntityTag, HeaderMap, HeaderValue, IfNoneMatch};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse};

/// Largest body read into memory to hash; every page is far smaller, so a larger body is sent as
/// it is, without a tag.
const MAX_HASHED_BODY: usize = 16 * 1024 * 1024;

/// Adds a strong `ETag`, the hash of the body, to every cacheable 200 of a GET or HEAD whose
/// handler did not set one.
pub async fn tag_body(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?;
    if !is_cacheable(&res) || res.headers().contains_key(header::ETAG) {
        return Ok(res.map_into_boxed_body());
    }
    let (req, res) = res.into_parts();
    let (mut res, body) = res.into_parts();
    let bytes = match body::to_bytes_limited(body, MAX_HASHED_BODY).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(err)) => return Err(actix_web::error::ErrorInternalServerError(err.into())),
        Err(_too_large) => {
            return Err(actix_web::error::ErrorInternalServerError(
                "response body too large to tag",
            ));
        }
    };
    if let Ok(value) = HeaderValue::from_str(&tag_of(&bytes).to_string()) {
        res.headers_mut().insert(header::ETAG, value);
    }
    Ok(ServiceResponse::new(req, res.set_body(bytes.boxed())))
}

/// Suffixes a compressed response's tag with its coding, adds `Vary: Accept-Encoding` to every
/// response that has a body to compress, and answers a matching `If-None-Match` with 304.
pub async fn conditional_get(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<BoxBody>>, actix_web::Error> {
    let if_none_match = req.get_header::<IfNoneMatch>();
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    let coding = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let tag = match (existing_tag(headers), coding) {
        (Some(tag), Some(coding)) if !tag.weak && !tag.tag().ends_with(&format!("-{coding}")) => {
            let suffixed = EntityTag::new_strong(format!("{}-{coding}", tag.tag()));
            if let Ok(value) = HeaderValue::from_str(&suffixed.to_string()) {
                headers.insert(header::ETAG, value);
            }
            Some(suffixed)
        }
        (tag, _) => tag,
    };
    if headers.contains_key(header::CONTENT_TYPE) && !varies_by_encoding(headers) {
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }

    let matched = match (&if_none_match, &tag) {
        (Some(condition), Some(tag)) if is_cacheable(&res) => matches(condition, tag),
        _ => false,
    };
    if !matched {
        return Ok(res.map_into_boxed_body().map_into_left_body());
    }
    let mut not_modified = HttpResponse::NotModified();
    for (name, value) in res.headers() {
        // What a 304 repeats (RFC 9110, 15.4.5), and the security headers, which do no harm.
        if name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
            && name != header::CONTENT_ENCODING
        {
            not_modified.append_header((name.clone(), value.clone()));
        }
    }
    let (req, _unsent) = res.into_parts();
    Ok(ServiceResponse::new(
        req,
        not_modified.finish().map_into_right_body(),
    ))
}

/// A strong tag for a body: 128 bits of XXH3, which changes whenever a byte does.
pub fn tag_of(bytes: &[u8]) -> EntityTag {
    EntityTag::new_strong(format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes)))
}

/// Whether `If-None-Match` names `ours`, by the weak comparison RFC 9110 (13.1.2) asks for;
/// `*` matches any current representation.
fn matches(if_none_match: &IfNoneMatch, ours: &EntityTag) -> bool {
    match if_none_match {
        IfNoneMatch::Any => true,
        IfNoneMatch::Items(tags) => tags.iter().any(|theirs| theirs.weak_eq(ours)),
    }
}

/// A 200 to a GET or HEAD that caches may keep: the responses that get a tag.
fn is_cacheable<B>(res: &ServiceResponse<B>) -> bool {
    matches!(*res.request().method(), Method::GET | Method::HEAD)
        && res.status() == StatusCode::OK
        && !is_no_store(res.headers())
}

fn varies_by_encoding(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::VARY)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|name| name.trim().eq_ignore_ascii_case("accept-encoding"))
}

fn existing_tag(headers: &HeaderMap) -> Option<EntityTag> {
    headers
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
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
        let ours = tag_of(b"page");
        let header = |tag: EntityTag| IfNoneMatch::Items(vec![tag_of(b"other"), tag]);
        assert!(matches(&header(ours.clone()), &ours));
        assert!(matches(
            &header(EntityTag::new_weak(ours.tag().into())),
            &ours
        ));
        let gzip = EntityTag::new_strong(format!("{}-gzip", ours.tag()));
        assert!(!matches(&header(gzip.clone()), &ours), "another variant");
        assert!(matches(&header(gzip.clone()), &gzip));
        assert!(!matches(&IfNoneMatch::Items(vec![tag_of(b"other")]), &ours));
        assert!(matches(&IfNoneMatch::Any, &ours));
    }
}
