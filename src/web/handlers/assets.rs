//! `GET /static/{name}.{hash}.{ext}`: embedded files, immutable, cached for a year.

use actix_web::HttpRequest;
use actix_web::http::header::HeaderValue;
use actix_web::web::{Bytes, Path};

use crate::web::error::{WebError, WebResult, quote};
use crate::web::live::State;
use crate::web::page;
use crate::web::pages::Rendered;
use crate::web::state::AppState;

/// Cache-Control of a file whose URL changes with its content.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `GET /static/{name}`: an embedded file, prerendered like the pages.
pub async fn serve(state: State, name: Path<String>, request: HttpRequest) -> WebResult {
    let url = format!("/static/{name}");
    page::serve(&state, &request, &url, || render(&state, &name))
}

/// The file served under a hashed name; not found for any other name.
pub fn render(state: &AppState, hashed_name: &str) -> Result<Rendered, WebError> {
    let asset = state
        .assets
        .get(hashed_name)
        .ok_or_else(|| WebError::NotFound(format!("There is no file `{}`.", quote(hashed_name))))?;
    Ok(Rendered {
        content_type: HeaderValue::from_str(&asset.content_type).map_err(|_| {
            WebError::NotFound(format!("`{}` has no usable type.", quote(hashed_name)))
        })?,
        cache_control: HeaderValue::from_static(IMMUTABLE),
        body: Bytes::from_static(asset.bytes),
        disposition: None,
        microphone: false,
    })
}
