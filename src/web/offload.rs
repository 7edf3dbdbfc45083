//! A small pool of threads of its own for the work a request can make expensive (searching, and
//! rendering the per-request interview pages), so that the actix workers stay free to serve the
//! pages held in memory.
//!
//! Its queue is bounded: when every thread is busy and the queue is full, the request is refused
//! at once with a 503 ([`WebError::Busy`]) instead of joining an ever longer line. A flood of
//! costly requests then costs the flood, not every other visitor.

use std::future::{Ready, ready};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::thread;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use crossbeam_channel::{Sender, TrySendError};
use tokio::sync::oneshot;

use super::error::{WebError, WebResult};
use super::respond;
use super::views::Rendered;

/// How large the pool is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolLimits {
    /// Threads that run the work.
    pub threads: usize,
    /// Requests that may wait for a thread; 0 means none waits: a request finding every thread
    /// busy is refused.
    pub queue: usize,
}

impl PoolLimits {
    /// Requests that wait for a thread by default. The slowest accepted search takes about 2 ms
    /// (docs/PERFORMANCE.md), so a full queue is some 60 ms of work on one thread: a wait far
    /// below anyone's patience, and far more searches at once than real visitors make of one
    /// replica.
    pub const DEFAULT_QUEUE: usize = 32;

    /// Threads by default: one fewer than the cores, at least one. On two cores that leaves one
    /// core to the workers however many costly requests arrive, and the pages served from memory
    /// keep their latency.
    pub fn default_threads() -> usize {
        thread::available_parallelism()
            .map_or(1, |cores| cores.get().saturating_sub(1))
            .max(1)
    }
}

/// A unit of work, answering through the channel it closes over.
type Job = Box<dyn FnOnce() + Send>;

/// A handle on the pool; clones share it. The threads end when the last handle is dropped.
#[derive(Debug, Clone)]
pub struct Offload {
    /// `None` for an app built without a pool (see [`Offload::inline`]).
    jobs: Option<Sender<Job>>,
}

impl Offload {
    /// Starts a pool of `limits.threads` threads (at least one) and a queue of `limits.queue`.
    pub fn start(limits: PoolLimits) -> std::io::Result<Offload> {
        let (jobs, queue) = crossbeam_channel::bounded::<Job>(limits.queue);
        for n in 0..limits.threads.max(1) {
            let queue = queue.clone();
            thread::Builder::new()
                .name(format!("drillbook-offload-{n}"))
                .spawn(move || {
                    lower_priority();
                    for job in queue {
                        // A job that panics loses its own answer (a 500 page), not the thread.
                        let _ = catch_unwind(AssertUnwindSafe(job));
                    }
                })?;
        }
        Ok(Offload { jobs: Some(jobs) })
    }

    /// Runs work where the request is, as if there were no pool: for apps built without one
    /// (the in-process tests, which send one request at a time).
    pub fn inline() -> Offload {
        Offload { jobs: None }
    }

    /// Runs `work` on the pool and waits for its answer without holding the worker, or fails at
    /// once with [`WebError::Busy`] when the queue is full.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, WebError> {
        let Some(jobs) = &self.jobs else {
            return Ok(work());
        };
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move || {
            // A client that gave up while the job waited has no use for the work.
            if !answer.is_closed() {
                let _ = answer.send(work());
            }
        });
        jobs.try_send(job).map_err(|err| match err {
            TrySendError::Full(_) => WebError::Busy,
            TrySendError::Disconnected(_) => WebError::Internal("the offload pool has stopped"),
        })?;
        answered
            .await
            .map_err(|_| WebError::Internal("the work of a request panicked"))
    }

    /// Renders a page on the pool (see [`Offload::run`]) and answers with it as a 200.
    pub async fn render(
        &self,
        work: impl FnOnce() -> Result<Rendered, WebError> + Send + 'static,
    ) -> WebResult {
        Ok(respond::rendered(self.run(work).await??))
    }
}

/// How much lower the pool's threads are scheduled than the workers (a nice value, of 19). When
/// both want the cores, the kernel gives a worker three times the share of a pool thread (CFS
/// weights 1024 and 335), so a flood of costly requests delays the pages served from memory by
/// little; when the workers are idle the pool still has its cores. At 10 (a tenth of the share)
/// a flood's quick 503s, which the workers send, left the pool so little that the searches it
/// accepted waited up to a second.
const NICENESS: libc::c_int = 5;

/// Lowers the calling thread's priority by [`NICENESS`]. Linux schedules threads apart, and
/// sets a thread's nice value with `setpriority` on its id; elsewhere the call would lower the
/// whole process, so it is not made. Failing is harmless: the pool then runs at the workers'
/// priority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: plain system calls on the calling thread, with no pointers.
        let status = unsafe {
            let thread = libc::gettid();
            libc::setpriority(libc::PRIO_PROCESS, thread as libc::id_t, NICENESS)
        };
        if status != 0 {
            tracing::warn!(
                error = %std::io::Error::last_os_error(),
                "could not lower the offload threads' priority"
            );
        }
    }
}

impl FromRequest for Offload {
    type Error = WebError;
    type Future = Ready<Result<Offload, WebError>>;

    /// The app's pool, or work run inline when the app has none.
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(req
            .app_data::<Offload>()
            .cloned()
            .unwrap_or_else(Offload::inline)))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    #[actix_web::test]
    async fn work_runs_on_the_pool_and_a_full_queue_is_refused_at_once() {
        let pool = Offload::start(PoolLimits {
            threads: 1,
            queue: 1,
        })
        .expect("a pool");
        let (release, held) = mpsc::channel::<()>();
        let (started, running) = mpsc::channel::<()>();
        let busy = actix_web::rt::spawn({
            let pool = pool.clone();
            async move {
                pool.run(move || {
                    let _ = started.send(());
                    let _ = held.recv();
                    thread::current().name().map(str::to_string)
                })
                .await
            }
        });
        // Lets the first job reach the thread (the spawned task runs when this one yields).
        while running.try_recv().is_err() {
            actix_web::rt::task::yield_now().await;
        }
        let queued = actix_web::rt::spawn({
            let pool = pool.clone();
            async move { pool.run(|| 2).await }
        });
        // Lets the second job reach the queue before the third is tried.
        while pool.jobs.as_ref().is_some_and(|jobs| jobs.is_empty()) {
            actix_web::rt::task::yield_now().await;
        }
        assert!(matches!(pool.run(|| 3).await, Err(WebError::Busy)));
        release.send(()).expect("the first job waits");
        let name = busy.await.expect("joined").expect("ran");
        assert_eq!(name.as_deref(), Some("drillbook-offload-0"));
        assert_eq!(queued.await.expect("joined").expect("ran"), 2);
        assert_eq!(pool.run(|| 4).await.expect("room again"), 4);
    }

    #[actix_web::test]
    async fn a_panicking_job_fails_its_request_and_leaves_the_thread() {
        // A queue of one takes each job whether or not the thread is waiting yet.
        let pool = Offload::start(PoolLimits {
            threads: 1,
            queue: 1,
        })
        .expect("a pool");
        let failed = pool.run(|| -> u8 { panic!("a bug in a view") }).await;
        assert!(matches!(failed, Err(WebError::Internal(_))));
        assert_eq!(pool.run(|| 5).await.expect("the thread lives on"), 5);
    }
}
