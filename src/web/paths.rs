//! The site's URLs for bank items, in one place so templates, redirects and tests agree.

use crate::bank::{Category, Question};

/// Things that have a page of their own.
pub trait Paths {
    /// The canonical path of the item's page.
    fn path(&self) -> String;
}

impl Paths for Question {
    fn path(&self) -> String {
        format!("/questions/{}/{}", self.id, self.slug)
    }
}

impl Paths for Category {
    fn path(&self) -> String {
        format!("/categories/{}", self.slug)
    }
}

/// The path of a tag's page (tags are validated slugs, safe in a URL as they are).
pub fn tag_path(tag: &str) -> String {
    format!("/tags/{tag}")
}
