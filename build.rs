//! Names the commit the binary is built from, for `drillbook --version` and the start-up log:
//! `DRILLBOOK_COMMIT` if set (container builds have no .git), else what git says, else "unknown".
//! And when that commit was made, in Unix seconds, for the Anki deck's note times:
//! `SOURCE_DATE_EPOCH` if set (the reproducible-builds convention), else git's commit time, else
//! 0 (the deck then falls back to its note type's time).

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=DRILLBOOK_COMMIT");
    let commit = std::env::var("DRILLBOOK_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=DRILLBOOK_COMMIT={}", commit.trim());
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let released = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .or_else(|| git(&["log", "-1", "--format=%ct", "HEAD"]))
        .and_then(|seconds| seconds.trim().parse::<u64>().ok())
        .unwrap_or(0);
    println!("cargo:rustc-env=DRILLBOOK_RELEASE_TIME={released}");
    // Rebuilt when HEAD moves: HEAD names the branch, and the branch's commit is in its loose ref
    // file or in packed-refs. Only files that exist are named: cargo reruns a build script on
    // every build while a path it names is missing, and then recompiles the crate. A loose ref
    // that appears later (the next commit) is seen through its folder, which cargo scans.
    let git = Path::new(".git");
    if git.is_dir() {
        println!("cargo:rerun-if-changed=.git/HEAD");
        if let Ok(head) = std::fs::read_to_string(git.join("HEAD"))
            && let Some(branch) = head.trim().strip_prefix("ref: ")
        {
            let loose = git.join(branch);
            let refs = git.join("refs");
            let watched = if loose.is_file() {
                Some(loose)
            } else {
                loose
                    .ancestors()
                    .skip(1)
                    .take_while(|folder| folder.starts_with(&refs))
                    .find(|folder| folder.is_dir())
                    .map(Path::to_path_buf)
            };
            let packed = git.join("packed-refs");
            for path in watched.iter().chain(packed.is_file().then_some(&packed)) {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}

/// What a git command prints, when it succeeds and prints something.
fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then_some(text)
}
