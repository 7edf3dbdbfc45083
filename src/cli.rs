//! Command-line interface. The doc comments below are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Interview practice, served from a folder of Markdown questions.
///
/// With no command, serves ./content on http://127.0.0.1:8080.
#[derive(Debug, Parser)]
#[command(name = "drillbook", version, about)]
pub struct Cli {
    /// What to do; `serve` when left out.
    #[command(subcommand)]
    pub command: Option<Command>,
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
}

/// Options of `drillbook serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// The content folder to serve.
    #[arg(long, default_value = "content")]
    pub content: PathBuf,

    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,

    /// Public URL of the site, used in canonical and share links [default: `base_url` from
    /// the content's site.toml].
    #[arg(long)]
    pub base_url: Option<String>,
}

impl Default for ServeArgs {
    fn default() -> Self {
        ServeArgs {
            content: PathBuf::from("content"),
            bind: "127.0.0.1:8080".to_string(),
            base_url: None,
        }
    }
}

impl Cli {
    /// The command to run, with `serve` and its defaults standing in for none.
    pub fn into_command(self) -> Command {
        self.command
            .unwrap_or_else(|| Command::Serve(ServeArgs::default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn no_command_means_serve_with_defaults() {
        let cli = Cli::try_parse_from(["drillbook"]).expect("parses");
        let Command::Serve(args) = cli.into_command() else {
            panic!("expected serve");
        };
        assert_eq!(args.content, PathBuf::from("content"));
        assert_eq!(args.bind, "127.0.0.1:8080");
        assert_eq!(args.base_url, None);
    }

    #[test]
    fn serve_and_check_take_their_options() {
        let cli = Cli::try_parse_from([
            "drillbook",
            "serve",
            "--content",
            "c",
            "--bind",
            "127.0.0.1:0",
            "--base-url",
            "https://x.test",
        ])
        .expect("parses");
        let Command::Serve(args) = cli.into_command() else {
            panic!("expected serve");
        };
        assert_eq!(args.content, PathBuf::from("c"));
        assert_eq!(args.bind, "127.0.0.1:0");
        assert_eq!(args.base_url.as_deref(), Some("https://x.test"));

        let cli = Cli::try_parse_from(["drillbook", "check", "elsewhere"]).expect("parses");
        assert!(
            matches!(cli.into_command(), Command::Check { dir } if dir == Path::new("elsewhere"))
        );
    }

    #[test]
    fn help_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
