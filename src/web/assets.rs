//! Static files compiled into the binary and served under names that carry a hash of their
//! content, so browsers and CDNs may cache them for a year: a changed file gets a new name.

use std::collections::HashMap;
use std::fmt::Write;

use rust_embed::Embed;

#[derive(Embed)]
#[folder = "static/"]
struct Embedded;

/// One embedded file, ready to send.
#[derive(Debug)]
pub struct Asset {
    /// The file's bytes.
    pub bytes: &'static [u8],
    /// Its `Content-Type`, with a charset for text.
    pub content_type: String,
}

/// Every embedded file, by hashed name.
#[derive(Debug)]
pub struct Assets {
    by_hashed_name: HashMap<String, Asset>,
    hashed_names: HashMap<String, String>,
}

impl Assets {
    /// The files of `static/`, as compiled in.
    pub fn embedded() -> Assets {
        let mut assets = Assets {
            by_hashed_name: HashMap::new(),
            hashed_names: HashMap::new(),
        };
        for name in Embedded::iter() {
            let Some(file) = Embedded::get(&name) else {
                continue;
            };
            let hash = file.metadata.sha256_hash();
            let short: String = hash[..5].iter().fold(String::new(), |mut s, b| {
                let _ = write!(s, "{b:02x}");
                s
            });
            let hashed = match name.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem}.{short}.{ext}"),
                None => format!("{name}.{short}"),
            };
            let mime = file.metadata.mimetype();
            let is_text =
                mime.starts_with("text/") || mime.ends_with("javascript") || mime.ends_with("+xml");
            let content_type = if is_text {
                format!("{mime}; charset=utf-8")
            } else {
                mime.to_string()
            };
            let bytes: &'static [u8] = match file.data {
                std::borrow::Cow::Borrowed(bytes) => bytes,
                std::borrow::Cow::Owned(bytes) => bytes.leak(),
            };
            assets.by_hashed_name.insert(
                hashed.clone(),
                Asset {
                    bytes,
                    content_type,
                },
            );
            assets.hashed_names.insert(name.to_string(), hashed);
        }
        assets
    }

    /// The URL of a file of `static/` by its plain name (`app.css`).
    pub fn url(&self, name: &str) -> String {
        let hashed = self.hashed_names.get(name).map_or(name, String::as_str);
        format!("/static/{hashed}")
    }

    /// Every hashed name served.
    pub fn hashed_names(&self) -> impl Iterator<Item = &str> {
        self.by_hashed_name.keys().map(String::as_str)
    }

    /// The file served under a hashed name.
    pub fn get(&self, hashed_name: &str) -> Option<&Asset> {
        self.by_hashed_name.get(hashed_name)
    }

    /// A file of `static/` by its plain name (`favicon.svg`), for what is made from it.
    pub fn named(&self, name: &str) -> Option<&Asset> {
        self.get(self.hashed_names.get(name)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_served_under_a_hashed_name() {
        let assets = Assets::embedded();
        for name in ["app.css", "app.js", "favicon.svg"] {
            let url = assets.url(name);
            let hashed = url.strip_prefix("/static/").expect("under /static/");
            assert_ne!(hashed, name, "{name} should carry a hash");
            let asset = assets.get(hashed).expect("served");
            assert!(!asset.bytes.is_empty());
        }
        assert_eq!(
            assets
                .get(assets.url("app.css").trim_start_matches("/static/"))
                .map(|a| a.content_type.as_str()),
            Some("text/css; charset=utf-8")
        );
        assert!(
            assets.get("app.css").is_none(),
            "plain names are not served"
        );
    }
}
