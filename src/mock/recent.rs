//! The questions of recently opened interviews. Picking them shuffles every question of the
//! chosen categories, so its cost grows with the bank (docs/PERFORMANCE.md has a figure), and a
//! candidate opens the same interview once per question and again for the results.

use std::sync::Arc;

use crate::bank::{Bank, Question};

use super::{Interview, OpenError, decode};

/// Interviews whose questions are kept.
const KEPT: usize = 4096;

/// Opens interviews, remembering the questions of recent ones by code.
pub struct RecentInterviews {
    picked: quick_cache::sync::Cache<String, Arc<[u32]>>,
}

impl std::fmt::Debug for RecentInterviews {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecentInterviews")
            .field("kept", &self.picked.len())
            .finish()
    }
}

impl Default for RecentInterviews {
    fn default() -> Self {
        RecentInterviews {
            picked: quick_cache::sync::Cache::new(KEPT),
        }
    }
}

impl RecentInterviews {
    /// [`Interview::open`], from memory when the code was opened recently. Every call must
    /// pass the same bank: the questions kept are the ids it gave.
    pub fn open<'a>(&self, bank: &'a Bank, code: &str) -> Result<Interview<'a>, OpenError> {
        if let Some(ids) = self.picked.get(code) {
            let questions: Option<Vec<&Question>> =
                ids.iter().map(|&id| bank.question(id)).collect();
            if let Some(questions) = questions {
                return Ok(Interview {
                    code: code.to_string(),
                    plan: decode(code)?,
                    questions,
                });
            }
        }
        let interview = Interview::open(bank, code)?;
        let ids: Arc<[u32]> = interview.questions.iter().map(|q| q.id).collect();
        self.picked.insert(code.to_string(), ids);
        Ok(interview)
    }
}
