//! The one error type of every handler, and the middleware that turns any error response (ours,
//! an extractor's, or actix's own 404/405/413) into an HTML page in the site's layout.

use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use askama::Template;

use super::live::LiveState;
use super::page::{self, Meta};
use super::state::Layout;

/// Result of a handler.
pub type WebResult<T = HttpResponse> = Result<T, WebError>;

/// Everything a handler can fail with. Messages are shown to the visitor (escaped), so they say
/// what was wrong with the request, never how the server works.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The URL names something that does not exist.
    #[error("{0}")]
    NotFound(String),
    /// A parameter is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// A mock-interview link is malformed or altered.
    #[error("{0}")]
    BadInterview(String),
    /// A mock-interview link is fine but the bank can no longer fill it.
    #[error("{0}")]
    InterviewGone(String),
    /// A template failed to render; a bug, logged and shown as a generic 500.
    #[error("page rendering failed: {0}")]
    Render(#[from] askama::Error),
    /// The search engine failed; logged and shown as a generic 500.
    #[error("{0}")]
    Search(#[from] crate::search::SearchError),
    /// A deck could not be built; logged and shown as a generic 500.
    #[error("{0}")]
    Deck(crate::deck::DeckError),
    /// The application was wired wrongly (a bug); shown as a generic 500.
    #[error("{0}")]
    Internal(&'static str),
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::NotFound(_) | WebError::InterviewGone(_) => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) | WebError::BadInterview(_) => StatusCode::BAD_REQUEST,
            WebError::Render(_)
            | WebError::Search(_)
            | WebError::Deck(_)
            | WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl WebError {
    /// The most useful thing to do next, as a label and a link, when there is one better than
    /// going home.
    fn next_step(&self) -> Option<(&'static str, &'static str)> {
        match self {
            WebError::BadInterview(_) | WebError::InterviewGone(_) => {
                Some(("Start a new interview", "/mock"))
            }
            _ => None,
        }
    }
}

/// Longest user-supplied value repeated back on an error page.
const MAX_QUOTED: usize = 120;
/// Longest request path an error page names as its canonical URL; a longer one is not echoed.
const MAX_CANONICAL_PATH: usize = 256;

/// A user-supplied value fit to quote in a message: shortened when long. Escaping is the
/// template's job.
pub fn quote(value: &str) -> String {
    match value.char_indices().nth(MAX_QUOTED) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_string(),
    }
}

/// The 404 for any URL no route matches.
pub async fn not_found(req: HttpRequest) -> WebResult {
    Err(WebError::NotFound(format!(
        "There is no page at `{}`.",
        quote(req.path())
    )))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    status: u16,
    heading: &'a str,
    message: &'a str,
    next_step: Option<(&'static str, &'static str)>,
}

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
        Some(
            err @ (WebError::Render(_)
            | WebError::Search(_)
            | WebError::Deck(_)
            | WebError::Internal(_)),
        ) => {
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
        _ if status.is_server_error() => "Something went wrong",
        _ => status.canonical_reason().unwrap_or("Error"),
    };

    let (req, original) = res.into_parts();
    let state = req.app_data::<LiveState>().map(LiveState::current);
    let body = state.and_then(|state| {
        ErrorPage {
            layout: &state.layout,
            meta: Meta::new(heading, &message, canonical_path(req.path())).noindex(),
            status: status.as_u16(),
            heading,
            message: &message,
            next_step,
        }
        .render()
        .ok()
    });
    let mut response = match body {
        Some(html) => HttpResponse::build(status)
            .content_type(page::HTML)
            .body(html),
        None => HttpResponse::build(status)
            .content_type(page::TEXT)
            .body(format!("{heading}\n\n{message}\n")),
    };
    for (name, value) in original.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let response = ServiceResponse::new(req, response).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(response))
}

/// The canonical path of an error page: the requested one, unless it is too long to repeat.
fn canonical_path(path: &str) -> &str {
    if path.len() <= MAX_CANONICAL_PATH {
        path
    } else {
        "/"
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_shortened_on_a_char_boundary() {
        assert_eq!(quote("short"), "short");
        let long = "é".repeat(500);
        let quoted = quote(&long);
        assert_eq!(quoted.chars().count(), MAX_QUOTED + 1);
        assert!(quoted.ends_with('…'));
    }
}
