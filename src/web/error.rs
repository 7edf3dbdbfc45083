//! The one error type of every handler, with the status each failure is answered with. The page
//! that says so is rendered by `super::error_pages`.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};

use super::views::{TEXT, ViewError};

/// When a refused request may be sent again. The pool's queue empties in tens of milliseconds
/// (see `super::offload`), so a second is ample and keeps a polite client's retry quick.
const RETRY_AFTER_SECONDS: &str = "1";

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
    /// A study-plan link is malformed or altered, or names no category the bank still has.
    #[error("{0}")]
    BadPlan(String),
    /// A mock-interview link is fine but the bank can no longer fill it.
    #[error("{0}")]
    InterviewGone(String),
    /// Every thread of the offload pool is busy and its queue is full: a 503 with
    /// `Retry-After`, sent at once (see `super::offload`).
    #[error(
        "The site has more searches and interview pages to prepare than it can take on right \
         now. Please try again in a moment."
    )]
    Busy,
    /// A template failed to render; a bug, logged and shown as a generic 500.
    #[error("page rendering failed: {0}")]
    Render(#[from] askama::Error),
    /// The search engine failed; logged and shown as a generic 500.
    #[error("{0}")]
    Search(#[from] crate::search::SearchError),
    /// A deck could not be built; logged and shown as a generic 500.
    #[error("{0}")]
    Deck(crate::deck::DeckError),
    /// A link-preview card could not be drawn (a bug); logged and shown as a generic 500.
    #[error("{0}")]
    Card(crate::card::CardError),
    /// An icon or the manifest of the installed site, or its service worker, could not be made
    /// (a bug); logged and shown as a generic 500.
    #[error("{0}")]
    Install(String),
    /// A page of the site could not be made (a bug); logged and shown as a generic 500.
    #[error("{0}")]
    Site(#[from] crate::web::site::BuildError),
    /// The application was wired wrongly (a bug); shown as a generic 500.
    #[error("{0}")]
    Internal(&'static str),
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::NotFound(_) | WebError::InterviewGone(_) => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) | WebError::BadInterview(_) | WebError::BadPlan(_) => {
                StatusCode::BAD_REQUEST
            }
            WebError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Render(_)
            | WebError::Search(_)
            | WebError::Deck(_)
            | WebError::Card(_)
            | WebError::Install(_)
            | WebError::Site(_)
            | WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// As actix writes it (the message as text, for `super::error_pages` to put in a page),
    /// and for a 503 when to come back.
    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response.content_type(TEXT);
        if let WebError::Busy = self {
            response.insert_header((
                header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECONDS),
            ));
        }
        response.body(self.to_string())
    }
}

impl From<ViewError> for WebError {
    fn from(err: ViewError) -> WebError {
        match err {
            ViewError::NotFound(message) => WebError::NotFound(message),
            ViewError::Render(err) => WebError::Render(err),
            ViewError::Deck(err) => WebError::Deck(err),
            ViewError::Card(err) => WebError::Card(err),
            ViewError::Icon(err) => WebError::Install(err.to_string()),
            ViewError::Manifest(err) => WebError::Install(err.to_string()),
            ViewError::Offline(err) => WebError::Install(err.to_string()),
        }
    }
}

impl WebError {
    /// Whether the failure is a bug or an outage, not the request's fault: logged, and shown
    /// as a generic message.
    pub fn is_internal(&self) -> bool {
        matches!(
            self,
            WebError::Render(_)
                | WebError::Search(_)
                | WebError::Deck(_)
                | WebError::Card(_)
                | WebError::Install(_)
                | WebError::Site(_)
                | WebError::Internal(_)
        )
    }

    /// The most useful thing to do next, as a label and a link, when there is one better than
    /// going home.
    pub fn next_step(&self) -> Option<(&'static str, &'static str)> {
        match self {
            WebError::BadInterview(_) | WebError::InterviewGone(_) => {
                Some(("Start a new interview", "/mock"))
            }
            WebError::BadPlan(_) => Some(("Make a new plan", "/plan")),
            _ => None,
        }
    }
}
