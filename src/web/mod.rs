//! The website. Building the site is apart from serving it:
//!
//! - [`views`] are pure functions from the content (and a parsed request) to a rendered page;
//! - [`site`] is every bank-only page, built once by the views into bytes ready to send;
//! - [`handlers`](routes) parse a request and answer from the site, redirect, render a
//!   per-request view, or fail; [`routes`] names every route's handler.
//!
//! [`state`] holds what is served ([`AppState`]: the content, the site, the search index) and
//! [`live`] lets `serve --watch` swap it whole; [`server`] runs it all behind the limits a
//! public site needs, with the costly per-request work on the pool of [`offload`].

pub mod assets;
pub mod cache;
pub mod compression;
mod deadline;
pub mod encoding;
pub mod error;
mod error_pages;
pub mod etag;
mod fast_path;
mod handlers;
pub mod headers;
pub mod live;
pub mod offload;
pub mod request;
pub mod respond;
pub mod routes;
mod server;
pub mod site;
pub mod state;
pub mod urls;
pub mod views;

pub use error::{WebError, WebResult};
pub use live::LiveState;
pub use offload::{Offload, PoolLimits};
pub use routes::{app, configure};
pub use server::serve;
pub use state::AppState;
