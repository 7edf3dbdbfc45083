//! One question file's rules: its front matter read into a question, each field checked with a
//! plain message at its line, and its answer parsed, without looking at any other file. The
//! checks across files (unique ids, ids that name a question) are the loader's; the ids they need
//! are kept even when the file has problems of its own, so nothing hides behind another problem.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;

use super::answer::{self, Answer, ParsedAnswer};
use super::front_matter::{self, Lines, QuestionFront};
use super::links::QuestionPaths;
use super::model::{Difficulty, Question};
use super::problem::Problem;
use super::rules::{decode_text, is_slug, keep, non_empty, toml_in};

/// Parses one question file from its bytes, exactly as [`load`](super::load) does but without
/// touching the file system, so a single file can be checked (or fuzzed) on its own.
///
/// Rules that need the other files (unique ids, `related` ids and links that name a question) are
/// left to [`load`](super::load), and so is pointing links between answers at the questions'
/// pages: they stay as written. Every problem carries `path` and a line, whatever the bytes.
pub fn parse_question_file(
    path: &Path,
    category: &str,
    bytes: &[u8],
) -> Result<Question, Vec<Problem>> {
    QuestionFile::parse(path, category, bytes)
        .question
        .map(|question| question.render(&QuestionPaths::default()))
}

/// Where a question file uses an id, for the checks across files.
#[derive(Debug)]
pub(crate) struct IdUse {
    pub id: u32,
    pub path: PathBuf,
    pub line: usize,
}

/// A question file parsed on its own, with the ids it uses for the checks across files. Those run
/// on every file whose front matter could be read, even one with problems of its own, so the ids
/// are kept whether or not the question loaded.
pub(crate) struct QuestionFile {
    pub question: Result<ParsedQuestion, Vec<Problem>>,
    /// The question's own id, when it is a valid one.
    pub id: Option<IdUse>,
    /// Every valid id of `related`.
    pub related: Vec<IdUse>,
    /// Every id the answer links to as `/questions/{id}`.
    pub links: Vec<IdUse>,
}

/// A question read and checked, its answer not yet rendered: links between answers are rendered
/// as the linked questions' paths, known once every file has been read.
#[derive(Debug)]
pub(crate) struct ParsedQuestion {
    /// The question, its `answer` empty until [`ParsedQuestion::render`] fills it in.
    pub question: Question,
    answer: ParsedAnswer,
}

impl ParsedQuestion {
    /// The question, its links to other questions pointed at the pages `paths` gives them.
    pub(crate) fn render(self, paths: &QuestionPaths) -> Question {
        Question {
            answer: self.answer.render(paths),
            ..self.question
        }
    }
}

impl QuestionFile {
    pub(crate) fn parse(path: &Path, category: &str, bytes: &[u8]) -> QuestionFile {
        let mut file = QuestionFile {
            question: Err(Vec::new()),
            id: None,
            related: Vec::new(),
            links: Vec::new(),
        };
        let mut problems = Vec::new();
        let question = file.read(path, category, bytes, &mut problems);
        file.question = match question {
            Some(question) if problems.is_empty() => Ok(question),
            _ => Err(problems),
        };
        file
    }

    /// The question, or `None` with at least one problem recorded. The steps run in the order
    /// the file reads, and each goes on after a problem, so one run lists them all.
    fn read(
        &mut self,
        path: &Path,
        category: &str,
        bytes: &[u8],
        problems: &mut Vec<Problem>,
    ) -> Option<ParsedQuestion> {
        let text = keep(problems, decode_text(path, bytes))?;
        let parts = keep(
            problems,
            front_matter::split(&text).map_err(|(line, message)| Problem::at(path, line, message)),
        )?;
        let front: Option<QuestionFront> =
            keep(problems, toml_in(path, parts.front, parts.front_line));
        let answer = parse_answer(path, parts.body, parts.body_line, problems);
        let front = front?;
        let mut rules = Rules {
            path,
            lines: Lines::new(parts.front, parts.front_line),
            problems,
        };
        let before = rules.problems.len();

        let id = rules.id(&front.id);
        self.id = id.map(|id| rules.id_use(id, front.id.span()));
        let difficulty = rules.difficulty(&front.difficulty);
        let title = rules.required_text("title", front.title);
        let summary = rules.required_text("summary", front.summary);
        let tags = rules.tags(front.tags);
        let related = rules.related(front.related, id);
        let reviewed = front.reviewed.and_then(|value| rules.reviewed(&value));
        self.related.extend(
            related
                .iter()
                .map(|(other, span)| rules.id_use(*other, span.clone())),
        );
        if let Some(answer) = &answer {
            self.links
                .extend(answer.question_links().iter().map(|&(id, line)| IdUse {
                    id,
                    path: path.to_path_buf(),
                    line,
                }));
        }

        if rules.problems.len() > before {
            return None;
        }
        let (id, title, summary, difficulty, answer) =
            (id?, title?, summary?, difficulty?, answer?);
        Some(ParsedQuestion {
            question: Question {
                id,
                slug: title_slug(&title),
                title,
                category: category.to_string(),
                difficulty,
                tags,
                summary,
                related: related.into_iter().map(|(other, _)| other).collect(),
                answer: Answer::default(),
                source: path.to_path_buf(),
                reviewed,
            },
            answer,
        })
    }
}

/// The answer after the front matter, or `None` with its problems recorded, each at its file
/// line.
fn parse_answer(
    path: &Path,
    body: &str,
    body_line: usize,
    problems: &mut Vec<Problem>,
) -> Option<ParsedAnswer> {
    match answer::parse(body, body_line) {
        Ok(answer) => Some(answer),
        Err(found) => {
            problems.extend(
                found
                    .into_iter()
                    .map(|(line, message)| Problem::at(path, line, message)),
            );
            None
        }
    }
}

/// The rules of the front matter's fields, each recording its problem at the line of the value
/// it is about.
struct Rules<'a> {
    path: &'a Path,
    lines: Lines,
    problems: &'a mut Vec<Problem>,
}

impl Rules<'_> {
    fn line(&self, span: Range<usize>) -> usize {
        self.lines.at(span.start)
    }

    fn problem(&mut self, span: Range<usize>, message: String) {
        let line = self.line(span);
        self.problems.push(Problem::at(self.path, line, message));
    }

    fn id_use(&self, id: u32, span: Range<usize>) -> IdUse {
        IdUse {
            id,
            path: self.path.to_path_buf(),
            line: self.line(span),
        }
    }

    /// `id`: a whole number from 1 that fits the links it is part of.
    fn id(&mut self, value: &Spanned<i64>) -> Option<u32> {
        let id = u32::try_from(*value.get_ref()).ok().filter(|&id| id > 0);
        if id.is_none() {
            self.problem(
                value.span(),
                format!(
                    "`id` must be a whole number from 1 to {}, found `{}`",
                    u32::MAX,
                    value.get_ref()
                ),
            );
        }
        id
    }

    /// `difficulty`: one of the three names.
    fn difficulty(&mut self, value: &Spanned<String>) -> Option<Difficulty> {
        value
            .get_ref()
            .parse::<Difficulty>()
            .map_err(|err| self.problem(value.span(), err.to_string()))
            .ok()
    }

    /// A text field that must not be blank (`title`, `summary`).
    fn required_text(&mut self, key: &str, value: Spanned<String>) -> Option<String> {
        let line = self.line(value.span());
        keep(self.problems, non_empty(self.path, key, value, line))
    }

    /// `tags`: slugs, each once. A set beside the list, so a file listing thousands of tags is
    /// not checked in quadratic time.
    fn tags(&mut self, values: Vec<Spanned<String>>) -> Vec<String> {
        let mut tags = Vec::new();
        let mut seen = HashSet::new();
        for value in values {
            let span = value.span();
            let tag = value.into_inner();
            if !is_slug(&tag) {
                self.problem(
                    span,
                    format!(
                        "tag `{tag}` must be lowercase letters and digits joined by hyphens, \
                         e.g. `design-patterns`"
                    ),
                );
            } else if !seen.insert(tag.clone()) {
                self.problem(span, format!("tag `{tag}` is listed twice"));
            } else {
                tags.push(tag);
            }
        }
        tags
    }

    /// `related`: ids from 1, each once, not the question's own (`id`, when it is valid); each
    /// with where it is written, for the loader to check it names a question.
    fn related(&mut self, values: Vec<Spanned<i64>>, id: Option<u32>) -> Vec<(u32, Range<usize>)> {
        let mut related = Vec::new();
        let mut seen = HashSet::new();
        for value in values {
            let span = value.span();
            let number = *value.get_ref();
            match u32::try_from(number).ok().filter(|&other| other > 0) {
                None => self.problem(
                    span,
                    format!("`related` ids are whole numbers from 1, found `{number}`"),
                ),
                Some(other) if Some(other) == id => self.problem(
                    span,
                    format!("`related` names the question's own id {other}"),
                ),
                Some(other) if !seen.insert(other) => {
                    self.problem(span, format!("`related` lists id {other} twice"))
                }
                Some(other) => related.push((other, span)),
            }
        }
        related
    }

    /// `reviewed`: see [`review_date`].
    fn reviewed(&mut self, value: &Spanned<toml::value::Datetime>) -> Option<time::Date> {
        review_date(value.get_ref(), today())
            .map_err(|message| self.problem(value.span(), message))
            .ok()
    }
}

/// Today's date in UTC, the latest a review can be dated.
fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// A `reviewed` value as a date: a calendar day that exists, written without a time, no later
/// than `today`.
fn review_date(value: &toml::value::Datetime, today: time::Date) -> Result<time::Date, String> {
    let (Some(date), None, None) = (value.date, value.time, value.offset) else {
        return Err(format!(
            "`reviewed` is a date written YYYY-MM-DD without a time, found `{value}`"
        ));
    };
    let day = time::Month::try_from(date.month)
        .ok()
        .and_then(|month| {
            time::Date::from_calendar_date(i32::from(date.year), month, date.day).ok()
        })
        .ok_or_else(|| format!("`reviewed` names a day that does not exist: `{value}`"))?;
    if day > today {
        return Err(format!(
            "`reviewed` is {day}, a day still to come (in UTC): date a review when it is done"
        ));
    }
    Ok(day)
}

/// The URL slug of a question title. Apostrophes are dropped rather than turned into word breaks,
/// so "Python’s" becomes `pythons`.
pub(crate) fn title_slug(title: &str) -> String {
    let without_apostrophes: String = title.chars().filter(|c| !matches!(c, '\'' | '’')).collect();
    match slug::slugify(without_apostrophes) {
        s if s.is_empty() => "question".to_string(),
        s => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_file_parses_alone_as_the_loader_reads_it() {
        let path = Path::new("c/001.md");
        let text = "+++\nid = 3\ntitle = \"T?\"\ndifficulty = \"easy\"\nsummary = \"S.\"\n\
                    related = [99]\n+++\nBody.\n\n## Key points\n- p\n";
        let question = parse_question_file(path, "c", text.as_bytes()).expect("valid");
        assert_eq!((question.id, question.slug.as_str()), (3, "t"));
        assert_eq!(
            question.related,
            [99],
            "other files' ids are the loader's to check"
        );
        assert_eq!(
            question.reviewed, None,
            "`reviewed` is optional in the format"
        );

        let crlf_bom = format!("\u{feff}{}", text.replace('\n', "\r\n"));
        let title = parse_question_file(path, "c", crlf_bom.as_bytes()).map(|q| q.title);
        assert_eq!(title, Ok("T?".to_string()));

        let mut latin1 = text.as_bytes().to_vec();
        latin1.push(0xe9);
        let problems = parse_question_file(path, "c", &latin1).map(|q| q.id);
        let message = format!(
            "the file is not valid UTF-8 (byte {} is 0xe9): save it as UTF-8",
            text.len()
        );
        assert_eq!(problems, Err(vec![Problem::at(path, 12, message)]));
    }

    #[test]
    fn review_dates_are_real_past_days_without_a_time() {
        let today = time::Date::from_calendar_date(2026, time::Month::December, 2).expect("date");
        let parse = |value: &str| {
            let value: toml::value::Datetime = value.parse().expect("TOML datetime");
            review_date(&value, today).map(|d| d.to_string())
        };
        assert_eq!(parse("2026-12-01"), Ok("2026-12-01".to_string()));
        assert_eq!(parse("2026-12-02"), Ok("2026-12-02".to_string()));
        let cases = [
            ("2026-12-03", "a day still to come"),
            (
                "2026-12-01T10:00:00",
                "without a time, found `2026-12-01T10:00:00`",
            ),
            ("2026-12-01T10:00:00Z", "without a time"),
            ("10:00:00", "without a time"),
        ];
        for (value, expected) in cases {
            let message = parse(value).expect_err(value);
            assert!(message.contains(expected), "{value}: {message}");
        }
    }

    #[test]
    fn a_huge_file_is_read_in_linear_time() {
        // Regression: each tag, id and link was located by rescanning the text from the start
        // and checked for repeats against every earlier one, so reading this file took time
        // quadratic in its size. The bound is far above a linear parse even on a loaded machine,
        // so it only fails on a regression, and fails instead of hanging.
        const BOUND: std::time::Duration = std::time::Duration::from_secs(60);
        let n = 20_000;
        let tags: Vec<String> = (0..n).map(|i| format!("\"t{i}\"")).collect();
        let related: Vec<String> = (2..n).map(|i| format!("{i},\n")).collect();
        let links: String = (2..n).map(|i| format!("[q](/questions/{i})\n")).collect();
        let text = format!(
            "+++\nid = 1\ntitle = \"t\"\ndifficulty = \"easy\"\nsummary = \"s\"\n\
             tags = [{}]\nrelated = [\n{}]\n+++\n{links}\n## Key points\n- p\n",
            tags.join(", "),
            related.concat(),
        );
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let parsed = parse_question_file(Path::new("q.md"), "c", text.as_bytes());
            // The receiver is gone only when the test already failed.
            let _ = sender.send(parsed);
        });
        let question = receiver
            .recv_timeout(BOUND)
            .expect("parsed within the bound")
            .expect("ok");
        assert_eq!((question.tags.len(), question.related.len()), (n, n - 2));
        assert_eq!(question.answer.question_links.len(), n - 2);
        assert_eq!(question.answer.question_links[0], (2, n + 8));
    }

    #[test]
    fn title_slugs_read_well() {
        let cases = [
            (
                "What are Python’s key features?",
                "what-are-pythons-key-features",
            ),
            ("What are *args and **kwargs?", "what-are-args-and-kwargs"),
            (
                "What is the purpose of the `__init__.py` file?",
                "what-is-the-purpose-of-the-init-py-file",
            ),
            (
                "Explain the GIL (Global Interpreter Lock).",
                "explain-the-gil-global-interpreter-lock",
            ),
            ("???", "question"),
        ];
        for (title, expected) in cases {
            assert_eq!(title_slug(title), expected);
        }
    }
}
