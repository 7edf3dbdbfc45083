//! `GET /static/{name}.{hash}.{ext}`: embedded files, immutable, cached for a year.

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::{Data, Path};

use crate::web::error::{WebError, WebResult, quote};
use crate::web::state::AppState;

/// Serves one embedded file with the tag of its content hash; the conditional-request
/// middleware turns a matching `If-None-Match` into a 304.
pub async fn serve(state: Data<AppState>, name: Path<String>) -> WebResult {
    let asset = state
        .assets
        .get(&name)
        .ok_or_else(|| WebError::NotFound(format!("There is no file `{}`.", quote(&name))))?;
    Ok(HttpResponse::Ok()
        .content_type(asset.content_type.as_str())
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::ETAG, asset.etag.as_str()))
        .body(asset.bytes))
}
