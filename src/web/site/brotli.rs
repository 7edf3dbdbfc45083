//! Brotli copies of the pages asked for in brotli more than once. Brotli at its best level takes
//! several times as long as the page took to render, so it is not made on the request's thread:
//! the first clients get gzip, and one background thread makes the brotli bytes for the next.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, OnceLock};
use std::thread;

use super::page::Page;

/// Pages waiting for their brotli bytes. A page that finds the queue full is offered again by a
/// later request for it.
const QUEUE: usize = 256;

/// The background thread's queue, started with the first page that wants brotli.
#[derive(Debug, Default)]
pub struct BrotliQueue {
    sender: OnceLock<Option<SyncSender<Job>>>,
}

/// A page to compress.
struct Job {
    page: Arc<Page>,
}

impl BrotliQueue {
    /// Queues `page`; `false` when it could not be (the queue full, or no thread), so a later
    /// request offers it again.
    pub fn offer(&self, page: &Arc<Page>) -> bool {
        let Some(sender) = self.sender.get_or_init(start).as_ref() else {
            return false;
        };
        let job = Job {
            page: Arc::clone(page),
        };
        match sender.try_send(job) {
            Ok(()) => true,
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
        }
    }
}

/// The thread that compresses queued pages, until the queue is dropped with its site.
fn start() -> Option<SyncSender<Job>> {
    let (sender, receiver) = sync_channel(QUEUE);
    match thread::Builder::new()
        .name("brotli".into())
        .spawn(move || compress_queued(&receiver))
    {
        Ok(_) => Some(sender),
        Err(err) => {
            tracing::warn!(%err, "no thread for brotli: pages are sent in gzip or as they are");
            None
        }
    }
}

fn compress_queued(receiver: &Receiver<Job>) {
    while let Ok(job) = receiver.recv() {
        job.page.compress_brotli();
    }
}
