//! One module per area of the site; each handler parses the request, asks the bank, renders.

pub mod about;
pub mod assets;
pub mod categories;
pub mod crawlers;
pub mod export;
pub mod health;
pub mod home;
pub mod mock;
pub mod pair;
pub mod questions;
pub mod random;
pub mod review;
pub mod saved;
pub mod search;
pub mod tags;
