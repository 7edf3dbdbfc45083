//! `GET /tags/{tag}`: every question that carries a tag, whatever its category; answered from the
//! site.

use actix_web::HttpRequest;
use actix_web::web::Path;

use crate::web::error::WebResult;
use crate::web::live::State;
use crate::web::respond;
use crate::web::urls::tag_path;
use crate::web::views::tag;

/// `GET /tags/{tag}`.
pub async fn show(state: State, name: Path<String>, request: HttpRequest) -> WebResult {
    respond::site_page(&state, &request, &tag_path(&name), || tag::missing(&name))
}
