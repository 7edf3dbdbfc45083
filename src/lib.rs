//! drillbook: an interview-practice website served from a folder of Markdown questions.
//!
//! The crate is split by dependency direction: [`bank`] loads and validates the content and knows
//! nothing of HTTP; [`web`] renders it. The binary (`src/main.rs`) only wires them together.
#![warn(missing_docs)]

pub mod bank;
pub mod base_url;
pub mod cli;
pub mod deck;
pub mod mock;
pub mod probe;
pub mod reload;
pub mod search;
pub mod telemetry;
pub mod web;
