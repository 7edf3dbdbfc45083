//! The page of a failed request, in the site's layout: a heading for the status, what was wrong,
//! and the most useful next step.

use askama::Template;

use super::{Layout, Meta};

/// Longest request path an error page names as its canonical URL; a longer one is not echoed.
const MAX_CANONICAL_PATH: usize = 256;

/// What an error page says.
#[derive(Debug)]
pub struct Failure<'a> {
    /// The HTTP status, as a number.
    pub status: u16,
    /// The heading.
    pub heading: &'a str,
    /// What was wrong with the request.
    pub message: &'a str,
    /// A better next step than going home, as a label and a link.
    pub next_step: Option<(&'static str, &'static str)>,
    /// The path that was asked for.
    pub path: &'a str,
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

/// The error page's HTML.
pub fn render(layout: &Layout, failure: &Failure) -> Result<String, askama::Error> {
    ErrorPage {
        layout,
        meta: Meta::new(
            failure.heading,
            failure.message,
            canonical_path(failure.path),
        )
        .noindex(),
        status: failure.status,
        heading: failure.heading,
        message: failure.message,
        next_step: failure.next_step,
    }
    .render()
}

/// The canonical path of an error page: the requested one, unless it is too long to repeat.
fn canonical_path(path: &str) -> &str {
    if path.len() <= MAX_CANONICAL_PATH {
        path
    } else {
        "/"
    }
}
