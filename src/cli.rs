//! Command-line interface. The doc comments below are the `--help` text.
//!
//! Every option of `serve` can also be set by an environment variable (`DRILLBOOK_BIND` for
//! `--bind`, and so on), so containers and unit files configure the server without a shell.

use std::path::PathBuf;

use clap::builder::RangedU64ValueParser;
use clap::{Args, Parser, Subcommand};

use crate::telemetry::LogFormat;
use crate::web::PoolLimits;

/// Interview practice, served from a folder of Markdown questions.
///
/// With no command, serves the content folder (./content) on http://127.0.0.1:8080; the options
/// of `serve` can be given without the command.
#[derive(Debug, Parser)]
#[command(
    name = "drillbook",
    about,
    disable_version_flag = true,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// What to do; `serve` when left out.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Options of `serve`, for when the command is left out.
    #[command(flatten)]
    pub serve: ServeArgs,

    /// Print the version, the commit it was built from, and the checksum of the content folder
    /// (`--content`), which tells whether two servers serve the same bank.
    #[arg(short = 'V', long)]
    pub version: bool,
}

/// The commands drillbook understands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site over HTTP (refuses to start if the content has problems).
    Serve(ServeArgs),
    /// Validate a content folder: list every problem as `file:line: message` and exit 1 if
    /// there is any.
    Check {
        /// The content folder to check.
        #[arg(default_value = "content")]
        dir: PathBuf,
    },
    /// Ask a running server whether it is healthy: exit 0 if `GET <path>` answers 200, 1
    /// otherwise. For container health checks in images without curl.
    Probe(ProbeArgs),
}

/// Options of `drillbook serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// The content folder to serve.
    #[arg(long, env = "DRILLBOOK_CONTENT", default_value = "content")]
    pub content: PathBuf,

    /// Address and port to listen on.
    #[arg(long, env = "DRILLBOOK_BIND", default_value = DEFAULT_BIND)]
    pub bind: String,

    /// Public URL of the site, used in canonical and share links [default: `base_url` from
    /// the content's site.toml].
    #[arg(long, env = "DRILLBOOK_BASE_URL")]
    pub base_url: Option<String>,

    /// How log lines are written to stderr: `text` for people, `json` (one object per line) for
    /// log shippers. `RUST_LOG` sets the level [default: info].
    #[arg(long, env = "DRILLBOOK_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// For development: re-load the content whenever a file under it changes, and serve the new
    /// bank without a restart. An edit with problems is logged and the last good bank kept.
    #[arg(long)]
    pub watch: bool,

    /// Megabytes of pages kept made, in every coding: pages are rendered and compressed when
    /// first asked for, and those asked for least make way when this is full. The process needs
    /// this much besides the bank and its index (docs/PERFORMANCE.md has the figures).
    #[arg(long, env = "DRILLBOOK_PAGE_CACHE_MB", default_value_t = 64,
          value_parser = clap::value_parser!(u64).range(0..=1_048_576))]
    pub page_cache_mb: u64,

    /// Threads that run searches and render the interview pages, apart from the workers that
    /// serve the pages held in memory, so that costly requests cannot hold those up [default:
    /// one fewer than the cores, at least 1].
    #[arg(long, env = "DRILLBOOK_OFFLOAD_THREADS", value_parser = RangedU64ValueParser::<usize>::new().range(1..=1024))]
    pub offload_threads: Option<usize>,

    /// How many of those requests may wait for a thread. One more is answered at once with a
    /// 503 page and `Retry-After`; 0 lets none wait.
    #[arg(long, env = "DRILLBOOK_OFFLOAD_QUEUE", default_value_t = PoolLimits::DEFAULT_QUEUE)]
    pub offload_queue: usize,
}

impl ServeArgs {
    /// The page cache's budget in bytes.
    pub fn page_cache_bytes(&self) -> u64 {
        self.page_cache_mb * 1024 * 1024
    }

    /// The size of the pool the costly requests run on.
    pub fn pool_limits(&self) -> PoolLimits {
        PoolLimits {
            threads: self
                .offload_threads
                .unwrap_or_else(PoolLimits::default_threads),
            queue: self.offload_queue,
        }
    }
}

/// Options of `drillbook probe`.
#[derive(Debug, Clone, Args)]
pub struct ProbeArgs {
    /// The address the server listens on; an unspecified address (0.0.0.0, [::]) is probed on
    /// loopback.
    #[arg(long, env = "DRILLBOOK_BIND", default_value = DEFAULT_BIND)]
    pub bind: String,

    /// The path to ask for.
    #[arg(long, default_value = "/healthz")]
    pub path: String,
}

const DEFAULT_BIND: &str = "127.0.0.1:8080";

impl Cli {
    /// The command to run, with `serve` and the top-level options standing in for none.
    pub fn into_command(self) -> Command {
        self.command.unwrap_or(Command::Serve(self.serve))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Parses `args` as if no `DRILLBOOK_*` variable were set, whatever the test's environment.
    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        use clap::{CommandFactory, FromArgMatches};
        let command = Cli::command().mut_args(|arg| arg.env(None::<&str>));
        let command = command.mut_subcommands(|sub| sub.mut_args(|arg| arg.env(None::<&str>)));
        Cli::from_arg_matches(&command.try_get_matches_from(args)?)
    }

    fn serve_args(args: &[&str]) -> ServeArgs {
        match parse(args).expect("parses").into_command() {
            Command::Serve(args) => args,
            other => panic!("expected serve, got {other:?}"),
        }
    }

    #[test]
    fn no_command_means_serve_with_defaults() {
        let args = serve_args(&["drillbook"]);
        assert_eq!(args.content, PathBuf::from("content"));
        assert_eq!(args.bind, "127.0.0.1:8080");
        assert_eq!(args.base_url, None);
        assert_eq!(args.log_format, LogFormat::Text);
        assert!(!args.watch);
        assert_eq!(args.page_cache_bytes(), 64 * 1024 * 1024);
        assert_eq!(args.pool_limits().queue, PoolLimits::DEFAULT_QUEUE);
        assert!(args.pool_limits().threads >= 1);
    }

    #[test]
    fn the_page_cache_takes_megabytes_within_range() {
        let args = serve_args(&["drillbook", "--page-cache-mb", "8"]);
        assert_eq!(args.page_cache_bytes(), 8 * 1024 * 1024);
        assert!(parse(&["drillbook", "--page-cache-mb", "-1"]).is_err());
        assert!(parse(&["drillbook", "--page-cache-mb", "2000000"]).is_err());
        assert!(parse(&["drillbook", "--page-cache-mb", "lots"]).is_err());
    }

    #[test]
    fn the_pool_takes_its_size_and_refuses_no_threads() {
        let args = serve_args(&[
            "drillbook",
            "--offload-threads",
            "3",
            "--offload-queue",
            "0",
        ]);
        assert_eq!(
            args.pool_limits(),
            PoolLimits {
                threads: 3,
                queue: 0
            }
        );
        let err = parse(&["drillbook", "--offload-threads", "0"]).expect_err("refused");
        assert!(err.to_string().contains("offload-threads"), "{err}");
    }

    #[test]
    fn serve_and_check_take_their_options() {
        let args = serve_args(&[
            "drillbook",
            "serve",
            "--content",
            "c",
            "--bind",
            "127.0.0.1:0",
            "--base-url",
            "https://x.test",
            "--log-format",
            "json",
            "--watch",
        ]);
        assert_eq!(args.content, PathBuf::from("c"));
        assert_eq!(args.bind, "127.0.0.1:0");
        assert_eq!(args.base_url.as_deref(), Some("https://x.test"));
        assert_eq!(args.log_format, LogFormat::Json);
        assert!(args.watch);

        let cli = parse(&["drillbook", "check", "elsewhere"]).expect("parses");
        assert!(
            matches!(cli.into_command(), Command::Check { dir } if dir == Path::new("elsewhere"))
        );
    }

    #[test]
    fn serve_options_work_without_the_command() {
        let args = serve_args(&["drillbook", "--bind", "0.0.0.0:9000", "--watch"]);
        assert_eq!(args.bind, "0.0.0.0:9000");
        assert!(args.watch);
        assert!(parse(&["drillbook", "--bind", "x", "check"]).is_err());
    }

    #[test]
    fn probe_defaults_to_healthz_on_the_default_address() {
        let cli = parse(&["drillbook", "probe"]).expect("parses");
        let Command::Probe(args) = cli.into_command() else {
            panic!("expected probe");
        };
        assert_eq!(args.bind, "127.0.0.1:8080");
        assert_eq!(args.path, "/healthz");
    }

    #[test]
    fn an_unknown_log_format_is_refused() {
        let err = parse(&["drillbook", "--log-format", "xml"]).expect_err("refused");
        assert!(err.to_string().contains("xml"), "{err}");
    }

    #[test]
    fn help_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
