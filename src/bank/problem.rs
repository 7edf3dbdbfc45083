//! Problems found while loading content, reported all at once so an author can fix them in one go.

use std::fmt;
use std::path::{Path, PathBuf};

/// One thing wrong with the content, located as precisely as it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file (or folder) at fault.
    pub path: PathBuf,
    /// 1-based line in that file, when the problem has one.
    pub line: Option<usize>,
    /// What is wrong, in words an author can act on.
    pub message: String,
}

impl Problem {
    /// A problem located at a line of a file.
    pub fn at(path: &Path, line: usize, message: impl Into<String>) -> Problem {
        Problem {
            path: path.to_path_buf(),
            line: Some(line),
            message: message.into(),
        }
    }

    /// A problem with a whole file or folder.
    pub fn in_file(path: &Path, message: impl Into<String>) -> Problem {
        Problem {
            path: path.to_path_buf(),
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path.display(), line, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// Every problem found in a content folder; loading fails with this when there is at least one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    /// The content folder that was loaded.
    pub root: PathBuf,
    /// The problems, in file order.
    pub problems: Vec<Problem>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.problems {
            writeln!(f, "{problem}")?;
        }
        let count = self.problems.len();
        let noun = if count == 1 { "problem" } else { "problems" };
        write!(f, "{count} {noun} in {}", self.root.display())
    }
}
