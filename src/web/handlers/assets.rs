//! `GET /static/{name}.{hash}.{ext}`: embedded files, immutable, cached for a year.

use actix_web::HttpResponse;
use actix_web::http::header::{self, EntityTag, IfNoneMatch};
use actix_web::web::Header;
use actix_web::web::{Data, Path};

use crate::web::error::{WebError, WebResult, quote};
use crate::web::state::AppState;

/// Serves one embedded file, or 304 when the browser already has it.
pub async fn serve(
    state: Data<AppState>,
    name: Path<String>,
    if_none_match: Option<Header<IfNoneMatch>>,
) -> WebResult {
    let asset = state
        .assets
        .get(&name)
        .ok_or_else(|| WebError::NotFound(format!("There is no file `{}`.", quote(&name))))?;
    let cache = (header::CACHE_CONTROL, "public, max-age=31536000, immutable");
    let etag = (header::ETAG, asset.etag.as_str());
    let matches = match if_none_match.as_deref() {
        Some(IfNoneMatch::Any) => true,
        Some(IfNoneMatch::Items(tags)) => {
            let ours: Option<EntityTag> = asset.etag.parse().ok();
            ours.is_some_and(|ours| tags.iter().any(|tag| tag.weak_eq(&ours)))
        }
        None => false,
    };
    if matches {
        return Ok(HttpResponse::NotModified()
            .insert_header(cache)
            .insert_header(etag)
            .finish());
    }
    Ok(HttpResponse::Ok()
        .content_type(asset.content_type.as_str())
        .insert_header(cache)
        .insert_header(etag)
        .body(asset.bytes))
}
