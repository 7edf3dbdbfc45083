//! drillbook: an interview-practice website served from a folder of Markdown questions.
//!
//! The crate is split by dependency direction. The domain knows nothing of HTTP: [`bank`] loads
//! and validates the content and depends on nothing else in the crate; [`search`] indexes it;
//! [`mock`] turns interview codes into questions; [`deck`] builds the decks to study elsewhere.
//! [`card`] draws link-preview pictures from what a view says they read. [`web`] serves them:
//! views, the site built from them, handlers and the server. Around them:
//! [`cli`] reads the command line, [`base_url`] checks the public address, [`reload`] rebuilds
//! the state when the content changes (`serve --watch`), [`probe`] is the health check without
//! curl, and [`telemetry`] sets up logging. The binary (`src/main.rs`) only wires them together.
#![warn(missing_docs)]

pub mod bank;
pub mod base_url;
pub mod card;
pub mod cli;
pub mod deck;
pub mod mock;
pub mod plan;
pub mod probe;
pub mod reload;
pub mod search;
pub mod telemetry;
pub mod web;
