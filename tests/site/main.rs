//! The website through the real app: every route, status, redirect, header and error page.

#[path = "../support/anki_text.rs"]
mod anki_text;
mod common;
#[path = "../support/tree.rs"]
mod tree;

mod anki;
mod answer;
mod assets;
mod browsing;
mod busy;
mod cards;
mod errors;
mod export;
mod feed;
mod headers;
mod hostile;
mod install;
mod mock;
mod offline;
mod pair;
mod plan;
mod question;
mod random;
mod reload;
mod review;
mod search;
mod site_pages;
mod stats;
mod study;
mod titles;
