//! Validators and conditional requests: the strong tag of a body, the tag of its bytes in each
//! coding, and the 304 for an `If-None-Match` that names it.
//!
//! The tag is the hash of the body as rendered; a gzip or brotli body is a different sequence of
//! bytes, so its strong tag gets the coding as a suffix (`"…-br"`), and `If-None-Match` is
//! compared with the tag of the very coding a request would get, so a cache is never told that a
//! brotli copy is fine for a client that asked for gzip.

use actix_web::HttpResponse;
use actix_web::http::header::{self, EntityTag, HeaderMap, HeaderValue};

use super::encoding::Coding;

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
