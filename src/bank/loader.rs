//! Reads a content folder into a [`Bank`]: walks its category folders, reads `site.toml`, each
//! `_category.toml`, `synonyms.toml` and `rubric.toml`, hands each question file to
//! [`QuestionFile`], and checks the rules across files, collecting every problem before giving
//! up, so one run of `drillbook check` shows them all. Answers are rendered last, once every
//! question's path is known, so links between them point at the linked question's page.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::front_matter::{CategoryFile, GroupFile, SiteFile, line_of};
use super::links::QuestionPaths;
use super::model::{Bank, Category, Group, Question, Site};
use super::problem::{LoadError, Problem};
use super::question_file::{IdUse, ParsedQuestion, QuestionFile};
use super::rubric::{self, RUBRIC_FILE, Rubric};
use super::rules::{decode_text, is_slug, keep, non_empty, toml_in};
use super::synonyms::{self, SYNONYMS_FILE, Synonyms};
use super::title::{self, MAX_SITE_TITLE_CHARS, MAX_TITLE_CHARS};

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
    let (categories, parsed) = loader.categories(root);
    loader.check_ids();
    // A bank with problems is never served, so its answers are not rendered.
    let questions = if loader.problems.is_empty() {
        render(parsed)
    } else {
        Vec::new()
    };
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

/// Every question rendered, each link between answers pointing at the linked question's page.
fn render(parsed: Vec<ParsedQuestion>) -> Vec<Question> {
    let paths = QuestionPaths::new(
        parsed
            .iter()
            .map(|parsed| (parsed.question.id, parsed.question.slug.as_str())),
    );
    parsed.into_iter().map(|q| q.render(&paths)).collect()
}

/// What the walk has found so far. The checks across files run on every file whose front matter
/// could be read, even one with problems of its own, so nothing hides behind another problem.
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
        let title_line = line_of(&text, file.title.span().start, 1);
        let title = self
            .non_empty(&path, &text, "title", file.title)
            .and_then(|title| self.keep(site_title(&path, title_line, title)));
        // `Some(None)` when the file has a headline that is wrong (its problem listed).
        let headline = file
            .headline
            .map(|value| self.headline(&path, &text, value, title.as_deref()));
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
        let headline = match headline {
            Some(None) => return None,
            headline => headline.flatten(),
        };
        Some(Site {
            title: title?,
            description: description?,
            base_url: base_url_ok.then_some(base_url)?,
            headline,
        })
    }

    /// The home page's headline, when the site's name (`site`) is known: it must fit the page's
    /// `<title>` beside the name uncut.
    fn headline(
        &mut self,
        path: &Path,
        text: &str,
        value: toml::Spanned<String>,
        site: Option<&str>,
    ) -> Option<String> {
        let line = line_of(text, value.span().start, 1);
        let headline = self.non_empty(path, text, "headline", value)?;
        self.keep(headline_beside(path, line, headline, site?))
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

    fn categories(&mut self, root: &Path) -> (Vec<Category>, Vec<ParsedQuestion>) {
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
        questions: Option<&[ParsedQuestion]>,
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
        questions: Option<&[ParsedQuestion]>,
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
            } else if questions.is_some_and(|qs| !qs.iter().any(|q| q.question.tags.contains(&tag)))
            {
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

    fn question(&mut self, path: &Path, category: &str) -> Option<ParsedQuestion> {
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

/// The site's name, short enough to end every page's `<title>` and leave the page room.
fn site_title(path: &Path, line: usize, title: String) -> Result<String, Problem> {
    let length = title.chars().count();
    if length > MAX_SITE_TITLE_CHARS {
        return Err(Problem::at(
            path,
            line,
            format!(
                "`title` ends every page's title, so it must be at most {MAX_SITE_TITLE_CHARS} \
                 characters; it has {length}"
            ),
        ));
    }
    Ok(title)
}

/// The home page's headline, which must fit its `<title>` beside the site's name uncut.
fn headline_beside(
    path: &Path,
    line: usize,
    headline: String,
    site: &str,
) -> Result<String, Problem> {
    let length = title::length_with_site(&headline, site);
    if length > MAX_TITLE_CHARS {
        return Err(Problem::at(
            path,
            line,
            format!(
                "`headline` and the site's name make the home page's title `{}`, {length} \
                 characters: search results show at most {MAX_TITLE_CHARS}, so shorten it",
                title::with_site(&headline, site)
            ),
        ));
    }
    Ok(headline)
}

/// A file or folder name that the loader reads: not hidden (`.git`) and not reserved (`_…`).
fn visible_name(path: &Path) -> Option<&str> {
    path.file_name()
        .and_then(|name| name.to_str())
        .filter(|name| !name.starts_with('.') && !name.starts_with('_'))
}

#[cfg(test)]
mod tests {
    use super::*;

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
