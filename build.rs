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

fn git_commit() -> Option<String> {
    let output = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()?;
    let commit = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !commit.trim().is_empty()).then_some(commit)
}
