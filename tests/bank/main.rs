//! The content loader against whole fixture banks, and `drillbook check` as a user runs it.

use std::fs;
use std::path::Path;
use std::process::Command;

mod hostile;
mod mock;
#[path = "../support/tree.rs"]
mod tree;

use drillbook::bank::{self, Difficulty};

const VALID: &str = "tests/fixtures/valid";
const INVALID: &str = "tests/fixtures/invalid";

#[test]
fn valid_bank_loads_with_its_indexes() {
    let bank = bank::load(Path::new(VALID)).expect("valid fixture loads");
    assert_eq!(bank.len(), 4);
    assert_eq!(
        bank.site().base_url,
        "https://drill.example",
        "trailing slash trimmed"
    );

    let slugs: Vec<&str> = bank.categories().iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(
        slugs,
        ["basics", "extras"],
        "ordered, and the empty category left out"
    );
    let basics = bank.category("basics").expect("basics");
    assert_eq!(basics.question_ids, [1, 2, 3]);

    let tags: Vec<(&str, usize)> = bank.tags().collect();
    assert_eq!(tags, [("alpha", 2), ("beta", 2), ("gamma", 1)]);
    let beta: Vec<u32> = bank.tagged("beta").expect("beta").map(|q| q.id).collect();
    assert_eq!(beta, [1, 10]);
    assert!(bank.tagged("nope").is_none());

    let second = bank.question(2).expect("question 2");
    assert_eq!(
        second.title, "What is the second question?",
        "BOM and CRLF accepted"
    );
    assert_eq!(second.difficulty, Difficulty::Medium);
    assert_eq!(second.answer.key_points.len(), 1);
    let position = bank.position(second).expect("position");
    assert_eq!((position.number, position.total), (2, 3));
    assert_eq!(position.previous.map(|q| q.id), Some(1));
    assert_eq!(position.next.map(|q| q.id), Some(3));

    let first = bank.question(1).expect("question 1");
    assert_eq!(first.slug, "what-is-the-first-question");
    assert_eq!(first.related, [2, 10]);
    assert_eq!(
        first.answer.code_blocks[0].line, 14,
        "code block line is the file's"
    );
    assert!(
        first
            .answer
            .html
            .contains(r#"<h2 id="answer-why">Why</h2>"#)
    );
    assert!(
        first
            .answer
            .sheet_html
            .contains(r#"<p class="answer-subheading"><strong>Why</strong></p>"#)
    );
}

#[test]
fn links_between_answers_point_at_the_linked_questions_canonical_page() {
    use drillbook::web::urls::Paths;
    let bank = bank::load(Path::new(VALID)).expect("valid fixture loads");
    let first = bank.question(1).expect("question 1");
    let second = bank.question(2).expect("question 2");
    let link = format!(r#"<a href="{}#why">the second</a>"#, second.path());
    assert!(first.answer.html.contains(&link), "{}", first.answer.html);
    assert!(
        first.answer.sheet_html.contains(&link),
        "{}",
        first.answer.sheet_html
    );
}

#[test]
fn category_groups_put_each_question_under_its_first_grouped_tag() {
    let bank = bank::load(Path::new("tests/fixtures/grouped")).expect("grouped fixture loads");
    let mixed = bank.category("mixed").expect("mixed");
    let sections: Vec<(Option<&str>, Vec<u32>)> = bank
        .sections(mixed)
        .iter()
        .map(|s| {
            (
                s.group.map(|g| g.title.as_str()),
                s.questions.iter().map(|q| q.id).collect(),
            )
        })
        .collect();
    assert_eq!(
        sections,
        [
            (Some("Gamma first"), vec![3]),
            (Some("Then beta"), vec![1, 4]),
            (None, vec![2]),
        ],
        "groups in file order; a tag that names no group is skipped; the rest last"
    );

    let valid = bank::load(Path::new(VALID)).expect("valid fixture loads");
    let basics = valid.category("basics").expect("basics");
    let plain: Vec<(bool, usize)> = valid
        .sections(basics)
        .iter()
        .map(|s| (s.group.is_some(), s.questions.len()))
        .collect();
    assert_eq!(plain, [(false, 3)], "no groups: one section, no heading");
}

#[test]
fn hostile_markup_in_content_never_becomes_live_html() {
    let bank = bank::load(Path::new(VALID)).expect("valid fixture loads");
    let hostile = bank.question(3).expect("question 3");
    let html = &hostile.answer.html;
    for live in [
        "<script",
        "<img",
        "<div onclick",
        "<a href=\"javascript:",
        "class=\"cls\"",
    ] {
        assert!(!html.contains(live), "{live} leaked into {html}");
    }
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(
        html.contains(r#"<a href="https://docs.python.org/3/">safe link</a>"#),
        "{html}"
    );
    assert_eq!(
        hostile.answer.key_points[0].html,
        "&lt;b&gt;not bold&lt;/b&gt;"
    );
}

#[test]
fn invalid_bank_reports_every_problem_with_file_and_line() {
    let err = bank::load(Path::new(INVALID)).expect_err("invalid fixture fails");
    insta::assert_snapshot!(err.to_string());
}

/// The valid fixture with `site` as its site.toml: what loading it says.
fn load_with_site_toml(site: &str) -> Result<bank::Bank, bank::LoadError> {
    let dir = tempfile::tempdir().expect("temporary folder");
    tree::copy_tree(Path::new(VALID), dir.path());
    fs::write(dir.path().join("site.toml"), site).expect("write site.toml");
    bank::load(dir.path())
}

/// The problems of a bank whose site.toml is `site`, without the temporary folder's path.
fn site_problems(site: &str) -> Vec<String> {
    let err = load_with_site_toml(site).expect_err("site.toml is refused");
    err.problems
        .iter()
        .map(|problem| {
            let text = problem.to_string();
            let at = text.find("site.toml:").expect("names site.toml");
            text[at..].to_string()
        })
        .collect()
}

#[test]
fn the_headline_is_optional_and_must_fit_the_home_title_beside_the_site_name() {
    let site = "title = \"drilltest\"\ndescription = \"d\"\nbase_url = \"https://d.example\"\n";
    let plain = load_with_site_toml(site).expect("no headline is fine");
    assert_eq!(plain.site().headline, None);

    // 58 characters and " | drilltest" make 70, the most a title may have.
    let longest = "x".repeat(58);
    let fitting = load_with_site_toml(&format!("{site}headline = \"  {longest} \"\n"))
        .expect("a headline that fits");
    assert_eq!(fitting.site().headline.as_deref(), Some(longest.as_str()));
    assert_eq!(bank::title::MAX_TITLE_CHARS, 70);

    let too_long = "é".repeat(59);
    assert_eq!(
        site_problems(&format!("{site}\nheadline = \"{too_long}\"\n")),
        [format!(
            "site.toml:5: `headline` and the site's name make the home page's title \
             `{too_long} | drilltest`, 71 characters: search results show at most 70, so \
             shorten it"
        )]
    );
    assert_eq!(
        site_problems(&format!("{site}headline = \" \"\n")),
        ["site.toml:4: `headline` is empty"]
    );
}

#[test]
fn the_site_name_must_leave_room_in_every_title_and_each_problem_is_listed() {
    let name = "n".repeat(31);
    let site = format!(
        "description = \"\"\nbase_url = \"nowhere\"\ntitle = \"{name}\"\nheadline = \"h\"\n"
    );
    assert_eq!(
        site_problems(&site),
        [
            "site.toml:1: `description` is empty",
            "site.toml:2: `base_url` must be an absolute http(s) URL such as \
             `https://example.org`, found `nowhere`",
            "site.toml:3: `title` ends every page's title, so it must be at most 30 characters; \
             it has 31",
        ]
    );
}

#[test]
fn missing_content_folder_is_one_clear_problem() {
    let err = bank::load(Path::new("tests/fixtures/does-not-exist")).expect_err("fails");
    let text = err.to_string();
    assert!(
        text.contains("tests/fixtures/does-not-exist/site.toml: cannot read the file"),
        "{text}"
    );
}

fn drillbook(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_drillbook"))
        .args(args)
        .output()
        .expect("the drillbook binary runs")
}

#[test]
fn check_command_passes_a_valid_bank() {
    let out = drillbook(&["check", VALID]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("4 questions in 2 categories, no problems"),
        "{stdout}"
    );
}

#[test]
fn check_command_lists_problems_and_exits_1() {
    let out = drillbook(&["check", INVALID]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expected = bank::load(Path::new(INVALID))
        .expect_err("invalid")
        .to_string();
    assert_eq!(stderr.trim_end(), expected);
}

#[test]
fn serve_refuses_an_invalid_bank_with_the_same_listing() {
    let out = drillbook(&["serve", "--content", INVALID, "--bind", "127.0.0.1:0"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("good/007-difficulty-and-tags.md:4: `difficulty` must be easy, medium or hard, found `medum`"), "{stderr}");
    assert!(stderr.contains("not serving"), "{stderr}");
}

#[test]
fn check_command_defaults_to_the_bundled_content() {
    let out = drillbook(&["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
