//! What the page script does, in headless Chromium against the release-shaped binary on loopback.

mod answer;
mod harness;
mod install;
mod mock;
mod offline;
mod pair;
mod plan;
mod review;
mod stats;
mod storage;
mod study;
mod transfer;
