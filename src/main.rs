//! The `drillbook` binary: parses the command line and hands over to the library.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use drillbook::bank;
use drillbook::cli::{Cli, Command, ProbeArgs, ServeArgs};
use drillbook::reload::Reloader;
use drillbook::{base_url, probe, telemetry, web};

/// mimalloc rather than the system allocator: building thousands of pages interleaves
/// short-lived compressor state with long-lived page bytes, which glibc's allocator leaves
/// fragmented: a large bank held several times the memory after start-up, and compressed more
/// slowly (docs/PERFORMANCE.md has the figures).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The commit the binary was built from (see build.rs).
const COMMIT: &str = env!("DRILLBOOK_COMMIT");

fn main() -> ExitCode {
    without_huge_pages();
    let cli = Cli::parse();
    if cli.version {
        return version(&cli.serve.content);
    }
    match cli.into_command() {
        Command::Check { dir } => check(&dir),
        Command::Probe(args) => probe(&args),
        Command::Serve(args) => {
            // Dropped after `serve` returns: the count of client errors not yet reported is
            // written last.
            let _logs = telemetry::init(args.log_format);
            match serve(args) {
                Ok(code) => code,
                Err(err) => {
                    eprintln!("drillbook: {err:#}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Turns transparent huge pages off for the process. mimalloc asks for them on its arenas, and
/// each page then touched brings in its 2 MiB neighbourhood: the resident size of the shipped
/// bank was twice what the process held (45 MiB against 24). The server reads small pages
/// scattered across its memory, which huge pages do not speed up. (`MIMALLOC_ALLOW_THP=0` does
/// the same, but only when set before the process starts.)
fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only this process's flags.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Gives the memory that loading used and freed (the parsed Markdown, the index's building
/// space) back to the system: mimalloc keeps freed pages for reuse, and the server never needs
/// that much again, so without this the resident size after start-up is the peak of loading.
fn return_freed_memory() {
    // SAFETY: `mi_collect` takes no pointers and may be called at any time, from any thread.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

/// `drillbook --version`: the binary's version and commit, and the checksum of the content it
/// would serve.
fn version(content: &Path) -> ExitCode {
    // Written with `writeln!`, not `println!`: a reader that closes the pipe early
    // (`drillbook --version | head -1`) is not an error worth a panic.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "drillbook {} (commit {COMMIT})",
        env!("CARGO_PKG_VERSION")
    );
    let _ = match bank::load(content) {
        Ok(bank) => writeln!(
            out,
            "content: {} questions from folder {:?}, checksum {}",
            bank.len(),
            content.display().to_string(),
            bank.checksum()
        ),
        Err(err) => writeln!(
            out,
            "content: folder {:?} is not servable, {} problems (run `drillbook check {}`)",
            content.display().to_string(),
            err.problems.len(),
            content.display()
        ),
    };
    ExitCode::SUCCESS
}

/// `drillbook probe`: exit 0 if the server answers 200.
fn probe(args: &ProbeArgs) -> ExitCode {
    match probe::probe(&args.bind, &args.path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("drillbook probe: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `drillbook check`: every problem on its own line, exit 1 if there is any.
fn check(dir: &Path) -> ExitCode {
    match bank::load(dir) {
        Ok(bank) => {
            println!(
                "{}: {} questions in {} categories, no problems",
                dir.display(),
                bank.len(),
                bank.categories().len()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}

/// `drillbook serve`: load, validate and index everything first, then listen.
fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let bank = match bank::load(&args.content) {
        Ok(bank) => bank,
        Err(err) => {
            eprintln!("{err}");
            eprintln!("drillbook: not serving until the content problems above are fixed");
            return Ok(ExitCode::FAILURE);
        }
    };
    let resolved = base_url::resolve(args.base_url.as_deref(), &bank.site().base_url, &args.bind);
    match &resolved.notice {
        Some(notice @ base_url::Notice::Follows { .. }) => tracing::info!("{notice}"),
        Some(notice @ base_url::Notice::LoopbackLinks { .. }) => tracing::warn!("{notice}"),
        None => {}
    }
    let base_url = resolved.url;
    let state = web::AppState::with_page_cache(bank, base_url.as_deref(), args.page_cache_bytes())
        .context("cannot prepare the site to serve")?;
    tracing::info!(
        questions = state.content.bank.len(),
        categories = state.content.bank.categories().len(),
        elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
        index_kib = state.search.memory_bytes() / 1024,
        pages = state.site.len(),
        catalog_kib = state.site.catalog().memory_bytes() / 1024,
        page_cache_mib = args.page_cache_mb,
        checksum = state.content.bank.checksum(),
        commit = COMMIT,
        "content loaded and indexed from folder {}",
        args.content.display()
    );
    return_freed_memory();
    let live = web::LiveState::new(state);
    // Kept alive while serving: dropping the watcher stops the reloads.
    let _watcher = if args.watch {
        let reloader = Reloader::new(&args.content, base_url.as_deref(), live.clone());
        let watcher = reloader
            .watch()
            .with_context(|| format!("cannot watch {}", args.content.display()))?;
        Some(watcher)
    } else {
        None
    };
    actix_web::rt::System::new()
        .block_on(web::serve(live.clone(), &args.bind, args.pool_limits()))
        .with_context(|| format!("cannot serve on {}", args.bind))?;
    let cache = live.peek().site.cache_stats();
    tracing::info!(
        hits = cache.hits,
        misses = cache.misses,
        hit_rate = cache.hit_rate(),
        pages_kept = cache.pages,
        kept_kib = cache.bytes / 1024,
        "stopped; the page cache served {:.1}% of its pages from memory",
        cache.hit_rate() * 100.0
    );
    Ok(ExitCode::SUCCESS)
}
