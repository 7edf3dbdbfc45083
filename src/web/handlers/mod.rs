//! One module per area of the site. A handler parses the request, then answers from the site,
//! redirects to the canonical URL, renders a per-request view, or fails.

pub mod assets;
pub mod cards;
pub mod categories;
pub mod export;
pub mod fixed;
pub mod health;
pub mod mock;
pub mod pair;
pub mod plan;
pub mod questions;
pub mod random;
pub mod search;
pub mod tags;
pub mod trailing_slash;
