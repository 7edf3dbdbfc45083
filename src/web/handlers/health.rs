//! `GET /healthz` and `GET /readyz`: the process is up and its bank is loaded (the server does not
//! listen before it is, so answering at all means ready).

use actix_web::HttpResponse;

use crate::web::respond;

/// `GET /healthz`.
pub async fn healthz() -> HttpResponse {
    respond::plain("ok")
}

/// `GET /readyz`.
pub async fn readyz() -> HttpResponse {
    respond::plain("ready")
}
