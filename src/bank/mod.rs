//! The question bank: every category and question of a content folder, validated and rendered
//! once at start-up, then shared read-only by every request.
//!
//! Nothing here knows about HTTP or templates, so the same bank serves the website, `drillbook
//! check` and, later, search and the mock interview.

mod answer;
mod front_matter;
mod highlight;
mod links;
mod loader;
pub mod markdown;
mod model;
mod problem;
mod question_file;
mod rubric;
mod rules;
mod synonyms;
pub mod title;

pub use answer::{Answer, CodeBlock, FollowUp, KeyPoint, MAX_FOLLOW_UPS};
pub use links::{Html, question_path};
pub use loader::load;
pub use model::{
    Bank, Category, Difficulty, Group, Position, Question, Section, Site, UnknownDifficulty,
};
pub use problem::{LoadError, Problem};
pub use question_file::parse_question_file;
pub use rubric::{Dimension, MAX_DIMENSIONS, RUBRIC_FILE, RUBRIC_LEVELS, Rubric};
pub use synonyms::{SYNONYMS_FILE, Synonyms};
