//! An embedded file (`/static/{name}.{hash}.{ext}`), immutable: its URL changes with its bytes.

use super::{Content, Rendered, ViewError};
use crate::web::cache::CachePolicy;

/// The file served under a hashed name; not found for any other name.
pub fn render(content: &Content, hashed_name: &str) -> Result<Rendered, ViewError> {
    let asset = content
        .assets
        .get(hashed_name)
        .ok_or_else(|| ViewError::NotFound(missing(hashed_name)))?;
    Ok(Rendered::file(
        asset.content_type.clone(),
        CachePolicy::Immutable,
        bytes::Bytes::from_static(asset.bytes),
    ))
}

/// What a visitor reads when no file has this name.
pub fn missing(hashed_name: &str) -> String {
    format!("There is no file `{}`.", super::quote(hashed_name))
}
