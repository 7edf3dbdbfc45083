//! An interview's questions as its pages list them: numbered in the order asked, and grouped by
//! category for the results' score per category.

use crate::bank::{Bank, Category, Question};

use super::Interview;

/// One question of an interview, numbered from 1 in the order asked, with its category.
#[derive(Debug)]
pub struct Asked<'a> {
    /// Its number in the interview.
    pub number: usize,
    /// The question.
    pub question: &'a Question,
    /// Its category (always there in one bank).
    pub category: Option<&'a Category>,
}

/// The questions of one category, with the key points they have between them.
#[derive(Debug)]
pub struct CategoryResults<'a> {
    /// The category.
    pub category: Option<&'a Category>,
    /// Its questions, in the order asked.
    pub rows: Vec<Asked<'a>>,
    /// Their key points, counted.
    pub points: usize,
}

impl<'a> Interview<'a> {
    /// The questions in the order asked.
    pub fn asked(&self, bank: &'a Bank) -> Vec<Asked<'a>> {
        self.questions
            .iter()
            .enumerate()
            .map(|(i, question)| Asked {
                number: i + 1,
                question,
                category: bank.category(&question.category),
            })
            .collect()
    }

    /// The `number`th question (from 1), if the interview has one.
    pub fn asked_at(&self, bank: &'a Bank, number: usize) -> Option<Asked<'a>> {
        let question = *self.questions.get(number.checked_sub(1)?)?;
        Some(Asked {
            number,
            question,
            category: bank.category(&question.category),
        })
    }

    /// The questions by category, in the site's order of categories, each in the order asked.
    pub fn by_category(&self, bank: &'a Bank) -> Vec<CategoryResults<'a>> {
        let mut groups: Vec<CategoryResults<'a>> = Vec::new();
        for row in self.asked(bank) {
            let question = row.question;
            let points = question.answer.key_points.len();
            match groups
                .iter_mut()
                .find(|g| g.category.map(|c| c.slug.as_str()) == Some(question.category.as_str()))
            {
                Some(group) => {
                    group.rows.push(row);
                    group.points += points;
                }
                None => groups.push(CategoryResults {
                    category: row.category,
                    rows: vec![row],
                    points,
                }),
            }
        }
        // A question whose category is gone (it cannot be, in one bank) would be listed last.
        groups.sort_by_key(|group| {
            group
                .category
                .and_then(|c| bank.categories().iter().position(|b| b.slug == c.slug))
                .unwrap_or(usize::MAX)
        });
        groups
    }
}
