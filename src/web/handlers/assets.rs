//! `GET /static/{name}.{hash}.{ext}`: embedded files, immutable, cached for a year; answered from
//! the site.

use actix_web::HttpRequest;
use actix_web::web::Path;

use crate::web::error::WebResult;
use crate::web::live::State;
use crate::web::respond;
use crate::web::urls::asset_path;
use crate::web::views::asset;

/// `GET /static/{name}`.
pub async fn serve(state: State, name: Path<String>, request: HttpRequest) -> WebResult {
    respond::site_page(&state, &request, &asset_path(&name), || {
        asset::missing(&name)
    })
}
