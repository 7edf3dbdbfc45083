//! The loaded bank and the types it is made of. Everything here is immutable after loading.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use super::answer::Answer;
use super::rubric::Rubric;
use super::synonyms::Synonyms;

/// Site-wide settings from `content/site.toml`.
#[derive(Debug, Clone)]
pub struct Site {
    /// The site's name, shown in every page title.
    pub title: String,
    /// One line saying what the site is for; the home page's meta description.
    pub description: String,
    /// Absolute URL the site is served under, without a trailing slash. Canonical and Open Graph
    /// links are built from it, so shared links point at the public address, not the bind address.
    pub base_url: String,
    /// What the home page's `<title>` says before the site name, when set (else the site name is
    /// the whole title): the words people search for, within [`super::title::MAX_TITLE_CHARS`]
    /// with the name.
    pub headline: Option<String>,
}

/// How hard a question is for the candidate the bank is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Difficulty {
    /// Expected of anyone at the level.
    Easy,
    /// Needs real experience or a second layer of detail.
    Medium,
    /// Internals, trade-offs or design at depth.
    Hard,
}

impl Difficulty {
    /// Every difficulty, easiest first.
    pub const ALL: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard];

    /// The lowercase name used in front matter and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }

    /// The capitalised name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Difficulty::Easy => "Easy",
            Difficulty::Medium => "Medium",
            Difficulty::Hard => "Hard",
        }
    }
}

impl fmt::Display for Difficulty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A difficulty name that is not `easy`, `medium` or `hard`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`difficulty` must be easy, medium or hard, found `{0}`")]
pub struct UnknownDifficulty(pub String);

impl FromStr for Difficulty {
    type Err = UnknownDifficulty;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Difficulty::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| UnknownDifficulty(s.to_string()))
    }
}

/// A category: one folder of the content directory.
#[derive(Debug, Clone)]
pub struct Category {
    /// The folder name; used in URLs.
    pub slug: String,
    /// Display name, from `_category.toml`.
    pub title: String,
    /// One sentence about what the category covers.
    pub description: String,
    /// Position on the home page (ascending).
    pub order: i64,
    /// Sub-headings of the category page, in order; empty for a category short enough to read
    /// as one list.
    pub groups: Vec<Group>,
    /// Ids of the category's questions, ascending.
    pub question_ids: Vec<u32>,
}

/// A sub-heading of a long category page, gathering the questions that carry its tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The tag that puts a question under this heading.
    pub tag: String,
    /// The heading shown to people.
    pub title: String,
}

/// Questions of a category under one heading: a group, or `None` for those that fit no group
/// (and for every question of a category without groups).
#[derive(Debug, Clone)]
pub struct Section<'a> {
    /// The heading, if any.
    pub group: Option<&'a Group>,
    /// The section's questions, by ascending id.
    pub questions: Vec<&'a Question>,
}

/// One interview question with its answer.
#[derive(Debug, Clone)]
pub struct Question {
    /// Stable id, part of every shared link; never reused.
    pub id: u32,
    /// The question as asked, verbatim.
    pub title: String,
    /// URL-friendly form of the title; a wrong slug in a link redirects to this one.
    pub slug: String,
    /// Slug of the category the question's file sits in.
    pub category: String,
    /// How hard it is.
    pub difficulty: Difficulty,
    /// Topic tags, lowercase words joined by hyphens.
    pub tags: Vec<String>,
    /// The answer in one or two plain-text sentences (lists, search results, link previews).
    pub summary: String,
    /// Ids of questions worth reading next.
    pub related: Vec<u32>,
    /// The rendered answer.
    pub answer: Answer,
    /// The file the question was loaded from, for messages.
    pub source: PathBuf,
    /// When the answer was last checked against the documentation (front matter `reviewed`):
    /// shown on the page, and the sitemap's `lastmod` and the deck's note times follow it, so
    /// every replica serves the same bytes whatever its files' times.
    pub reviewed: Option<time::Date>,
}

/// Every question and category of a content folder, with the indexes pages need.
#[derive(Debug)]
pub struct Bank {
    site: Site,
    categories: Vec<Category>,
    questions: BTreeMap<u32, Question>,
    tags: BTreeMap<String, Vec<u32>>,
    category_index: HashMap<String, usize>,
    synonyms: Synonyms,
    rubric: Rubric,
    checksum: String,
}

impl Bank {
    /// Assembles a bank from validated parts. Categories without questions are dropped: the site
    /// shows only what can be read.
    pub(crate) fn new(
        site: Site,
        categories: Vec<Category>,
        questions: Vec<Question>,
        synonyms: Synonyms,
        rubric: Rubric,
        checksum: String,
    ) -> Bank {
        let questions: BTreeMap<u32, Question> = questions.into_iter().map(|q| (q.id, q)).collect();
        let mut categories: Vec<Category> = categories
            .into_iter()
            .map(|mut c| {
                c.question_ids = questions
                    .values()
                    .filter(|q| q.category == c.slug)
                    .map(|q| q.id)
                    .collect();
                c
            })
            .filter(|c| !c.question_ids.is_empty())
            .collect();
        categories.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.slug.cmp(&b.slug)));
        let category_index = categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.clone(), i))
            .collect();
        let mut tags: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for q in questions.values() {
            for tag in &q.tags {
                tags.entry(tag.clone()).or_default().push(q.id);
            }
        }
        Bank {
            site,
            categories,
            questions,
            tags,
            category_index,
            synonyms,
            rubric,
            checksum,
        }
    }

    /// What pair-practice interviewers rate answers on (the content's `rubric.toml`; no
    /// dimensions without one).
    pub fn rubric(&self) -> &Rubric {
        &self.rubric
    }

    /// The words people search with that the answers do not use, each with the words of the
    /// bank it stands for (the content's `synonyms.toml`; empty without one).
    pub fn synonyms(&self) -> &Synonyms {
        &self.synonyms
    }

    /// A checksum of every file the bank was read from (their paths and bytes): two servers
    /// with the same checksum serve the same bank, so their mock-interview links agree.
    pub fn checksum(&self) -> &str {
        &self.checksum
    }

    /// Site-wide settings.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Categories that have questions, in display order.
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// The category with this slug, if it has questions.
    pub fn category(&self, slug: &str) -> Option<&Category> {
        self.category_index.get(slug).map(|&i| &self.categories[i])
    }

    /// The question with this id.
    pub fn question(&self, id: u32) -> Option<&Question> {
        self.questions.get(&id)
    }

    /// Every question, by ascending id.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.questions.values()
    }

    /// Highlights the code of every answer now: loading leaves it for when a page first shows
    /// it, and this does the rest ahead of the visitors, off their requests' path.
    pub fn highlight_code(&self) {
        for question in self.questions() {
            question.answer.highlight_code();
        }
    }

    /// How many questions the bank holds.
    pub fn len(&self) -> usize {
        self.questions.len()
    }

    /// Whether the bank holds no question (a loaded bank never is; kept for completeness).
    pub fn is_empty(&self) -> bool {
        self.questions.is_empty()
    }

    /// The questions of a category, by ascending id.
    pub fn questions_in<'a>(
        &'a self,
        category: &'a Category,
    ) -> impl Iterator<Item = &'a Question> {
        category
            .question_ids
            .iter()
            .filter_map(|id| self.questions.get(id))
    }

    /// The questions of a category under its groups' headings, in the groups' order. A question
    /// goes under the first of its own tags that names a group, so an author decides by the order
    /// of `tags`; questions without such a tag come last, under no heading. Empty sections are
    /// left out.
    pub fn sections<'a>(&'a self, category: &'a Category) -> Vec<Section<'a>> {
        let mut sections: Vec<Section<'a>> = category
            .groups
            .iter()
            .map(|group| Section {
                group: Some(group),
                questions: Vec::new(),
            })
            .chain(std::iter::once(Section {
                group: None,
                questions: Vec::new(),
            }))
            .collect();
        let ungrouped = sections.len() - 1;
        for question in self.questions_in(category) {
            let index = question
                .tags
                .iter()
                .find_map(|tag| category.groups.iter().position(|g| &g.tag == tag))
                .unwrap_or(ungrouped);
            sections[index].questions.push(question);
        }
        sections.retain(|s| !s.questions.is_empty());
        sections
    }

    /// Every tag with the number of questions that carry it, alphabetically.
    pub fn tags(&self) -> impl Iterator<Item = (&str, usize)> {
        self.tags.iter().map(|(t, ids)| (t.as_str(), ids.len()))
    }

    /// The questions carrying a tag, by ascending id; `None` for a tag no question has.
    pub fn tagged(&self, tag: &str) -> Option<impl Iterator<Item = &Question>> {
        self.tags
            .get(tag)
            .map(|ids| ids.iter().filter_map(|id| self.questions.get(id)))
    }

    /// Where a question stands in its category, in the order the category's page lists them
    /// (by section, then id): its 1-based position, the category's size, and the previous and
    /// next questions.
    pub fn position(&self, question: &Question) -> Option<Position<'_>> {
        self.position_among(question, |_| true)
    }

    /// Like [`Bank::position`], counting only the category's questions that `keep` accepts (a
    /// study session through one difficulty, say); `None` if `keep` rejects `question` itself.
    pub fn position_among(
        &self,
        question: &Question,
        keep: impl Fn(&Question) -> bool,
    ) -> Option<Position<'_>> {
        let category = self.category(&question.category)?;
        let kept: Vec<&Question> = self
            .sections(category)
            .into_iter()
            .flat_map(|section| section.questions)
            .filter(|q| keep(q))
            .collect();
        let index = kept.iter().position(|q| q.id == question.id)?;
        Some(Position {
            category,
            number: index + 1,
            total: kept.len(),
            previous: index.checked_sub(1).and_then(|i| kept.get(i).copied()),
            next: kept.get(index + 1).copied(),
        })
    }

    /// The newest review date among the given questions.
    pub fn last_reviewed<'a>(
        questions: impl IntoIterator<Item = &'a Question>,
    ) -> Option<time::Date> {
        questions.into_iter().filter_map(|q| q.reviewed).max()
    }
}

/// A question's place within its category.
#[derive(Debug, Clone, Copy)]
pub struct Position<'a> {
    /// The category.
    pub category: &'a Category,
    /// 1-based position of the question in the category.
    pub number: usize,
    /// Number of questions in the category.
    pub total: usize,
    /// The question before, if any.
    pub previous: Option<&'a Question>,
    /// The question after, if any.
    pub next: Option<&'a Question>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn difficulty_parses_only_its_three_names() {
        let cases = [
            ("easy", Ok(Difficulty::Easy)),
            ("medium", Ok(Difficulty::Medium)),
            ("hard", Ok(Difficulty::Hard)),
            ("Hard", Err(UnknownDifficulty("Hard".into()))),
            ("medum", Err(UnknownDifficulty("medum".into()))),
            ("", Err(UnknownDifficulty("".into()))),
        ];
        for (input, expected) in cases {
            assert_eq!(input.parse::<Difficulty>(), expected, "input {input:?}");
        }
    }

    #[test]
    fn unknown_difficulty_message_names_the_value() {
        assert_eq!(
            UnknownDifficulty("medum".into()).to_string(),
            "`difficulty` must be easy, medium or hard, found `medum`"
        );
    }
}
