//! `rubric.toml`: what an interviewer rates each answer on in pair practice, and what each level
//! means. It is content, like the questions, so a team can rate what it cares about.
//!
//! ```toml
//! [[dimension]]
//! name = "Correctness"
//! description = "Is what they said right?"
//! levels = ["Wrong on the essentials", "Right in parts", "Right, small slips", "Right and precise"]
//! ```

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::front_matter::{Lines, parse_toml};
use super::problem::Problem;

/// The file at the top of the content folder that holds it; optional (without it interviewers
/// tick points and take notes, and rate nothing).
pub const RUBRIC_FILE: &str = "rubric.toml";

/// Levels every dimension has, rated 1 (the first description) to 4 (the last).
pub const RUBRIC_LEVELS: usize = 4;

/// Most dimensions a rubric may have: a few, so that rating a question takes seconds.
pub const MAX_DIMENSIONS: usize = 6;

/// What answers are rated on, in the order shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rubric {
    /// The dimensions, each rated 1 to 4.
    pub dimensions: Vec<Dimension>,
}

/// One thing rated, such as correctness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimension {
    /// A short name ("Correctness").
    pub name: String,
    /// The question the interviewer asks themselves ("Is what they said right?").
    pub description: String,
    /// What each level means, from level 1 to level 4.
    pub levels: [String; RUBRIC_LEVELS],
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RubricFile {
    #[serde(default)]
    dimension: Vec<Spanned<DimensionFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DimensionFile {
    name: String,
    description: String,
    levels: Vec<String>,
}

/// Longest dimension name, in characters: it labels a column of ratings.
const MAX_NAME: usize = 40;

/// Reads `rubric.toml`, returning every problem, each at its line.
pub(crate) fn parse(path: &Path, text: &str) -> Result<Rubric, Vec<Problem>> {
    let file: RubricFile =
        parse_toml(text, 1).map_err(|(line, message)| vec![Problem::at(path, line, message)])?;
    let lines = Lines::new(text, 1);
    let mut problems = Vec::new();
    if file.dimension.is_empty() {
        problems.push(Problem::at(
            path,
            1,
            "a rubric needs at least one `[[dimension]]`, with a name, a description and 4 levels",
        ));
    }
    if file.dimension.len() > MAX_DIMENSIONS {
        let line = lines.at(file.dimension[MAX_DIMENSIONS].span().start);
        problems.push(Problem::at(
            path,
            line,
            format!(
                "a rubric has at most {MAX_DIMENSIONS} dimensions, found {}: rating a question \
                 should take seconds",
                file.dimension.len()
            ),
        ));
    }
    let mut names = HashSet::new();
    let mut dimensions = Vec::new();
    for entry in file.dimension {
        let line = lines.at(entry.span().start);
        let dimension = entry.into_inner();
        let mut fail = |message: String| problems.push(Problem::at(path, line, message));
        let name = dimension.name.trim().to_string();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            fail(format!(
                "a dimension's name is 1 to {MAX_NAME} characters, found `{}`",
                dimension.name
            ));
        } else if !names.insert(name.to_lowercase()) {
            fail(format!("the dimension `{name}` is listed twice"));
        }
        let description = dimension.description.trim().to_string();
        if description.is_empty() {
            fail(format!("the dimension `{name}` has an empty description"));
        }
        let levels: Vec<String> = dimension
            .levels
            .iter()
            .map(|level| level.trim().to_string())
            .collect();
        if levels.iter().any(String::is_empty) {
            fail(format!("the dimension `{name}` has an empty level"));
        }
        match <[String; RUBRIC_LEVELS]>::try_from(levels) {
            Ok(levels) => dimensions.push(Dimension {
                name,
                description,
                levels,
            }),
            Err(levels) => fail(format!(
                "the dimension `{name}` has {} levels: it needs {RUBRIC_LEVELS}, from the weakest \
                 answer to the best",
                levels.len()
            )),
        }
    }
    if problems.is_empty() {
        Ok(Rubric { dimensions })
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<(usize, String)> {
        match parse(Path::new("rubric.toml"), text) {
            Ok(rubric) => panic!("accepted: {rubric:?}"),
            Err(problems) => problems
                .into_iter()
                .map(|p| (p.line.unwrap_or(0), p.message))
                .collect(),
        }
    }

    const LEVELS: &str = r#"levels = ["a", "b", "c", "d"]"#;

    #[test]
    fn a_rubric_is_its_dimensions_in_order() {
        let text = format!(
            "[[dimension]]\nname = \" Depth \"\ndescription = \"Why, not just what?\"\n{LEVELS}\n\n\
             [[dimension]]\nname = \"Clarity\"\ndescription = \"Easy to follow?\"\n{LEVELS}\n"
        );
        let rubric = parse(Path::new("rubric.toml"), &text).expect("valid");
        let names: Vec<&str> = rubric.dimensions.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["Depth", "Clarity"]);
        assert_eq!(rubric.dimensions[0].levels[3], "d");
    }

    #[test]
    fn every_problem_is_reported_at_its_line() {
        let text = format!(
            "[[dimension]]\nname = \"Depth\"\ndescription = \"x\"\nlevels = [\"a\", \"b\"]\n\n\
             [[dimension]]\nname = \"depth\"\ndescription = \" \"\n{LEVELS}\n\n\
             [[dimension]]\nname = \"\"\ndescription = \"x\"\nlevels = [\"a\", \"\", \"c\", \"d\"]\n"
        );
        let found = problems(&text);
        let lines: Vec<usize> = found.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [1, 6, 6, 11, 11], "{found:?}");
        assert!(found[0].1.contains("has 2 levels: it needs 4"), "{found:?}");
        assert!(found[1].1.contains("listed twice"), "{found:?}");
        assert!(found[2].1.contains("empty description"), "{found:?}");
        assert!(
            found[3].1.contains("name is 1 to 40 characters"),
            "{found:?}"
        );
        assert!(found[4].1.contains("empty level"), "{found:?}");
    }

    #[test]
    fn unknown_fields_bad_toml_and_empty_or_long_rubrics_are_refused() {
        let unknown = problems("[[dimension]]\nname = \"A\"\ncolour = \"red\"\n");
        assert_eq!(unknown.len(), 1);
        assert!(
            unknown[0].1.contains("unknown field `colour`"),
            "{unknown:?}"
        );
        let broken = problems("[[dimension]\n");
        assert_eq!(broken[0].0, 1);
        assert!(problems("")[0].1.contains("at least one `[[dimension]]`"));
        let seven: String = (0..7)
            .map(|i| format!("[[dimension]]\nname = \"D{i}\"\ndescription = \"x\"\n{LEVELS}\n"))
            .collect();
        let too_many = problems(&seven);
        assert_eq!(too_many.len(), 1);
        assert_eq!(too_many[0].0, 25, "{too_many:?}");
        assert!(too_many[0].1.contains("at most 6 dimensions, found 7"));
    }
}
