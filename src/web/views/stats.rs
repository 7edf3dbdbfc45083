//! The statistics page: reviews per day, what falls due, retention, progress per category, mock
//! interviews and an optional streak. Every number comes from this browser's own stores, so the
//! server renders only the frame (the categories with their question ids, and empty charts and
//! tables) and static/stats.js draws the rest; without script the page says why it is empty.

use askama::Template;

use super::home::id_list;
use super::{Content, Layout, Meta, Rendered, ViewError};
use crate::bank::Category;
use crate::web::urls::Paths;

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    categories: &'a [Category],
    /// The statistics' own script: only this page draws them, so no other page loads it.
    stats_script: String,
}

/// The frame of the statistics page.
pub fn render(content: &Content) -> Result<Rendered, ViewError> {
    super::html(&StatsPage {
        layout: &content.layout,
        meta: Meta::new(
            "Your statistics",
            "Your reviews day by day, what falls due next, how much you remember, progress per \
             category and past mock interviews, worked out in this browser from your own grades.",
            "/stats",
        )
        .noindex(),
        categories: content.bank.categories(),
        stats_script: content.assets.url("stats.js"),
    })
}
