//! One question file from arbitrary bytes: parsing gives a question or problems that point into
//! the file, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

/// Lines of the file as an editor numbers them; a problem may sit one past the last, where text
/// is missing.
fn line_count(bytes: &[u8]) -> usize {
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
    newlines + usize::from(bytes.last().is_some_and(|&b| b != b'\n'))
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz/001-question.md");
    match drillbook::bank::parse_question_file(path, "fuzz", data) {
        Ok(question) => {
            assert!(!question.title.trim().is_empty(), "empty title");
            assert!(!question.summary.trim().is_empty(), "empty summary");
            assert!(question.id > 0, "id 0");
            assert!(!question.answer.key_points.is_empty(), "no key points");
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "an error must say why");
            let last = line_count(data) + 1;
            for problem in &problems {
                assert_eq!(problem.path, path, "{problem}");
                let line = problem.line.unwrap_or(0);
                assert!(
                    (1..=last).contains(&line),
                    "{problem} is outside lines 1..={last}"
                );
            }
        }
    }
});
