//! The review queue: the questions due for review today. Grades and the schedule worked out from
//! them live in the visitor's browser, not on the server, so the page lists every question of the
//! bank, hidden, for the script to show the due ones; without script it explains where the queue
//! lives.

use askama::Template;

use super::{Content, Layout, Meta, Rendered, ViewError};
use crate::bank::Question;
use crate::web::urls::Paths;

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    items: Vec<Item<'a>>,
}

/// A question the queue may show, with the title of its category.
struct Item<'a> {
    question: &'a Question,
    category: &'a str,
}

/// The frame of the review page: every question, in the categories' order.
pub fn render(content: &Content) -> Result<Rendered, ViewError> {
    let bank = &content.bank;
    let items = bank
        .categories()
        .iter()
        .flat_map(|category| {
            bank.questions_in(category).map(|question| Item {
                question,
                category: &category.title,
            })
        })
        .collect();
    super::html(&ReviewPage {
        layout: &content.layout,
        meta: Meta::new(
            "Review queue",
            "The questions due for review today, scheduled in this browser from your own grades.",
            "/review",
        )
        .noindex(),
        items,
    })
}
