//! `synonyms.toml`: the words people search with that the answers do not use (`k8s`, `db`,
//! `tz`), each with the words of the bank it stands for. Search applies them at query time, so
//! the index holds only what the answers say.
//!
//! ```toml
//! k8s = ["kubernetes"]
//! iac = ["infrastructure as code", "terraform"]
//! ```

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use toml::Spanned;

use super::front_matter::{Lines, parse_toml};
use super::model::Question;
use super::problem::Problem;

/// The file at the top of the content folder that holds them; optional.
pub const SYNONYMS_FILE: &str = "synonyms.toml";

/// Each word people type, lowercase, with what it stands for: words or phrases of the bank.
pub type Synonyms = BTreeMap<String, Vec<String>>;

/// Reads `synonyms.toml`. `questions` are the bank's, when they all loaded: every target must be
/// made of words they contain (left unchecked when they are `None`, as their problems come
/// first). Every problem is returned, each at its line.
pub(crate) fn parse(
    path: &Path,
    text: &str,
    questions: Option<&[Question]>,
) -> Result<Synonyms, Vec<Problem>> {
    let entries: BTreeMap<String, Spanned<Vec<Spanned<String>>>> =
        parse_toml(text, 1).map_err(|(line, message)| vec![Problem::at(path, line, message)])?;
    let lines = Lines::new(text, 1);
    let vocabulary = questions.map(vocabulary);
    let mut problems = Vec::new();
    let mut synonyms = Synonyms::new();
    for (word, targets) in entries {
        let line = lines.at(targets.span().start);
        let mut fail = |message: String| problems.push(Problem::at(path, line, message));
        if word.is_empty()
            || !word
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        {
            fail(format!(
                "`{word}`: a synonym is one word people type, in lowercase letters and digits"
            ));
            continue;
        }
        let targets = targets.into_inner();
        if targets.is_empty() {
            fail(format!(
                "`{word}` stands for nothing: list the words of the bank it means, or remove it"
            ));
            continue;
        }
        let mut kept = Vec::new();
        for target in targets {
            let line = lines.at(target.span().start);
            let mut fail = |message: String| problems.push(Problem::at(path, line, message));
            let target = target.into_inner();
            let words: Vec<&str> = target.split_whitespace().collect();
            if words.is_empty() {
                fail(format!("`{word}` lists an empty word"));
            } else if target != target.to_lowercase() || words.join(" ") != target {
                fail(format!(
                    "`{word}`: write `{target}` in lowercase, words separated by one space"
                ));
            } else if words.contains(&word.as_str()) {
                fail(format!(
                    "`{word}` names itself in `{target}`: a synonym leads to other words"
                ));
            } else if kept.contains(&target) {
                fail(format!("`{word}` lists `{target}` twice"));
            } else if let Some(missing) = vocabulary
                .as_ref()
                .and_then(|known| words.iter().find(|w| !known.contains(**w)))
            {
                fail(format!(
                    "`{word}` stands for `{target}`, but no question contains the word \
                     `{missing}`: a synonym must lead to words the bank has"
                ));
            } else {
                kept.push(target);
            }
        }
        synonyms.insert(word, kept);
    }
    if problems.is_empty() {
        Ok(synonyms)
    } else {
        Err(problems)
    }
}

/// Every word of the questions, lowercase: titles, summaries, tags, answers, follow-ups, key
/// points and code.
fn vocabulary(questions: &[Question]) -> HashSet<String> {
    let mut words = HashSet::new();
    for q in questions {
        let answer = &q.answer;
        let key_points = answer.key_points_text(" ");
        let follow_ups = answer.follow_ups_text();
        let texts = [&q.title, &q.summary, &answer.text, &key_points, &follow_ups]
            .into_iter()
            .map(String::as_str)
            .chain(q.tags.iter().map(String::as_str))
            .chain(answer.all_code_blocks().map(|b| b.code.as_str()));
        for text in texts {
            words.extend(
                text.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(str::to_lowercase),
            );
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(text: &str) -> Question {
        let markdown = format!("{text}\n\n## Key points\n- point\n");
        Question {
            id: 1,
            title: "What is Kubernetes?".into(),
            slug: "k".into(),
            category: "c".into(),
            difficulty: crate::bank::Difficulty::Easy,
            tags: vec!["devops".into()],
            summary: "Orchestration.".into(),
            related: Vec::new(),
            answer: crate::bank::answer::parse(&markdown, 1)
                .expect("answer")
                .render(&crate::bank::links::QuestionPaths::default()),
            source: "c/1.md".into(),
            reviewed: None,
        }
    }

    fn problems(text: &str) -> Vec<(usize, String)> {
        let questions = [question("Infrastructure as code, in Terraform.")];
        parse(Path::new("synonyms.toml"), text, Some(&questions))
            .expect_err("invalid")
            .into_iter()
            .map(|p| (p.line.unwrap_or(0), p.message))
            .collect()
    }

    #[test]
    fn entries_map_a_typed_word_to_words_of_the_bank() {
        let questions = [question("Infrastructure as code, in Terraform.")];
        let text = "k8s = [\"kubernetes\"]\niac = [\"infrastructure as code\", \"terraform\"]\n";
        let synonyms = parse(Path::new("s.toml"), text, Some(&questions)).expect("valid");
        assert_eq!(synonyms["k8s"], ["kubernetes"]);
        assert_eq!(synonyms["iac"], ["infrastructure as code", "terraform"]);
    }

    #[test]
    fn each_bad_entry_is_reported_at_its_line() {
        let cases: [(&str, (usize, &str)); 7] = [
            ("k8s = []\n", (1, "`k8s` stands for nothing")),
            ("\nk8s = [\"\"]\n", (2, "`k8s` lists an empty word")),
            ("k8s = [\"k8s\"]\n", (1, "`k8s` names itself")),
            (
                "K8s = [\"kubernetes\"]\n",
                (1, "in lowercase letters and digits"),
            ),
            (
                "k8s = [\"Kubernetes\"]\n",
                (1, "write `Kubernetes` in lowercase"),
            ),
            (
                "k8s = [\"kubernetes\", \"kubernetes\"]\n",
                (1, "lists `kubernetes` twice"),
            ),
            (
                "k8s = [\n  \"kubernetes\",\n  \"helm charts\",\n]\n",
                (3, "no question contains the word `helm`"),
            ),
        ];
        for (text, (line, message)) in cases {
            let found = problems(text);
            assert_eq!(found.len(), 1, "{text:?}: {found:?}");
            assert_eq!(found[0].0, line, "{text:?}: {found:?}");
            assert!(found[0].1.contains(message), "{text:?}: {}", found[0].1);
        }
        let bad_toml = problems("k8s = \"kubernetes\"\n");
        assert!(bad_toml[0].1.contains("invalid type"), "{bad_toml:?}");
    }
}
