//! The middleware that turns any error response (ours, an extractor's, or actix's own
//! 404/405/413) into an HTML page in the site's layout, never stored by caches.

use actix_web::HttpResponse;
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};

use super::cache::CachePolicy;
use super::error::WebError;
use super::live::LiveState;
use super::views::error::{self as error_view, Failure};
use super::views::{HTML, TEXT};

/// Middleware that renders every 4xx and 5xx response as an HTML page.
pub fn error_pages<B: 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(render_error_page)
}

fn render_error_page<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let status = res.status();
    let is_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if is_page && res.response().error().is_none() {
        // A handler answered with a page of its own (a form shown again with its problems).
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let web_error = res
        .response()
        .error()
        .and_then(|e| e.as_error::<WebError>());
    let next_step = web_error.and_then(WebError::next_step);
    let message = match web_error {
        Some(err) if err.is_internal() => {
            tracing::error!(error = %err, path = res.request().path(), "request failed");
            None
        }
        Some(err) => Some(err.to_string()),
        None => None,
    };
    if status.is_server_error() && web_error.is_none() {
        tracing::error!(%status, path = res.request().path(), "server error");
    }
    let message = message.unwrap_or_else(|| default_message(status).to_string());
    let heading = match status {
        StatusCode::NOT_FOUND => "Page not found",
        StatusCode::BAD_REQUEST => "Bad request",
        StatusCode::SERVICE_UNAVAILABLE => "Busy right now",
        _ if status.is_server_error() => "Something went wrong",
        _ => status.canonical_reason().unwrap_or("Error"),
    };

    let (req, original) = res.into_parts();
    let state = req.app_data::<LiveState>().map(LiveState::current);
    let failure = Failure {
        status: status.as_u16(),
        heading,
        message: &message,
        next_step,
        path: req.path(),
    };
    let body = state.and_then(|state| error_view::render(&state.content.layout, &failure).ok());
    let mut response = match body {
        Some(html) => HttpResponse::build(status).content_type(HTML).body(html),
        None => HttpResponse::build(status)
            .content_type(TEXT)
            .body(format!("{heading}\n\n{message}\n")),
    };
    for (name, value) in original.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CachePolicy::NoStore.header_value()),
    );
    let response = ServiceResponse::new(req, response).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(response))
}

fn default_message(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "There is nothing at this address.",
        StatusCode::METHOD_NOT_ALLOWED => "This address only answers GET and HEAD requests.",
        StatusCode::PAYLOAD_TOO_LARGE => "The request body is larger than this site accepts.",
        StatusCode::URI_TOO_LONG => "The address is longer than this site accepts.",
        StatusCode::REQUEST_TIMEOUT => "The request took too long to arrive.",
        StatusCode::NOT_ACCEPTABLE => {
            "This site sends pages as they are or compressed with gzip or brotli, and the request \
             ruled out all three."
        }
        _ if status.is_server_error() => {
            "The server could not build this page. Please try again; if it keeps happening, \
             the site's owner has been told in the logs."
        }
        _ => "The request could not be understood.",
    }
}
