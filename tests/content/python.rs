//! Runs the Python examples of the answers the way a reader would, and checks what they print.
//!
//! A ```python block runs as a script with `python3` (or `$PYTHON`) and must exit 0. If any of
//! its lines carries a `# -> text` comment, stdout must be exactly those texts, one line each,
//! in order. A block whose first line starts with `>>>` is a doctest session instead. A block
//! marked ```python norun (needs a server, a framework or the network) is only compiled.

use std::ffi::OsString;
use std::fs::{self, File};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use drillbook::bank::{CodeBlock, Question};
use wait_timeout::ChildExt;

const TIMEOUT: Duration = Duration::from_secs(20);
/// Marks a line's expected output.
const MARKER: &str = "# ->";

/// The languages whose blocks are run.
pub fn is_python(block: &CodeBlock) -> bool {
    matches!(block.language(), "python" | "py" | "python3")
}

/// What each `# -> text` marker of a block expects, in order.
pub fn expected_output(code: &str) -> Vec<String> {
    code.lines()
        .filter_map(|line| line.split_once(MARKER))
        .map(|(_, expected)| {
            expected
                .strip_prefix(' ')
                .unwrap_or(expected)
                .trim_end()
                .to_string()
        })
        .collect()
}

/// Runs one block; `Err` says what went wrong, for a `file:line:` report.
pub fn check(question: &Question, block: &CodeBlock, scratch: &Path) -> Result<(), String> {
    let stem = format!("q{}_line{}", question.id, block.line);
    let doctest = block.code.trim_start().starts_with(">>>");
    let file = scratch.join(if doctest {
        format!("{stem}.txt")
    } else {
        format!("{stem}.py")
    });
    fs::write(&file, &block.code).map_err(|e| format!("cannot write {}: {e}", file.display()))?;

    let mut args: Vec<OsString> = Vec::new();
    if block.has_flag("norun") {
        args.extend(["-m".into(), "py_compile".into()]);
    } else if doctest {
        args.extend(["-m".into(), "doctest".into()]);
    }
    args.push(file.into_os_string());
    let (status, stdout, stderr) = run_python(&args, scratch, &stem)?;
    if !status {
        let what = if block.has_flag("norun") {
            "does not compile"
        } else {
            "fails"
        };
        return Err(format!(
            "python block {what}:\n{}{}",
            indent(&stdout),
            indent(&stderr)
        ));
    }
    let expected = expected_output(&block.code);
    if block.has_flag("norun") || doctest || expected.is_empty() {
        return Ok(());
    }
    let actual: Vec<String> = stdout.lines().map(|l| l.trim_end().to_string()).collect();
    if actual != expected {
        return Err(format!(
            "python block prints something other than its `# ->` markers:\n  expected: {expected:?}\n  printed:  {actual:?}"
        ));
    }
    Ok(())
}

fn run_python(args: &[OsString], dir: &Path, stem: &str) -> Result<(bool, String, String), String> {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
    let out_path = dir.join(format!("{stem}.stdout"));
    let err_path = dir.join(format!("{stem}.stderr"));
    let out = File::create(&out_path).map_err(|e| e.to_string())?;
    let err = File::create(&err_path).map_err(|e| e.to_string())?;
    let mut child = Command::new(&python)
        .args(args)
        .current_dir(dir)
        .env("PYTHONHASHSEED", "0")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("cannot start `{python}`: {e}"))?;
    let status = match child.wait_timeout(TIMEOUT).map_err(|e| e.to_string())? {
        Some(status) => status,
        None => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("python block still running after {TIMEOUT:?}"));
        }
    };
    let read = |p: &Path| fs::read_to_string(p).unwrap_or_default();
    Ok((status.success(), read(&out_path), read(&err_path)))
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}
