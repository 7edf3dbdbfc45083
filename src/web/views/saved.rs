//! The saved-questions page. The server keeps no per-visitor state, so the page is a frame the
//! script fills from localStorage, with an explanation for visitors without script.

use askama::Template;

use super::{Content, Layout, Meta, Rendered, ViewError};

#[derive(Template)]
#[template(path = "saved.html")]
struct SavedPage<'a> {
    layout: &'a Layout,
    meta: Meta,
}

/// The frame of the saved-questions page.
pub fn render(content: &Content) -> Result<Rendered, ViewError> {
    super::html(&SavedPage {
        layout: &content.layout,
        meta: Meta::new(
            "Saved questions",
            "The questions you saved in this browser, to come back to.",
            "/saved",
        )
        .noindex(),
    })
}
