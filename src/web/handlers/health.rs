//! `GET /healthz` and `GET /readyz`: the process is up and its bank is loaded (the server does not
//! listen before it is, so answering at all means ready).

use actix_web::HttpResponse;
use actix_web::http::header;

use crate::web::page;

/// `GET /healthz`.
pub async fn healthz() -> HttpResponse {
    plain("ok")
}

/// `GET /readyz`.
pub async fn readyz() -> HttpResponse {
    plain("ready")
}

fn plain(body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(page::TEXT)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body)
}
