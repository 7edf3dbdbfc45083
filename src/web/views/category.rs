//! A category's page: its questions in order, optionally of one difficulty.

use askama::Template;

use super::card::CardOf;
use super::deck::DeckLinks;
use super::{Content, Layout, Meta, Rendered, ViewError};
use crate::bank::{Category, Difficulty, Group, Question};
use crate::web::urls::{Paths, category_filter_path, study_path};

/// One of the difficulty filter links above the list.
struct FilterLink {
    label: &'static str,
    href: String,
    count: usize,
    current: bool,
}

/// Questions under one sub-heading of the page, after the difficulty filter.
struct SectionView<'a> {
    group: Option<&'a Group>,
    questions: Vec<&'a Question>,
    /// The number the section's first question has on the page: numbering runs on across
    /// sections, as "Question 8 of 60" on a question page does.
    first_number: usize,
}

impl SectionView<'_> {
    /// The heading's fragment id, for the page's table of contents.
    fn anchor(&self) -> String {
        match self.group {
            Some(group) => format!("group-{}", group.tag),
            None => "ungrouped".to_string(),
        }
    }

    fn title(&self) -> &str {
        self.group.map_or("Other questions", |g| g.title.as_str())
    }
}

#[derive(Template)]
#[template(path = "category.html")]
struct CategoryPage<'a> {
    layout: &'a Layout,
    meta: Meta,
    category: &'a Category,
    filters: Vec<FilterLink>,
    difficulty: Option<Difficulty>,
    /// Non-empty sections; a category without groups has one, shown without a heading.
    sections: Vec<SectionView<'a>>,
    /// The first listed question in study mode; `None` when the list is empty.
    study_href: Option<String>,
    /// The category's decks (all of its questions, whatever the filter).
    decks: DeckLinks,
}

impl CategoryPage<'_> {
    fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }

    /// Whether the list is shown under sub-headings with a table of contents.
    fn has_headings(&self) -> bool {
        !self.category.groups.is_empty()
    }

    /// How many questions the page lists.
    fn shown_count(&self) -> usize {
        self.sections.iter().map(|s| s.questions.len()).sum()
    }
}

/// A category's page, with only the questions of `difficulty` when given.
pub fn render(
    content: &Content,
    category: &Category,
    difficulty: Option<Difficulty>,
) -> Result<Rendered, ViewError> {
    let bank = &content.bank;
    let all: Vec<&Question> = bank.questions_in(category).collect();
    let count = |d: Option<Difficulty>| {
        all.iter()
            .filter(|q| d.is_none_or(|d| q.difficulty == d))
            .count()
    };

    let mut filters = vec![FilterLink {
        label: "All",
        href: category_filter_path(category, None),
        count: all.len(),
        current: difficulty.is_none(),
    }];
    filters.extend(Difficulty::ALL.into_iter().map(|d| FilterLink {
        label: d.label(),
        href: category_filter_path(category, Some(d)),
        count: count(Some(d)),
        current: difficulty == Some(d),
    }));

    let title = match difficulty {
        Some(d) => format!("{} questions in {}", d.label(), category.title),
        None => category.title.clone(),
    };
    let description = format!(
        "{} {} interview questions with answers.",
        category.description,
        all.len()
    );
    let sections: Vec<SectionView> = bank
        .sections(category)
        .into_iter()
        .map(|section| {
            let shown: Vec<&Question> = section
                .questions
                .into_iter()
                .filter(|q| difficulty.is_none_or(|d| q.difficulty == d))
                .collect();
            (section.group, shown)
        })
        .filter(|(_, shown)| !shown.is_empty())
        .scan(1, |next, (group, questions)| {
            let first_number = *next;
            *next += questions.len();
            Some(SectionView {
                group,
                questions,
                first_number,
            })
        })
        .collect();
    let study_href = sections
        .first()
        .and_then(|s| s.questions.first())
        .map(|first| study_path(first, difficulty));
    super::html(&CategoryPage {
        layout: &content.layout,
        meta: Meta::new(title, description, category.path())
            .with_card(CardOf::Category(category).link(content)),
        category,
        filters,
        difficulty,
        sections,
        study_href,
        decks: DeckLinks::of(Some(category)),
    })
}
