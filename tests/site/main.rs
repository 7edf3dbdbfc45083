//! The website through the real app: every route, status, redirect, header and error page.

mod common;

mod assets;
mod browsing;
mod errors;
mod headers;
mod hostile;
mod mock;
mod prerendered;
mod question;
mod random;
mod search;
mod study;
