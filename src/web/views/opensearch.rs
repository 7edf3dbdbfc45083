//! The OpenSearch description (`/opensearch.xml`), which lets browsers add the site's search.

use askama::Template;

use super::{Content, Layout, Rendered, ViewError};
use crate::web::cache::CachePolicy;

#[derive(Template)]
#[template(path = "opensearch.xml")]
struct OpenSearch<'a> {
    layout: &'a Layout,
}

/// The OpenSearch description.
pub fn render(content: &Content) -> Result<Rendered, ViewError> {
    let xml = OpenSearch {
        layout: &content.layout,
    }
    .render()?;
    Ok(Rendered::file(
        "application/opensearchdescription+xml; charset=utf-8",
        CachePolicy::Daily,
        super::exact_bytes(xml),
    ))
}
