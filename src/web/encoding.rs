//! Content codings: which one a request accepts (`Accept-Encoding`, RFC 9110 12.5.3) and
//! compressing a body in it.
//!
//! Pages rendered at start-up are compressed once at the best level; a page rendered per request
//! is compressed at a fast level on the worker that rendered it. Pages are tens of kilobytes, so
//! compressing in place costs less than handing the body to another thread and back.
//!
//! gzip is made by libdeflate, which compresses whole buffers (all a page is) faster and smaller
//! than zlib (docs/PERFORMANCE.md, "Measured once", has the figures). Brotli at a fast level is
//! slower than that and no smaller, so a page rendered per request is sent in brotli only to a
//! client that does not take gzip.

use actix_web::http::header::{self, HeaderMap, HeaderValue};
use libdeflater::{CompressionLvl, Compressor};

/// A content coding the site can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Coding {
    /// No coding: the bytes as rendered.
    Identity,
    /// gzip (RFC 1952).
    Gzip,
    /// Brotli (RFC 7932).
    Brotli,
}

impl Coding {
    /// The token in `Accept-Encoding` and `Content-Encoding`.
    pub const fn token(self) -> &'static str {
        match self {
            Coding::Identity => "identity",
            Coding::Gzip => "gzip",
            Coding::Brotli => "br",
        }
    }

    /// What a strong tag of this coding's bytes ends with, so that each coding of a page has
    /// its own tag (`"…-gzip"`); empty for the identity bytes.
    pub const fn tag_suffix(self) -> &'static str {
        match self {
            Coding::Identity => "",
            Coding::Gzip => "-gzip",
            Coding::Brotli => "-br",
        }
    }
}

/// How hard to compress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// For bodies rendered per request: gzip level 1, brotli quality 3 (what most servers use
    /// for dynamic responses).
    Fast,
    /// For bodies compressed once: gzip level 9 and brotli quality 11, each format's best.
    /// libdeflate goes on to levels 10-12, which save little more on a question page at many
    /// times the time, and start-up would more than double (docs/PERFORMANCE.md).
    Best,
}

/// Bodies smaller than this are not worth a coding's framing when identity is acceptable.
pub const MIN_COMPRESSED_BYTES: usize = 256;

/// The codings a request accepts, with their weights (`q`, in thousandths).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepted {
    identity: u16,
    gzip: u16,
    brotli: u16,
}

impl Accepted {
    /// Reads `Accept-Encoding`. Without the header only identity is sent: RFC 9110 allows any
    /// coding then, but a client that says nothing may not decode one.
    pub fn from_headers(headers: &HeaderMap) -> Accepted {
        let mut values = headers.get_all(header::ACCEPT_ENCODING).peekable();
        if values.peek().is_none() {
            return Accepted {
                identity: 1000,
                gzip: 0,
                brotli: 0,
            };
        }
        let mut listed = [None::<u16>; 3];
        let mut star = None::<u16>;
        for item in values
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
        {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let q = parts
                .find_map(|p| {
                    let (key, value) = p.split_once('=')?;
                    key.trim()
                        .eq_ignore_ascii_case("q")
                        .then(|| parse_q(value.trim()))
                })
                .unwrap_or(Some(1000));
            // A malformed weight makes the item meaningless; it is skipped.
            let Some(q) = q else { continue };
            let slot = if name.eq_ignore_ascii_case("identity") {
                &mut listed[0]
            } else if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
                &mut listed[1]
            } else if name.eq_ignore_ascii_case("br") {
                &mut listed[2]
            } else if name == "*" {
                &mut star
            } else {
                continue;
            };
            *slot = Some(slot.map_or(q, |earlier: u16| earlier.max(q)));
        }
        Accepted {
            // Identity is acceptable unless excluded by name or by `*;q=0`.
            identity: listed[0].or(star).unwrap_or(1),
            gzip: listed[1].or(star).unwrap_or(0),
            brotli: listed[2].or(star).unwrap_or(0),
        }
    }

    fn weight(self, coding: Coding) -> u16 {
        match coding {
            Coding::Identity => self.identity,
            Coding::Gzip => self.gzip,
            Coding::Brotli => self.brotli,
        }
    }

    /// The coding to send among those `available` (identity is always available): the one
    /// the client weighs highest, brotli before gzip before identity on a tie. `None` when the
    /// client refuses them all, which earns a 406.
    pub fn choose(self, brotli: bool, gzip: bool) -> Option<Coding> {
        [
            (Coding::Brotli, brotli),
            (Coding::Gzip, gzip),
            (Coding::Identity, true),
        ]
        .into_iter()
        .filter(|&(coding, available)| available && self.weight(coding) > 0)
        .max_by_key(|&(coding, _)| {
            let rank = match coding {
                Coding::Brotli => 2,
                Coding::Gzip => 1,
                Coding::Identity => 0,
            };
            (self.weight(coding), rank)
        })
        .map(|(coding, _)| coding)
    }

    /// Whether the identity bytes may be sent.
    pub fn identity(self) -> bool {
        self.identity > 0
    }

    /// Whether gzip may be sent.
    pub fn gzip(self) -> bool {
        self.gzip > 0
    }
}

/// A `q` value in thousandths: `0` to `1` with at most three decimals.
fn parse_q(value: &str) -> Option<u16> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0u16, |n, b| n * 10 + u16::from(b - b'0'));
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// Whether a body of this `Content-Type` gains from compression: text, and the XML, JSON and
/// script types; not images or fonts, which carry their own compression.
pub fn is_compressible(content_type: Option<&HeaderValue>) -> bool {
    let Some(value) = content_type.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mime = value.split(';').next().unwrap_or_default().trim();
    mime.starts_with("text/")
        || mime.ends_with("+xml")
        || mime.ends_with("/xml")
        || mime.ends_with("javascript")
        || mime.ends_with("json")
}

thread_local! {
    static FAST_GZIP: std::cell::RefCell<Compressor> =
        std::cell::RefCell::new(Compressor::new(CompressionLvl::new(1).unwrap_or_default()));
}

/// `bytes` in gzip.
fn gzip(compressor: &mut Compressor, bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![0; compressor.gzip_compress_bound(bytes.len())];
    // The bound is enough room by libdeflate's promise; were it not, an empty body would be
    // refused by every caller as no smaller than the original.
    let written = compressor.gzip_compress(bytes, &mut out).unwrap_or(0);
    out.truncate(written);
    out
}

/// `bytes` in `coding` at `level`; identity returns them as they are. Bytes compressed at the
/// best level are kept for good, so they are trimmed to their length.
pub fn compress(coding: Coding, level: Level, bytes: &[u8]) -> Vec<u8> {
    let mut out = compress_into_spare(coding, level, bytes);
    if level == Level::Best {
        out.shrink_to_fit();
    }
    out
}

fn compress_into_spare(coding: Coding, level: Level, bytes: &[u8]) -> Vec<u8> {
    match coding {
        Coding::Identity => bytes.to_vec(),
        Coding::Gzip => match level {
            // A compressor per thread: making one per response costs a tenth of the work.
            Level::Fast => FAST_GZIP.with_borrow_mut(|compressor| gzip(compressor, bytes)),
            Level::Best => gzip(
                &mut Compressor::new(CompressionLvl::new(9).unwrap_or_default()),
                bytes,
            ),
        },
        Coding::Brotli => {
            let quality = match level {
                Level::Fast => 3,
                Level::Best => 11,
            };
            // A window just big enough for the body keeps the encoder's buffers small.
            let window = bytes
                .len()
                .max(1 << 10)
                .next_power_of_two()
                .trailing_zeros();
            let params = brotli::enc::BrotliEncoderParams {
                quality,
                lgwin: window.clamp(10, 24) as i32,
                size_hint: bytes.len(),
                ..Default::default()
            };
            let mut out = Vec::with_capacity(bytes.len() / 4);
            let mut input = bytes;
            // Reading a slice and writing into a Vec cannot fail.
            let _ = brotli::BrotliCompress(&mut input, &mut out, &params);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn accepted(value: &str) -> Accepted {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).expect("valid header"),
        );
        Accepted::from_headers(&headers)
    }

    #[test]
    fn the_highest_weight_wins_and_brotli_breaks_ties() {
        let cases = [
            ("gzip, deflate, br, zstd", Some(Coding::Brotli)),
            ("gzip", Some(Coding::Gzip)),
            ("br;q=0.5, gzip", Some(Coding::Gzip)),
            ("BR", Some(Coding::Brotli)),
            ("identity", Some(Coding::Identity)),
            ("deflate", Some(Coding::Identity)),
            ("*", Some(Coding::Brotli)),
            ("*;q=0.1, gzip;q=0.5", Some(Coding::Gzip)),
            ("gzip;q=0, br;q=0", Some(Coding::Identity)),
            ("identity;q=0, *;q=0", None),
            ("*;q=0", None),
            ("*;q=0, identity", Some(Coding::Identity)),
            ("gzip;q=2, br;q=abc", Some(Coding::Identity)),
            ("gzip;q=0.001", Some(Coding::Gzip)),
            ("", Some(Coding::Identity)),
        ];
        for (value, expected) in cases {
            assert_eq!(accepted(value).choose(true, true), expected, "{value:?}");
        }
        assert_eq!(accepted("br").choose(false, true), Some(Coding::Identity));
        assert_eq!(accepted("br, gzip").choose(false, true), Some(Coding::Gzip));
        assert_eq!(
            Accepted::from_headers(&HeaderMap::new()).choose(true, true),
            Some(Coding::Identity),
            "no header: identity"
        );
    }

    #[test]
    fn weights_parse_as_rfc_9110_writes_them() {
        assert_eq!(parse_q("1"), Some(1000));
        assert_eq!(parse_q("1.000"), Some(1000));
        assert_eq!(parse_q("0.5"), Some(500));
        assert_eq!(parse_q("0.125"), Some(125));
        assert_eq!(parse_q("0"), Some(0));
        for bad in ["1.5", "2", "0.1234", "-1", "", ".5", "0.x"] {
            assert_eq!(parse_q(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn compressed_bodies_decode_to_the_original() {
        let text = "<p>generators yield values lazily</p>\n".repeat(200);
        for level in [Level::Fast, Level::Best] {
            let gzip = compress(Coding::Gzip, level, text.as_bytes());
            let mut decoded = String::new();
            flate2::read::GzDecoder::new(gzip.as_slice())
                .read_to_string(&mut decoded)
                .expect("gzip decodes");
            assert_eq!(decoded, text);
            assert!(gzip.len() < text.len() / 4, "{level:?}: {}", gzip.len());

            let brotli = compress(Coding::Brotli, level, text.as_bytes());
            let mut decoded = String::new();
            brotli::Decompressor::new(brotli.as_slice(), 4096)
                .read_to_string(&mut decoded)
                .expect("brotli decodes");
            assert_eq!(decoded, text);
            assert!(brotli.len() < text.len() / 4, "{level:?}: {}", brotli.len());
        }
    }

    #[test]
    fn text_and_markup_are_compressed_images_are_not() {
        let of = |v: &'static str| is_compressible(Some(&HeaderValue::from_static(v)));
        assert!(of("text/html; charset=utf-8"));
        assert!(of("application/xml; charset=utf-8"));
        assert!(of("image/svg+xml; charset=utf-8"));
        assert!(of("text/javascript; charset=utf-8"));
        assert!(of("application/opensearchdescription+xml; charset=utf-8"));
        assert!(!of("image/png"));
        assert!(!of("font/woff2"));
        assert!(!is_compressible(None));
    }
}
