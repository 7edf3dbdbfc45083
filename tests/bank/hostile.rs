//! Hostile question files: whatever bytes an author (or an attacker with write access to the
//! content folder) saves, parsing gives a question or problems that point into the file, never a
//! panic and never a line outside it.

use std::fs;
use std::path::{Path, PathBuf};

use drillbook::bank::{self, Problem};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// Lines of the file as an editor numbers them; a problem may sit one past the last, where text
/// is missing.
fn line_count(bytes: &[u8]) -> usize {
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
    newlines + usize::from(bytes.last().is_some_and(|&b| b != b'\n'))
}

fn check_problems(problems: &[Problem], path: &Path, bytes: &[u8]) -> Result<(), TestCaseError> {
    prop_assert!(!problems.is_empty(), "an error must say why");
    let last = line_count(bytes) + 1;
    for problem in problems {
        prop_assert_eq!(&problem.path, path, "{}", problem);
        let line = problem.line;
        prop_assert!(
            line.is_some_and(|line| (1..=last).contains(&line)),
            "{} is outside lines 1..={}",
            problem,
            last
        );
    }
    Ok(())
}

fn check_file(bytes: &[u8]) -> Result<(), TestCaseError> {
    let path = Path::new("hostile/001-q.md");
    match bank::parse_question_file(path, "hostile", bytes) {
        Ok(question) => {
            prop_assert!(!question.title.trim().is_empty());
            prop_assert!(!question.summary.trim().is_empty());
            prop_assert!(question.id > 0);
            prop_assert_eq!(&question.source, path);
        }
        Err(problems) => check_problems(&problems, path, bytes)?,
    }
    Ok(())
}

/// Text that looks like TOML to a parser: known and unknown keys, every kind of value, broken
/// strings, numbers too big for any integer, tables, and stray `+++`.
fn front_line() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("id".to_string()),
        Just("title".to_string()),
        Just("difficulty".to_string()),
        Just("tags".to_string()),
        Just("summary".to_string()),
        Just("related".to_string()),
        "[a-z_]{1,8}",
        "\"[^\"\n]{0,6}\"",
        Just("a.b.c".to_string()),
    ];
    let value = prop_oneof![
        "\"[^\"\\\\\n]{0,20}\"",
        "\"[^\n]{0,20}",
        "'[^'\n]{0,12}'?",
        "-?[0-9]{1,30}",
        "0x[0-9a-f]{1,20}",
        "[0-9]{1,3}\\.[0-9]{0,3}e[+-]?[0-9]{1,4}",
        Just("true".to_string()),
        Just("nan".to_string()),
        Just("1979-05-27T07:32:00Z".to_string()),
        Just("\"easy\"".to_string()),
        Just("\"medium\"".to_string()),
        Just("\"\"".to_string()),
        Just("\"   \"".to_string()),
        "\\[(-?[0-9]{1,12}, ?){0,4}\\]?",
        "\\[(\"[a-z -]{0,8}\", ?){0,4}\\]?",
        "\\{ ?([a-z]{1,3} = [0-9]{1,3}, ?){0,3}\\}?",
        Just("\"\"\"\nmulti\nline\"\"\"".to_string()),
        Just("[[1, 2], [\"a\"]]".to_string()),
        Just("\"\\u00e9\\uD800\"".to_string()),
    ];
    prop_oneof![
        6 => (key, value).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => "\\[{1,2}[a-z.]{0,8}\\]{0,2}",
        1 => Just("+++".to_string()),
        1 => Just("+++ ".to_string()),
        1 => "[^\n]{0,30}",
        1 => Just(String::new()),
        1 => Just("# comment".to_string()),
    ]
}

/// A valid front matter, so mutations near a valid file are tried often.
fn valid_front() -> Vec<String> {
    [
        "id = 7",
        "title = \"A title?\"",
        "difficulty = \"hard\"",
        "tags = [\"alpha\", \"beta-two\"]",
        "summary = \"In brief.\"",
        "related = [1, 2]",
    ]
    .map(String::from)
    .to_vec()
}

/// Markdown of every shape the answer parser must cope with.
fn body_line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[^\n]{0,40}",
        2 => Just("## Key points".to_string()),
        1 => "#{1,7} [^\n]{0,12}",
        2 => "( {0,4})[-*+] [^\n]{0,20}",
        1 => "[0-9]{1,10}[.)] [^\n]{0,10}",
        1 => "```[a-z ]{0,12}",
        1 => Just("~~~".to_string()),
        1 => "\\[[a-z]{0,5}\\]\\(/questions/[0-9]{0,12}[/#a-z]{0,5}\\)",
        1 => "\\[[a-z]{0,5}\\]\\((javascript|data|https?):[^)\n]{0,10}\\)",
        1 => "<(script|img|div|a|details)[^\n]{0,20}",
        1 => "(> ){1,20}[^\n]{0,10}",
        1 => "\\|[^\n]{0,10}\\|",
        1 => Just("---".to_string()),
        1 => Just("+++".to_string()),
        1 => Just(String::new()),
        1 => "\\[\\^[a-z0-9]{1,3}\\]:? [^\n]{0,8}",
    ]
}

/// How an editor, a transfer or an attacker might have mangled the bytes.
#[derive(Debug, Clone)]
struct Mangling {
    bom: bool,
    crlf: bool,
    lone_cr: bool,
    /// Invalid UTF-8 bytes and where (as a fraction of the length) to put them.
    invalid: Option<(Vec<u8>, f64)>,
    /// Cut the file short at this fraction of its length.
    truncate: Option<f64>,
}

fn mangling() -> impl Strategy<Value = Mangling> {
    let invalid = proptest::collection::vec(
        prop_oneof![Just(0xffu8), Just(0xc3), Just(0xe2), Just(0x80), 0x80u8..],
        1..4,
    );
    (
        any::<bool>(),
        any::<bool>(),
        prop::bool::weighted(0.1),
        prop::option::weighted(0.2, (invalid, 0.0..1.0)),
        prop::option::weighted(0.1, 0.0..1.0),
    )
        .prop_map(|(bom, crlf, lone_cr, invalid, truncate)| Mangling {
            bom,
            crlf,
            lone_cr,
            invalid,
            truncate,
        })
}

fn apply(text: String, mangling: &Mangling) -> Vec<u8> {
    let mut text = text;
    if mangling.crlf {
        text = text.replace('\n', "\r\n");
    }
    if mangling.lone_cr {
        text = text.replacen('\n', "\r", 1);
    }
    let mut bytes = text.into_bytes();
    if let Some(at) = mangling.truncate {
        bytes.truncate((bytes.len() as f64 * at) as usize);
    }
    if let Some((invalid, at)) = &mangling.invalid {
        let at = (bytes.len() as f64 * at) as usize;
        bytes.splice(at..at, invalid.iter().copied());
    }
    if mangling.bom {
        bytes.splice(0..0, "\u{feff}".bytes());
    }
    bytes
}

/// A whole question file: front matter (random, or valid with random lines mixed in), body, and
/// the mangling.
fn question_file() -> impl Strategy<Value = Vec<u8>> {
    let front = prop_oneof![
        proptest::collection::vec(front_line(), 0..10),
        (
            proptest::collection::vec(front_line(), 0..3),
            0usize..7,
            any::<bool>()
        )
            .prop_map(|(extra, at, drop_one)| {
                let mut lines = valid_front();
                if drop_one && at < lines.len() {
                    lines.remove(at);
                }
                let at = at.min(lines.len());
                lines.splice(at..at, extra);
                lines
            }),
    ];
    let body = prop_oneof![
        proptest::collection::vec(body_line(), 0..16),
        (proptest::collection::vec(body_line(), 0..4), 0usize..6).prop_map(|(extra, at)| {
            let mut lines: Vec<String> = [
                "An answer with [a link](/questions/1).",
                "",
                "```python",
                "print(1)",
                "```",
                "## Key points",
                "- a point",
            ]
            .map(String::from)
            .to_vec();
            let at = at.min(lines.len());
            lines.splice(at..at, extra);
            lines
        }),
    ];
    (
        front,
        body,
        any::<bool>(),
        prop::bool::weighted(0.9),
        mangling(),
    )
        .prop_map(|(front, body, opens, closes, mangling)| {
            let mut text = String::new();
            if opens {
                text.push_str("+++\n");
            }
            for line in front {
                text.push_str(&line);
                text.push('\n');
            }
            if closes {
                text.push_str("+++\n");
            }
            text.push_str(&body.join("\n"));
            apply(text, &mangling)
        })
}

/// Copies a fixture folder, so a test can add a file to a known-good bank.
fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The valid fixture bank plus one file whose bytes each case overwrites. The file sorts last in
/// the bank, so a clash with an existing id is reported at the new file.
struct Bank {
    _dir: tempfile::TempDir,
    root: PathBuf,
    file: PathBuf,
}

fn fixture_bank() -> Bank {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("content");
    copy_dir(Path::new("tests/fixtures/valid"), &root);
    let file = root.join("extras").join("999-hostile.md");
    Bank {
        _dir: dir,
        root,
        file,
    }
}

proptest! {
    #![proptest_config(Config { cases: 512, ..Config::default() })]

    #[test]
    fn arbitrary_bytes_give_a_question_or_located_problems(
        bytes in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        check_file(&bytes)?;
    }

    #[test]
    fn arbitrary_front_matter_and_markdown_give_a_question_or_located_problems(
        bytes in question_file(),
    ) {
        check_file(&bytes)?;
    }

    #[test]
    fn arbitrary_text_after_an_opening_line_gives_located_problems(
        text in "\\+\\+\\+\n[^\u{0}]{0,300}",
    ) {
        check_file(text.as_bytes())?;
    }
}

proptest! {
    #![proptest_config(Config { cases: 48, ..Config::default() })]

    #[test]
    fn a_hostile_file_in_a_bank_fails_at_that_file_or_loads(
        bytes in prop_oneof![question_file(), proptest::collection::vec(any::<u8>(), 0..256)],
    ) {
        let bank = fixture_bank();
        fs::write(&bank.file, &bytes).expect("write");
        match bank::load(&bank.root) {
            Ok(loaded) => {
                prop_assert!(loaded.len() == 4 || loaded.len() == 5);
            }
            Err(err) => check_problems(&err.problems, &bank.file, &bytes)?,
        }
    }
}

#[test]
fn the_generator_reaches_valid_questions_too() {
    // Without this, a generator that only ever made broken files would test only half the code.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = question_file();
    let valid = (0..400)
        .filter(|_| {
            let bytes = strategy.new_tree(&mut runner).expect("value").current();
            bank::parse_question_file(Path::new("q.md"), "c", &bytes).is_ok()
        })
        .count();
    assert!(valid > 0, "no generated file was a valid question");
}
