//! `GET /about`: how to practise with the site, its keyboard shortcuts, and the progress this
//! browser keeps (with export and import, so it can move to another browser).

use actix_web::HttpRequest;
use askama::Template;

use crate::bank::Rubric;
use crate::web::error::{WebError, WebResult};
use crate::web::live::State;
use crate::web::page::{self, Meta};
use crate::web::pages::Rendered;
use crate::web::state::{AppState, Layout};

#[derive(Template)]
#[template(path = "about.html")]
struct AboutPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    question_count: usize,
    rubric: &'a Rubric,
}

/// `GET /about`.
pub async fn show(state: State, request: HttpRequest) -> WebResult {
    page::serve(&state, &request, "/about", || render(&state))
}

/// The about page.
pub fn render(state: &AppState) -> Result<Rendered, WebError> {
    page::html(&AboutPage {
        layout: &state.layout,
        meta: Meta::new(
            "About and keyboard shortcuts",
            format!(
                "How to practise with {}: study mode, mock interviews, keyboard shortcuts, and \
                 progress kept in your browser.",
                state.layout.site_title
            ),
            "/about",
        ),
        question_count: state.bank.len(),
        rubric: state.bank.rubric(),
    })
}
