//! The middleware that tags and compresses responses rendered per request (search results,
//! interviews, error pages): every cacheable 200 carries a strong `ETag` (see `super::etag`), a
//! request whose `If-None-Match` names it gets a 304 with no body, and the body is compressed at
//! the fast level in the coding the client prefers. A body that becomes a 304 is never
//! compressed. Every response with a body says `Vary: Accept-Encoding`, so a shared cache keeps
//! the codings apart.
//!
//! The site's pages (`super::site`) arrive negotiated, tagged and compressed, marked
//! [`Negotiated`], and pass through untouched.

use actix_web::HttpResponse;
use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;

use super::encoding::{self, Accepted, Coding, Level};
use super::etag::{coded_tag, none_match, not_modified, tag_of};

/// Largest body read into memory to tag and compress; every page is far smaller.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Marks a response whose coding, tag and conditional answer are already final.
#[derive(Debug, Clone, Copy)]
pub struct Negotiated;

/// Tags, answers `If-None-Match`, and compresses a response rendered per request.
pub async fn tag_and_compress(
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
