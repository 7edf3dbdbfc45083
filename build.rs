//! Names the commit the binary is built from, for `drillbook --version` and the start-up log:
//! `DRILLBOOK_COMMIT` if set (container builds have no .git), else what git says, else "unknown".

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=DRILLBOOK_COMMIT");
    let commit = std::env::var("DRILLBOOK_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(git_commit)
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=DRILLBOOK_COMMIT={}", commit.trim());
    // Rebuilt when HEAD moves: HEAD names the branch, the branch's ref file names the commit.
    let git = Path::new(".git");
    if git.is_dir() {
        println!("cargo:rerun-if-changed=.git/HEAD");
        if let Ok(head) = std::fs::read_to_string(git.join("HEAD"))
            && let Some(branch) = head.trim().strip_prefix("ref: ")
        {
            println!("cargo:rerun-if-changed=.git/{branch}");
            println!("cargo:rerun-if-changed=.git/packed-refs");
        }
    }
}

fn git_commit() -> Option<String> {
    let output = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()?;
    let commit = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !commit.trim().is_empty()).then_some(commit)
}
