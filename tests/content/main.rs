//! The shipped content: it loads, its Python examples run and print what they claim, titles match
//! the user's list verbatim, and answers meet the bank's writing standards.

mod python;
mod search;

use std::collections::HashMap;
use std::path::Path;

use drillbook::bank::{self, Bank, Question};

fn shipped() -> Bank {
    bank::load(Path::new("content")).unwrap_or_else(|err| panic!("content/ does not load:\n{err}"))
}

/// `(category, title)` by id, from the user's list of 150 questions.
fn seed() -> HashMap<u32, (String, String)> {
    include_str!("../data/seed-questions.tsv")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| {
            let mut fields = line.splitn(3, '\t');
            let mut next = || {
                fields
                    .next()
                    .expect("three tab-separated fields")
                    .to_string()
            };
            let id = next().parse().expect("numeric id");
            (id, (next(), next()))
        })
        .collect()
}

#[test]
fn the_seed_list_has_150_questions() {
    let seed = seed();
    assert_eq!(seed.len(), 150);
    assert!((1..=150).all(|id| seed.contains_key(&id)));
}

#[test]
fn every_question_matches_the_seed_list_verbatim() {
    let seed = seed();
    let bank = shipped();
    for q in bank.questions() {
        let (category, title) = seed.get(&q.id).unwrap_or_else(|| {
            panic!(
                "{}: id {} is not in the seed list",
                q.source.display(),
                q.id
            )
        });
        assert_eq!(
            &q.title,
            title,
            "{}: title differs from the seed",
            q.source.display()
        );
        assert_eq!(
            &q.category,
            category,
            "{}: wrong category folder",
            q.source.display()
        );
    }
}

#[test]
fn python_examples_run_and_print_what_they_claim() {
    let bank = shipped();
    let scratch = tempfile::tempdir().expect("temp dir");
    let blocks: Vec<(&Question, &bank::CodeBlock)> = bank
        .questions()
        .flat_map(|q| q.answer.all_code_blocks().map(move |b| (q, b)))
        .filter(|(_, b)| python::is_python(b))
        .collect();
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(2);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = blocks
            .chunks(blocks.len().div_ceil(workers).max(1))
            .map(|chunk| {
                let scratch = scratch.path();
                scope.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|(q, b)| {
                            python::check(q, b, scratch)
                                .err()
                                .map(|e| format!("{}:{}: {e}", q.source.display(), b.line))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker"))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} python blocks failed:\n{}",
        failures.len(),
        blocks.len(),
        failures.join("\n")
    );
}

#[test]
fn output_markers_are_read_in_order() {
    let code = "print(1)  # -> 1\nx = '# not a marker'\n# -> two words \nprint('#')  # ->\n";
    assert_eq!(python::expected_output(code), ["1", "two words", ""]);
}

#[test]
fn answers_meet_the_writing_standards() {
    let bank = shipped();
    let mut problems = Vec::new();
    for q in bank.questions() {
        let mut fail =
            |message: String| problems.push(format!("{}: {message}", q.source.display()));
        let key_point_words: usize = q.answer.key_points.iter().map(|p| words(&p.text)).sum();
        let prose = words(&q.answer.text) + key_point_words;
        if !(150..=400).contains(&prose) {
            fail(format!("{prose} words of prose; answers have 150-400"));
        }
        if !(3..=6).contains(&q.answer.key_points.len()) {
            fail(format!(
                "{} key points; answers have 3-6",
                q.answer.key_points.len()
            ));
        }
        if !(2..=5).contains(&q.tags.len()) {
            fail(format!("{} tags; questions have 2-5", q.tags.len()));
        }
        if !(2..=5).contains(&q.related.len()) {
            fail(format!(
                "{} related ids; questions have 2-5",
                q.related.len()
            ));
        }
        if q.summary.chars().count() > 200 {
            fail(format!(
                "summary is {} characters; keep it to 200 for link previews",
                q.summary.chars().count()
            ));
        }
        if q.reviewed.is_none() {
            fail("no `reviewed` date: add the day the answer was checked".to_string());
        }
        if !(2..=4).contains(&q.answer.follow_ups.len()) {
            fail(format!(
                "{} follow-ups; the shipped bank has 2-4",
                q.answer.follow_ups.len()
            ));
        }
        for follow_up in &q.answer.follow_ups {
            let count = sentences(&follow_up.text);
            if !(2..=5).contains(&count) || follow_up.text.trim().is_empty() {
                fail(format!(
                    "line {}: the follow-up's answer has {count} sentences; write 2-5",
                    follow_up.line
                ));
            }
            if !follow_up.question.ends_with('?') {
                fail(format!(
                    "line {}: a follow-up is a question; end `{}` with `?`",
                    follow_up.line, follow_up.question
                ));
            }
        }
        // A screen reader announces each cell with its column's header, so none may be blank.
        if q.answer.html.contains("<th></th>") {
            fail("a table has an empty header cell; name the column".to_string());
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn grouped_categories_leave_no_question_without_a_heading() {
    let bank = shipped();
    for category in bank.categories().iter().filter(|c| !c.groups.is_empty()) {
        for section in bank.sections(category) {
            if let (None, [first, ..]) = (section.group, section.questions.as_slice()) {
                panic!(
                    "{}: no tag names a group of {}; put one of {:?} first",
                    first.source.display(),
                    category.slug,
                    category.groups.iter().map(|g| &g.tag).collect::<Vec<_>>()
                );
            }
        }
    }
}

/// Sentences of plain text, roughly: runs ending in `.`, `!` or `?` followed by a space or the
/// end. Code and abbreviations such as `e.g.` make it approximate, so the range it checks is wide.
fn sentences(text: &str) -> usize {
    let text = text.trim();
    let ends = text
        .char_indices()
        .filter(|&(i, c)| {
            matches!(c, '.' | '!' | '?')
                && text[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
        })
        .count();
    let trailing = !text.ends_with(['.', '!', '?']) && !text.is_empty();
    ends + usize::from(trailing)
}

#[test]
fn sentences_are_counted_at_their_ends() {
    assert_eq!(sentences("One. Two? Three!"), 3);
    assert_eq!(sentences("A call to f(x.y) ends here. And then"), 2);
    assert_eq!(sentences(""), 0);
}

fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

#[actix_web::test]
async fn every_shipped_question_has_its_page_in_its_category_and_under_its_tags() {
    use actix_web::test;
    use drillbook::web::urls::{Paths, tag_path};

    let state =
        actix_web::web::Data::new(drillbook::web::AppState::new(shipped(), None).expect("state"));
    let app = test::init_service(drillbook::web::app(state.clone())).await;
    let get = |uri: String| {
        let app = &app;
        async move {
            let response =
                test::call_service(app, test::TestRequest::get().uri(&uri).to_request()).await;
            let status = response.status();
            let body = String::from_utf8_lossy(&test::read_body(response).await).into_owned();
            (status, body)
        }
    };
    let h1 = scraper::Selector::parse("h1").expect("selector");
    let bank = &state.content.bank;
    for category in bank.categories() {
        let (status, listing) = get(category.path()).await;
        assert_eq!(status, 200, "{}", category.path());
        for q in bank.questions_in(category) {
            assert!(
                listing.contains(&format!("href=\"{}\"", q.path())),
                "{} not listed in {}",
                q.id,
                category.slug
            );
        }
    }
    let links = scraper::Selector::parse("a[href^='/questions/']").expect("selector");
    for q in bank.questions() {
        let (status, page) = get(q.path()).await;
        assert_eq!(status, 200, "{}", q.path());
        let html = scraper::Html::parse_document(&page);
        for link in html.select(&links) {
            let href = link.value().attr("href").unwrap_or_default();
            let path = href.split('#').next().unwrap_or_default();
            assert!(
                bank.questions().any(|other| other.path() == path),
                "{}: links to {href}, which is not a question's canonical URL",
                q.path()
            );
        }
        let heading: Vec<String> = html.select(&h1).map(|e| e.text().collect()).collect();
        assert_eq!(
            heading,
            std::slice::from_ref(&q.title),
            "{}: the h1 is the title, verbatim",
            q.path()
        );
        for tag in &q.tags {
            let (status, tagged) = get(tag_path(tag)).await;
            assert_eq!(status, 200, "{}", tag_path(tag));
            assert!(
                tagged.contains(&format!("href=\"{}\"", q.path())),
                "{} not under tag {tag}",
                q.id
            );
        }
    }
}

/// The TOML between the first two `+++` lines of `text`.
fn front_matter(text: &str, what: &str) -> toml::Table {
    let body = text
        .split_once("+++\n")
        .and_then(|(_, rest)| rest.split_once("+++\n"))
        .map(|(front, _)| front)
        .unwrap_or_else(|| panic!("{what} has no +++ front matter"));
    toml::from_str(body).unwrap_or_else(|err| panic!("{what}'s front matter: {err}"))
}

#[test]
fn the_readme_front_matter_example_is_a_real_question_file() {
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    let (_, example) = readme
        .split_once("````markdown\n")
        .expect("the README's question-file example");
    let example = front_matter(example, "the README's example");
    let id = example
        .get("id")
        .and_then(toml::Value::as_integer)
        .expect("the example has an id");
    let bank = shipped();
    let question = bank
        .questions()
        .find(|q| i64::from(q.id) == id)
        .unwrap_or_else(|| panic!("no question {id}"));
    let file = std::fs::read_to_string(&question.source).expect("the question's file");
    assert_eq!(
        example,
        front_matter(&file, &question.source.display().to_string()),
        "the README's example front matter differs from {}",
        question.source.display()
    );
    assert!(
        readme.contains(&format!("`{}`", question.source.display())),
        "the README names the file it copies"
    );
}
