//! `GET /`, `/about`, `/saved`, `/review`, `/mock`, `/sitemap.xml`, `/robots.txt`,
//! `/opensearch.xml`, `/manifest.webmanifest`, the installed site's icons (`/icons/…`), the
//! service worker (`/sw.js`), `/offline`, `/offline.json` and `/feed.xml`: pages with one URL each and nothing to read from the request, answered from the
//! site (`crate::web::site::catalog` names the view that makes each).

use actix_web::HttpRequest;

use crate::web::error::WebResult;
use crate::web::live::State;
use crate::web::respond;
use crate::web::views::no_such_page;

/// The site's page at the request's path, whatever its query string says.
pub async fn page(state: State, request: HttpRequest) -> WebResult {
    let path = request.path();
    respond::site_page(&state, &request, path, || no_such_page(path))
}
