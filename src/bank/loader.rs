//! Reads a content folder into a [`Bank`], checking every rule of the content format and
//! collecting every problem before giving up, so one run of `drillbook check` shows them all.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use super::answer;
use super::front_matter::{self, CategoryFile, GroupFile, Lines, QuestionFront, SiteFile, line_of};
use super::model::{Bank, Category, Difficulty, Group, Question, Site};
use super::problem::{LoadError, Problem};
use super::rubric::{self, RUBRIC_FILE, Rubric};
use super::synonyms::{self, SYNONYMS_FILE, Synonyms};

/// The file in each category folder that names and orders the category.
pub const CATEGORY_FILE: &str = "_category.toml";
/// The file at the top of the content folder with site-wide settings.
pub const SITE_FILE: &str = "site.toml";

/// Loads and validates the content folder at `root`.
pub fn load(root: &Path) -> Result<Bank, LoadError> {
    let mut loader = Loader {
        problems: Vec::new(),
        ids: Vec::new(),
        related: Vec::new(),
        links: Vec::new(),
        read: Vec::new(),
    };
    let site = loader.site(root);
    let (categories, questions) = loader.categories(root);
    loader.check_ids();
    let synonyms = loader.synonyms(root, &questions);
    let rubric = loader.rubric(root);
    if questions.is_empty() && loader.problems.is_empty() {
        loader.problems.push(Problem::in_file(
            root,
            "no questions found: add question files (`.md`) to a category folder",
        ));
    }
    match (site, loader.problems.is_empty()) {
        (Some(site), true) => {
            let checksum = checksum(root, &loader.read);
            Ok(Bank::new(
                site,
                categories,
                questions,
                synonyms.unwrap_or_default(),
                rubric.unwrap_or_default(),
                checksum,
            ))
        }
        _ => {
            let mut problems = loader.problems;
            problems.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
            Err(LoadError {
                root: root.to_path_buf(),
                problems,
            })
        }
    }
}

/// Where a question file uses an id, for the checks across files: they run on every file whose
/// front matter could be read, even one with problems of its own, so nothing hides behind another
/// problem.
struct IdUse {
    id: u32,
    path: PathBuf,
    line: usize,
}

struct Loader {
    problems: Vec<Problem>,
    /// Every `id` read, in file order.
    ids: Vec<IdUse>,
    /// Every id named in a `related` list.
    related: Vec<IdUse>,
    /// Every id an answer links to as `/questions/{id}`.
    links: Vec<IdUse>,
    /// Every file read, with the hash of its bytes.
    read: Vec<(PathBuf, u128)>,
}

/// The bank's checksum: XXH3-128 over each file's path (relative to `root`, `/`-separated) and
/// the hash of its bytes, in path order, as 32 hex digits. It depends only on what was read, not
/// on where the folder is or when its files were touched.
fn checksum(root: &Path, read: &[(PathBuf, u128)]) -> String {
    let mut files: Vec<(String, u128)> = read
        .iter()
        .map(|(path, hash)| {
            let relative = path.strip_prefix(root).unwrap_or(path);
            let parts: Vec<_> = relative.iter().map(|p| p.to_string_lossy()).collect();
            (parts.join("/"), *hash)
        })
        .collect();
    files.sort();
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (path, hash) in &files {
        hasher.update(&(path.len() as u64).to_le_bytes());
        hasher.update(path.as_bytes());
        hasher.update(&hash.to_le_bytes());
    }
    format!("{:032x}", hasher.digest128())
}

impl Loader {
    fn site(&mut self, root: &Path) -> Option<Site> {
        let path = root.join(SITE_FILE);
        let text = self.read(&path)?;
        let file: SiteFile = self.toml(&path, &text)?;
        let title = self.non_empty(&path, &text, "title", file.title);
        let description = self.non_empty(&path, &text, "description", file.description);
        let base_url = file
            .base_url
            .get_ref()
            .trim()
            .trim_end_matches('/')
            .to_string();
        let base_url_ok = base_url
            .strip_prefix("https://")
            .or_else(|| base_url.strip_prefix("http://"))
            .is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace));
        if !base_url_ok {
            self.problems.push(Problem::at(
                &path,
                line_of(&text, file.base_url.span().start, 1),
                format!(
                    "`base_url` must be an absolute http(s) URL such as `https://example.org`, \
                     found `{base_url}`"
                ),
            ));
        }
        Some(Site {
            title: title?,
            description: description?,
            base_url: base_url_ok.then_some(base_url)?,
        })
    }

    /// The content's `synonyms.toml`, if it has one. Its targets are checked against the
    /// questions only when they all loaded, as a missing word is otherwise most likely in a file
    /// whose problems are already listed.
    fn synonyms(&mut self, root: &Path, questions: &[Question]) -> Option<Synonyms> {
        let loaded = self.problems.is_empty().then_some(questions);
        self.optional_file(&root.join(SYNONYMS_FILE), |path, text| {
            synonyms::parse(path, text, loaded)
        })
    }

    /// The content's `rubric.toml`, if it has one; empty without.
    fn rubric(&mut self, root: &Path) -> Option<Rubric> {
        self.optional_file(&root.join(RUBRIC_FILE), rubric::parse)
    }

    /// An optional file at the top of the content folder, read with `parse`: its default when
    /// it is absent, `None` (its problems listed) when it cannot be read or parsed.
    fn optional_file<T: Default>(
        &mut self,
        path: &Path,
        parse: impl FnOnce(&Path, &str) -> Result<T, Vec<Problem>>,
    ) -> Option<T> {
        if !path.is_file() {
            return Some(T::default());
        }
        let text = self.read(path)?;
        match parse(path, &text) {
            Ok(value) => Some(value),
            Err(problems) => {
                self.problems.extend(problems);
                None
            }
        }
    }

    fn categories(&mut self, root: &Path) -> (Vec<Category>, Vec<Question>) {
        let mut categories = Vec::new();
        let mut questions = Vec::new();
        for dir in self.entries(root).into_iter().filter(|p| p.is_dir()) {
            let Some(slug) = visible_name(&dir) else {
                continue;
            };
            if !is_slug(slug) {
                self.problems.push(Problem::in_file(
                    &dir,
                    format!(
                        "a category folder's name is its URL slug and must be lowercase letters \
                         and digits joined by hyphens, found `{slug}`"
                    ),
                ));
            }
            let problems_before = self.problems.len();
            let first_question = questions.len();
            for file in self.entries(&dir) {
                let is_question = file.extension().is_some_and(|ext| ext == "md")
                    && visible_name(&file).is_some();
                if is_question && let Some(question) = self.question(&file, slug) {
                    questions.push(question);
                }
            }
            // A group no question carries is most likely a misspelt tag; it can only be told
            // when every question of the folder loaded.
            let folder_loaded = self.problems.len() == problems_before;
            let folder_questions = folder_loaded.then(|| &questions[first_question..]);
            categories.extend(self.category(&dir, slug, folder_questions));
        }
        (categories, questions)
    }

    fn category(
        &mut self,
        dir: &Path,
        slug: &str,
        questions: Option<&[Question]>,
    ) -> Option<Category> {
        let path = dir.join(CATEGORY_FILE);
        if !path.is_file() {
            self.problems.push(Problem::in_file(
                &path,
                "missing: every category folder needs one, with `title`, `order` and \
                 `description`",
            ));
            return None;
        }
        let text = self.read(&path)?;
        let file: CategoryFile = self.toml(&path, &text)?;
        let title = self.non_empty(&path, &text, "title", file.title);
        let description = self.non_empty(&path, &text, "description", file.description);
        let groups = self.groups(&path, &text, file.groups, questions);
        Some(Category {
            slug: slug.to_string(),
            title: title?,
            description: description?,
            order: file.order.into_inner(),
            groups: groups?,
            question_ids: Vec::new(),
        })
    }

    /// Checks a category's `[[groups]]`: each names a valid tag once, has a title, and (when the
    /// folder's questions are known) is carried by at least one question.
    fn groups(
        &mut self,
        path: &Path,
        text: &str,
        files: Vec<GroupFile>,
        questions: Option<&[Question]>,
    ) -> Option<Vec<Group>> {
        let before = self.problems.len();
        let mut groups: Vec<Group> = Vec::new();
        for file in files {
            let at = line_of(text, file.tag.span().start, 1);
            let title = self.non_empty(path, text, "title", file.title);
            let tag = file.tag.into_inner();
            let problem = if !is_slug(&tag) {
                Some(format!(
                    "group tag `{tag}` must be lowercase letters and digits joined by hyphens"
                ))
            } else if groups.iter().any(|g| g.tag == tag) {
                Some(format!("group tag `{tag}` is listed twice"))
            } else if questions.is_some_and(|qs| !qs.iter().any(|q| q.tags.contains(&tag))) {
                Some(format!(
                    "group tag `{tag}` is carried by no question of this category"
                ))
            } else {
                None
            };
            match (problem, title) {
                (Some(message), _) => self.problems.push(Problem::at(path, at, message)),
                (None, Some(title)) => groups.push(Group { tag, title }),
                (None, None) => {}
            }
        }
        (self.problems.len() == before).then_some(groups)
    }

    fn question(&mut self, path: &Path, category: &str) -> Option<Question> {
        let bytes = self.bytes(path)?;
        let file = QuestionFile::parse(path, category, &bytes);
        self.ids.extend(file.id);
        self.related.extend(file.related);
        self.links.extend(file.links);
        match file.question {
            Ok(question) => Some(question),
            Err(problems) => {
                self.problems.extend(problems);
                None
            }
        }
    }

    /// Checks that ids are unique and that every `related` id and every link between answers
    /// names a question.
    fn check_ids(&mut self) {
        let mut first_use: HashMap<u32, &IdUse> = HashMap::new();
        for used in &self.ids {
            match first_use.get(&used.id) {
                Some(first) => self.problems.push(Problem::at(
                    &used.path,
                    used.line,
                    format!(
                        "duplicate id {}: {}:{} already uses it",
                        used.id,
                        first.path.display(),
                        first.line
                    ),
                )),
                None => {
                    first_use.insert(used.id, used);
                }
            }
        }
        let unknown = |uses: &[IdUse], message: fn(u32) -> String| -> Vec<Problem> {
            uses.iter()
                .filter(|used| !first_use.contains_key(&used.id))
                .map(|used| Problem::at(&used.path, used.line, message(used.id)))
                .collect()
        };
        let mut unknown_ids = unknown(&self.related, |id| {
            format!("`related` names id {id}, which no question has")
        });
        unknown_ids.extend(unknown(&self.links, |id| {
            format!("the answer links to /questions/{id}, which no question has")
        }));
        self.problems.extend(unknown_ids);
    }

    /// Reads a file as text, accepting a byte-order mark and CRLF line ends.
    fn read(&mut self, path: &Path) -> Option<String> {
        let bytes = self.bytes(path)?;
        self.keep(decode_text(path, &bytes))
    }

    fn bytes(&mut self, path: &Path) -> Option<Vec<u8>> {
        let read = fs::read(path)
            .map_err(|err| Problem::in_file(path, format!("cannot read the file: {err}")));
        let bytes = self.keep(read)?;
        self.read
            .push((path.to_path_buf(), xxhash_rust::xxh3::xxh3_128(&bytes)));
        Some(bytes)
    }

    /// The value, or `None` with its problem recorded: the loader goes on to find the next one.
    fn keep<T>(&mut self, result: Result<T, Problem>) -> Option<T> {
        keep(&mut self.problems, result)
    }

    /// The entries of a folder, sorted so problems and ties come out in a stable order.
    fn entries(&mut self, dir: &Path) -> Vec<PathBuf> {
        match fs::read_dir(dir) {
            Ok(entries) => {
                let mut paths: Vec<PathBuf> =
                    entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                paths.sort();
                paths
            }
            Err(err) => {
                self.problems.push(Problem::in_file(
                    dir,
                    format!("cannot read the folder: {err}"),
                ));
                Vec::new()
            }
        }
    }

    fn toml<T: serde::de::DeserializeOwned>(&mut self, path: &Path, text: &str) -> Option<T> {
        self.keep(toml_in(path, text, 1))
    }

    fn non_empty(
        &mut self,
        path: &Path,
        text: &str,
        key: &str,
        value: toml::Spanned<String>,
    ) -> Option<String> {
        let line = line_of(text, value.span().start, 1);
        self.keep(non_empty(path, key, value, line))
    }
}

/// Parses one question file from its bytes, exactly as [`load`] does but without touching the
/// file system, so a single file can be checked (or fuzzed) on its own.
///
/// Rules that need the other files (unique ids, `related` ids and links that name a question) are
/// left to [`load`]. Every problem carries `path` and a line, whatever the bytes.
pub fn parse_question_file(
    path: &Path,
    category: &str,
    bytes: &[u8],
) -> Result<Question, Vec<Problem>> {
    QuestionFile::parse(path, category, bytes).question
}

/// A question file parsed on its own, with the ids it uses for the checks across files. Those run
/// on every file whose front matter could be read, even one with problems of its own, so the ids
/// are kept whether or not the question loaded.
struct QuestionFile {
    question: Result<Question, Vec<Problem>>,
    id: Option<IdUse>,
    related: Vec<IdUse>,
    links: Vec<IdUse>,
}

impl QuestionFile {
    fn parse(path: &Path, category: &str, bytes: &[u8]) -> QuestionFile {
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

    /// The question, or `None` with at least one problem recorded.
    fn read(
        &mut self,
        path: &Path,
        category: &str,
        bytes: &[u8],
        problems: &mut Vec<Problem>,
    ) -> Option<Question> {
        let text = keep(problems, decode_text(path, bytes))?;
        let parts = keep(
            problems,
            front_matter::split(&text).map_err(|(line, message)| Problem::at(path, line, message)),
        )?;
        let front: Option<QuestionFront> =
            keep(problems, toml_in(path, parts.front, parts.front_line));
        let answer = match answer::parse(parts.body, parts.body_line) {
            Ok(answer) => Some(answer),
            Err(found) => {
                problems.extend(
                    found
                        .into_iter()
                        .map(|(line, message)| Problem::at(path, line, message)),
                );
                None
            }
        };
        let front = front?;
        let lines = Lines::new(parts.front, parts.front_line);
        let line = |span: std::ops::Range<usize>| lines.at(span.start);
        let before = problems.len();

        let id_line = line(front.id.span());
        let id = u32::try_from(*front.id.get_ref()).ok().filter(|&id| id > 0);
        match id {
            Some(id) => {
                self.id = Some(IdUse {
                    id,
                    path: path.to_path_buf(),
                    line: id_line,
                })
            }
            None => problems.push(Problem::at(
                path,
                id_line,
                format!(
                    "`id` must be a whole number from 1 to {}, found `{}`",
                    u32::MAX,
                    front.id.get_ref()
                ),
            )),
        }
        let difficulty = match front.difficulty.get_ref().parse::<Difficulty>() {
            Ok(difficulty) => Some(difficulty),
            Err(err) => {
                let at = line(front.difficulty.span());
                problems.push(Problem::at(path, at, err.to_string()));
                None
            }
        };
        let title_line = line(front.title.span());
        let title = keep(problems, non_empty(path, "title", front.title, title_line));
        let summary_line = line(front.summary.span());
        let summary = keep(
            problems,
            non_empty(path, "summary", front.summary, summary_line),
        );

        // Sets beside the lists, so a file listing thousands of tags or ids is not checked in
        // quadratic time.
        let mut tags = Vec::new();
        let mut seen_tags = HashSet::new();
        for tag in front.tags {
            let at = line(tag.span());
            let tag = tag.into_inner();
            if !is_slug(&tag) {
                problems.push(Problem::at(
                    path,
                    at,
                    format!(
                        "tag `{tag}` must be lowercase letters and digits joined by hyphens, \
                         e.g. `design-patterns`"
                    ),
                ));
            } else if !seen_tags.insert(tag.clone()) {
                problems.push(Problem::at(
                    path,
                    at,
                    format!("tag `{tag}` is listed twice"),
                ));
            } else {
                tags.push(tag);
            }
        }

        let mut related = Vec::new();
        let mut seen_related = HashSet::new();
        for other in front.related {
            let at = line(other.span());
            let value = *other.get_ref();
            match u32::try_from(value).ok().filter(|&other| other > 0) {
                None => problems.push(Problem::at(
                    path,
                    at,
                    format!("`related` ids are whole numbers from 1, found `{value}`"),
                )),
                Some(other) if Some(other) == id => problems.push(Problem::at(
                    path,
                    at,
                    format!("`related` names the question's own id {other}"),
                )),
                Some(other) if !seen_related.insert(other) => problems.push(Problem::at(
                    path,
                    at,
                    format!("`related` lists id {other} twice"),
                )),
                Some(other) => {
                    related.push(other);
                    self.related.push(IdUse {
                        id: other,
                        path: path.to_path_buf(),
                        line: at,
                    });
                }
            }
        }

        let reviewed = front.reviewed.and_then(|value| {
            let at = line(value.span());
            review_date(value.get_ref(), today())
                .map_err(|message| problems.push(Problem::at(path, at, message)))
                .ok()
        });

        if let Some(answer) = &answer {
            self.links
                .extend(answer.question_links.iter().map(|&(id, line)| IdUse {
                    id,
                    path: path.to_path_buf(),
                    line,
                }));
        }

        if problems.len() > before {
            return None;
        }
        let (id, title, summary, difficulty, answer) =
            (id?, title?, summary?, difficulty?, answer?);
        Some(Question {
            id,
            slug: title_slug(&title),
            title,
            category: category.to_string(),
            difficulty,
            tags,
            summary,
            related,
            answer,
            source: path.to_path_buf(),
            reviewed,
        })
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

/// The value, or `None` with its problem added to `problems`, so reading goes on to find the next
/// one.
fn keep<T>(problems: &mut Vec<Problem>, result: Result<T, Problem>) -> Option<T> {
    result.map_err(|problem| problems.push(problem)).ok()
}

/// A file's bytes as text: authors' editors add a byte-order mark or CRLF line ends, which change
/// nothing for the reader, while any other encoding would turn into mojibake on the page.
fn decode_text(path: &Path, bytes: &[u8]) -> Result<String, Problem> {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            Ok(text.replace("\r\n", "\n"))
        }
        Err(err) => {
            let valid = err.valid_up_to();
            let line = 1 + bytes[..valid].iter().filter(|&&b| b == b'\n').count();
            let byte = bytes.get(valid).copied().unwrap_or_default();
            Err(Problem::at(
                path,
                line,
                format!(
                    "the file is not valid UTF-8 (byte {valid} is 0x{byte:02x}): save it as UTF-8"
                ),
            ))
        }
    }
}

fn toml_in<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    first_line: usize,
) -> Result<T, Problem> {
    front_matter::parse_toml(text, first_line)
        .map_err(|(line, message)| Problem::at(path, line, message))
}

/// A required text field, trimmed; blank counts as missing, since a page or link preview with an
/// empty title or summary is broken.
fn non_empty(
    path: &Path,
    key: &str,
    value: toml::Spanned<String>,
    line: usize,
) -> Result<String, Problem> {
    let value = value.into_inner().trim().to_string();
    if value.is_empty() {
        return Err(Problem::at(path, line, format!("`{key}` is empty")));
    }
    Ok(value)
}

/// A file or folder name that the loader reads: not hidden (`.git`) and not reserved (`_…`).
fn visible_name(path: &Path) -> Option<&str> {
    path.file_name()
        .and_then(|name| name.to_str())
        .filter(|name| !name.starts_with('.') && !name.starts_with('_'))
}

/// Lowercase ASCII letters and digits in hyphen-joined words: safe in a URL as it is.
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
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
    fn slugs_are_hyphen_joined_lowercase_words() {
        let cases = [
            ("cpython", true),
            ("design-patterns", true),
            ("python3", true),
            ("", false),
            ("Design", false),
            ("a--b", false),
            ("-a", false),
            ("a b", false),
            ("a_b", false),
            ("é", false),
        ];
        for (input, expected) in cases {
            assert_eq!(is_slug(input), expected, "{input:?}");
        }
    }

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

    #[test]
    fn the_checksum_depends_on_relative_paths_and_bytes_not_on_the_folder_or_read_order() {
        let files = |root: &str, order: [(&str, u128); 2]| -> Vec<(PathBuf, u128)> {
            order
                .iter()
                .map(|(name, hash)| (Path::new(root).join(name), *hash))
                .collect()
        };
        let here = checksum(
            Path::new("/srv/a"),
            &files("/srv/a", [("site.toml", 1), ("basics/001.md", 2)]),
        );
        let there = checksum(
            Path::new("/tmp/b"),
            &files("/tmp/b", [("basics/001.md", 2), ("site.toml", 1)]),
        );
        assert_eq!(here, there);
        assert_eq!(here.len(), 32);
        let edited = checksum(
            Path::new("/srv/a"),
            &files("/srv/a", [("site.toml", 1), ("basics/001.md", 3)]),
        );
        assert_ne!(here, edited);
        let renamed = checksum(
            Path::new("/srv/a"),
            &files("/srv/a", [("site.toml", 1), ("basics/002.md", 2)]),
        );
        assert_ne!(here, renamed);
    }
}
