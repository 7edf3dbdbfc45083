//! `serve --watch`: re-loads the content folder when a file under it changes and swaps the new
//! bank in without a restart. An edit with problems is logged problem by problem, as
//! `drillbook check` would list them, and the last good bank goes on serving.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::bank;
use crate::web::{AppState, LiveState};

/// Editors save in bursts (a temporary file, a rename, a change of mode): the reload waits until
/// the folder has been quiet this long.
const QUIET: Duration = Duration::from_millis(200);

/// What a reload needs: where the content is, the base URL given on the command line, and the
/// state to replace.
#[derive(Debug, Clone)]
pub struct Reloader {
    content: PathBuf,
    base_url: Option<String>,
    live: LiveState,
}

/// What a reload did.
#[derive(Debug)]
pub enum Outcome {
    /// The new bank is being served.
    Swapped {
        /// Its number of questions.
        questions: usize,
        /// Its checksum.
        checksum: String,
    },
    /// The files changed but the bank they make did not (same checksum): nothing was rebuilt.
    Unchanged,
    /// The content has problems: the last good bank is still served.
    Invalid(bank::LoadError),
    /// The content is valid but the site could not be built from it: the last good bank is
    /// still served.
    Unservable(String),
}

impl Reloader {
    /// Reloads `content` into `live`; `base_url` overrides the one in site.toml, as at start-up.
    pub fn new(content: &Path, base_url: Option<&str>, live: LiveState) -> Reloader {
        Reloader {
            content: content.to_path_buf(),
            base_url: base_url.map(str::to_string),
            live,
        }
    }

    /// Loads the content again and, if it is valid and differs, swaps it in.
    pub fn reload(&self) -> Outcome {
        let bank = match bank::load(&self.content) {
            Ok(bank) => bank,
            Err(err) => return Outcome::Invalid(err),
        };
        if bank.checksum() == self.live.peek().content.bank.checksum() {
            return Outcome::Unchanged;
        }
        let (questions, checksum) = (bank.len(), bank.checksum().to_string());
        // The new site keeps as many bytes of pages as the one it replaces.
        let cache_bytes = self.live.peek().site.cache_stats().capacity;
        match AppState::with_page_cache(bank, self.base_url.as_deref(), cache_bytes) {
            Ok(state) => {
                self.live.replace(state);
                Outcome::Swapped {
                    questions,
                    checksum,
                }
            }
            Err(err) => Outcome::Unservable(err.to_string()),
        }
    }

    /// Reloads and logs what happened.
    fn reload_and_log(&self) {
        let started = Instant::now();
        match self.reload() {
            Outcome::Swapped {
                questions,
                checksum,
            } => tracing::info!(
                questions,
                checksum,
                elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
                "content reloaded from {}",
                self.content.display()
            ),
            Outcome::Unchanged => tracing::debug!("content files touched, bank unchanged"),
            Outcome::Invalid(err) => {
                for problem in &err.problems {
                    tracing::error!("{problem}");
                }
                tracing::warn!(
                    problems = err.problems.len(),
                    "the edited content has problems; still serving the last good bank"
                );
            }
            Outcome::Unservable(reason) => tracing::error!(
                "cannot serve the edited content ({reason}); still serving the last good bank"
            ),
        }
    }

    /// Watches the content folder and reloads after every burst of changes, on a thread of its
    /// own, until the returned watcher is dropped.
    pub fn watch(self) -> notify::Result<RecommendedWatcher> {
        let (changes, changed) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
            // Reading the files (the reload itself does) is not a change.
            let is_change = match &event {
                Ok(event) => !matches!(event.kind, EventKind::Access(_)),
                Err(_) => true,
            };
            if is_change {
                let _ = changes.send(event);
            }
        })?;
        watcher.watch(&self.content, RecursiveMode::Recursive)?;
        tracing::info!("watching {} for changes", self.content.display());
        thread::Builder::new()
            .name("content-watch".to_string())
            .spawn(move || {
                while let Ok(event) = changed.recv() {
                    if let Err(err) = event {
                        tracing::warn!("watching {}: {err}", self.content.display());
                    }
                    while changed.recv_timeout(QUIET).is_ok() {}
                    self.reload_and_log();
                }
            })
            .map_err(notify::Error::io)?;
        Ok(watcher)
    }
}
