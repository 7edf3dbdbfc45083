//! The about page: how to practise with the site, its keyboard shortcuts, and the progress this
//! browser keeps (with export and import, and a transfer link, so it can move to another
//! browser).

use askama::Template;

use super::{Content, Layout, Meta, Rendered, ViewError};
use crate::bank::Rubric;

#[derive(Template)]
#[template(path = "about.html")]
struct AboutPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    question_count: usize,
    rubric: &'a Rubric,
    /// The vendored QR encoder and the transfer link's script: only this page moves progress
    /// to another device, so no other page loads them.
    qr_script: String,
    transfer_script: String,
}

/// The about page.
pub fn render(content: &Content) -> Result<Rendered, ViewError> {
    super::html(&AboutPage {
        layout: &content.layout,
        meta: Meta::new(
            "About and keyboard shortcuts",
            format!(
                "How to practise with {}: study mode, mock interviews, keyboard shortcuts, and \
                 progress kept in your browser.",
                content.layout.site_title
            ),
            "/about",
        ),
        question_count: content.bank.len(),
        rubric: content.bank.rubric(),
        qr_script: content.assets.url("qrcode-generator.js"),
        transfer_script: content.assets.url("transfer.js"),
    })
}
