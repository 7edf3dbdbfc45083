//! An answer's Markdown split into what the site uses: the rendered body, the follow-up questions
//! an interviewer may ask next, the key points an interviewer listens for (the mock interview
//! grades against them one by one), the plain text search indexes, and the code blocks the
//! content test runs.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::front_matter::Lines;
use super::links::{Html, QuestionPaths, linked_question_id};
use super::markdown::{self, Headings, Prose};

/// The heading that starts the last section of every answer.
const KEY_POINTS_HEADING: &str = "Key points";

/// The heading of the optional section between the answer and its key points.
const FOLLOW_UPS_HEADING: &str = "Follow-ups";

/// The most follow-ups a question may carry: past that they stop being the likeliest next
/// questions and become a second answer.
pub const MAX_FOLLOW_UPS: usize = 6;

/// A rendered answer.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    /// The answer before `## Key points`, as HTML for its own page.
    pub html: Html,
    /// The same for a list of answers (a category page): sub-headings as bold paragraphs.
    pub sheet_html: Html,
    /// The same as text without fenced code, one block a line (see [`markdown::prose`]): what
    /// search indexes and quotes.
    pub text: String,
    /// Byte ranges of `text` that are inline code, so a quoted passage can show them as code.
    pub code_spans: Vec<std::ops::Range<usize>>,
    /// Every fenced code block of the answer (not of its follow-ups), in order.
    pub code_blocks: Vec<CodeBlock>,
    /// The questions of `## Follow-ups`, in order; empty when the section is absent.
    pub follow_ups: Vec<FollowUp>,
    /// The bullets of `## Key points`, in order.
    pub key_points: Vec<KeyPoint>,
    /// Every link to another question (`/questions/{id}`), with its file line, so the loader can
    /// check the id exists.
    pub question_links: Vec<(u32, usize)>,
}

impl Answer {
    /// Highlights the code of every rendering of the answer now, rather than when each is first
    /// shown.
    pub fn highlight_code(&self) {
        let follow_ups = self
            .follow_ups
            .iter()
            .flat_map(|f| [&f.question_html, &f.html]);
        let key_points = self.key_points.iter().map(|point| &point.html);
        for html in [&self.html, &self.sheet_html]
            .into_iter()
            .chain(follow_ups)
            .chain(key_points)
        {
            html.highlight();
        }
    }

    /// Every code block of the answer and then of its follow-ups, in file order.
    pub fn all_code_blocks(&self) -> impl Iterator<Item = &CodeBlock> {
        self.code_blocks
            .iter()
            .chain(self.follow_ups.iter().flat_map(|f| &f.code_blocks))
    }

    /// The follow-ups' questions and answers as plain text, one per paragraph, for search.
    pub fn follow_ups_text(&self) -> String {
        let texts: Vec<String> = self
            .follow_ups
            .iter()
            .map(|f| format!("{}\n{}", f.question, f.text))
            .collect();
        texts.join("\n\n")
    }

    /// The key points as plain text, joined by `separator`.
    pub fn key_points_text(&self, separator: &str) -> String {
        let texts: Vec<&str> = self.key_points.iter().map(|p| p.text.as_str()).collect();
        texts.join(separator)
    }
}

/// One bullet of an answer's key points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPoint {
    /// The bullet rendered to HTML (inline code and emphasis kept).
    pub html: Html,
    /// The bullet as plain text.
    pub text: String,
}

/// A question an interviewer may ask after the answer, with its short answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    /// The `###` heading as plain text.
    pub question: String,
    /// The heading rendered inline (code and emphasis kept), without the heading tag.
    pub question_html: Html,
    /// The answer under the heading, as HTML.
    pub html: Html,
    /// The same as plain text without fenced code.
    pub text: String,
    /// The answer's fenced code blocks, in order.
    pub code_blocks: Vec<CodeBlock>,
    /// File line of the heading.
    pub line: usize,
}

/// A fenced code block, kept as written so it can be run and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    /// The whole info string after the opening fence, e.g. `python norun`.
    pub info: String,
    /// The code, ending with a newline.
    pub code: String,
    /// Line of the opening fence in the question file.
    pub line: usize,
}

impl CodeBlock {
    /// The language word of the info string (`python`).
    pub fn language(&self) -> &str {
        markdown::language_of(&self.info)
    }

    /// Whether the info string carries a flag word after the language (`norun`).
    pub fn has_flag(&self, flag: &str) -> bool {
        self.info
            .split_whitespace()
            .skip(1)
            .any(|word| word == flag)
    }

    /// The text of some code blocks joined, for search to weigh apart from prose.
    pub fn joined<'a>(blocks: impl IntoIterator<Item = &'a CodeBlock>) -> String {
        blocks
            .into_iter()
            .map(|b| b.code.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// An answer checked and taken apart but not yet rendered: its links to other questions are
/// rendered as those questions' paths, known only once every file of the bank has been read.
#[derive(Debug)]
pub(crate) struct ParsedAnswer {
    /// The events of the answer before `## Follow-ups` or `## Key points`.
    body: Vec<Event<'static>>,
    text: Prose,
    code_blocks: Vec<CodeBlock>,
    follow_ups: Vec<ParsedFollowUp>,
    key_points: Vec<ParsedKeyPoint>,
    question_links: Vec<(u32, usize)>,
}

/// A follow-up checked, with the events its HTML is rendered from.
#[derive(Debug)]
struct ParsedFollowUp {
    question: String,
    heading: Vec<Event<'static>>,
    answer: Vec<Event<'static>>,
    text: String,
    code_blocks: Vec<CodeBlock>,
    line: usize,
}

/// A key point checked, with the events its HTML is rendered from.
#[derive(Debug)]
struct ParsedKeyPoint {
    item: Vec<Event<'static>>,
    text: String,
}

impl ParsedAnswer {
    /// The answer rendered, its links to other questions pointed at the pages `paths` gives.
    /// Code is highlighted once, for both renderings of the body.
    pub(crate) fn render(self, paths: &QuestionPaths) -> Answer {
        let safe = markdown::safe_events(self.body, paths);
        Answer {
            sheet_html: markdown::render(safe.clone(), Headings::Paragraphs),
            html: markdown::render(safe, Headings::Sections),
            text: self.text.text,
            code_spans: self.text.code,
            code_blocks: self.code_blocks,
            follow_ups: self
                .follow_ups
                .into_iter()
                .map(|f| FollowUp {
                    question_html: markdown::to_html(f.heading, Headings::Sections, paths)
                        .trimmed(),
                    question: f.question,
                    html: markdown::to_html(f.answer, Headings::Sections, paths),
                    text: f.text,
                    code_blocks: f.code_blocks,
                    line: f.line,
                })
                .collect(),
            key_points: self
                .key_points
                .into_iter()
                .map(|point| KeyPoint {
                    html: markdown::to_html(point.item, Headings::Sections, paths).trimmed(),
                    text: point.text,
                })
                .collect(),
            question_links: self.question_links,
        }
    }

    /// Every link to another question, with its file line.
    pub(crate) fn question_links(&self) -> &[(u32, usize)] {
        &self.question_links
    }
}

/// Parses an answer. `first_line` is the file line the Markdown starts on, so problems and code
/// blocks point into the file. Every problem found is returned, each with its line.
pub(crate) fn parse(
    markdown: &str,
    first_line: usize,
) -> Result<ParsedAnswer, Vec<(usize, String)>> {
    let lines = Lines::new(markdown, first_line);
    let line_at = |offset: usize| lines.at(offset);
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> =
        Parser::new_ext(markdown, markdown::options())
            .into_offset_iter()
            .collect();

    let heading = (0..events.len()).find(|&i| is_section_heading(&events[i..], KEY_POINTS_HEADING));
    let (before_key_points, rest) = events.split_at(heading.unwrap_or(events.len()));
    let follow_ups_at = (0..before_key_points.len())
        .find(|&i| is_section_heading(&before_key_points[i..], FOLLOW_UPS_HEADING));
    let (body, follow_up_section) =
        before_key_points.split_at(follow_ups_at.unwrap_or(before_key_points.len()));
    let body_events: Vec<Event<'_>> = body.iter().map(|(e, _)| e.clone()).collect();

    let mut problems = Vec::new();
    let follow_ups = if follow_up_section.is_empty() {
        Vec::new()
    } else {
        follow_ups(follow_up_section, &line_at, &mut problems)
    };
    let text = markdown::prose(&body_events);
    let code_blocks = code_blocks(body, &line_at);
    if text.text.trim().is_empty() && code_blocks.is_empty() {
        problems.push((
            first_line,
            "the answer is empty: write it between the front matter and `## Key points`"
                .to_string(),
        ));
    }
    let key_points = match heading {
        None => {
            problems.push((
                line_at(markdown.trim_end().len()),
                "missing `## Key points`: end the answer with that heading and a bulleted list \
                 of what an interviewer listens for"
                    .to_string(),
            ));
            Vec::new()
        }
        Some(_) => match key_points(rest, &line_at) {
            Ok(points) => points,
            Err(problem) => {
                problems.push(problem);
                Vec::new()
            }
        },
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let question_links = events
        .iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                linked_question_id(dest_url).map(|id| (id, line_at(range.start)))
            }
            _ => None,
        })
        .collect();
    Ok(ParsedAnswer {
        body: body_events.into_iter().map(Event::into_static).collect(),
        text,
        code_blocks,
        follow_ups,
        key_points,
        question_links,
    })
}

/// Whether the events start with a level-2 heading that reads `name` (any case).
fn is_section_heading(events: &[(Event<'_>, std::ops::Range<usize>)], name: &str) -> bool {
    if !matches!(
        events.first(),
        Some((
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }),
            _
        ))
    ) {
        return false;
    }
    let inside = events[1..]
        .iter()
        .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Heading(_))))
        .map(|(e, _)| e);
    markdown::plain_text(inside)
        .trim()
        .eq_ignore_ascii_case(name)
}

/// One follow-up as read from the events: its heading's line and inline events, then the events
/// of its answer with their offsets.
struct FollowUpEvents<'a> {
    line: usize,
    heading: Vec<Event<'a>>,
    answer: Vec<(Event<'a>, std::ops::Range<usize>)>,
}

/// Reads the section that starts at the `## Follow-ups` heading: `###` questions, each followed
/// by its answer. Problems go to `problems`, each at its line.
fn follow_ups(
    section: &[(Event<'_>, std::ops::Range<usize>)],
    line_at: &impl Fn(usize) -> usize,
    problems: &mut Vec<(usize, String)>,
) -> Vec<ParsedFollowUp> {
    let heading_line = line_at(section[0].1.start);
    let problems_before = problems.len();
    let after_heading = section
        .iter()
        .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
        .map_or(section.len(), |i| i + 1);
    // Each follow-up: its heading's line and inline events, then the events of its answer.
    let mut parts: Vec<FollowUpEvents<'_>> = Vec::new();
    // Inside a `###` heading, inside a heading of another level (reported, its text dropped), or
    // in the blocks between headings.
    #[derive(PartialEq)]
    enum At {
        Question,
        OtherHeading,
        Blocks,
    }
    let mut at = At::Blocks;
    let mut reported_stray_text = false;
    for (event, range) in &section[after_heading..] {
        match event {
            Event::Start(Tag::Heading { level, .. }) if *level == HeadingLevel::H3 => {
                parts.push(FollowUpEvents {
                    line: line_at(range.start),
                    heading: Vec::new(),
                    answer: Vec::new(),
                });
                at = At::Question;
            }
            Event::Start(Tag::Heading { level, .. }) => {
                problems.push((
                    line_at(range.start),
                    format!(
                        "inside `## Follow-ups` every heading is a `### ` question; this one is \
                         level {}",
                        *level as u8
                    ),
                ));
                at = At::OtherHeading;
            }
            Event::End(TagEnd::Heading(_)) => at = At::Blocks,
            _ if at == At::OtherHeading => {}
            _ => match parts.last_mut() {
                Some(part) if at == At::Question => part.heading.push(event.clone()),
                Some(part) => part.answer.push((event.clone(), range.clone())),
                None if !reported_stray_text => {
                    reported_stray_text = true;
                    problems.push((
                        line_at(range.start),
                        "`## Follow-ups` holds `### ` questions, each followed by its answer: \
                         put this text under one"
                            .to_string(),
                    ));
                }
                None => {}
            },
        }
    }
    if parts.is_empty() && problems.len() == problems_before {
        problems.push((
            heading_line,
            "`## Follow-ups` is empty: add 2-4 `### ` questions an interviewer may ask next, \
             each with its answer, or remove the heading"
                .to_string(),
        ));
    }
    if let Some(extra) = parts.get(MAX_FOLLOW_UPS) {
        problems.push((
            extra.line,
            format!(
                "{} follow-ups; keep at most {MAX_FOLLOW_UPS}, the questions an interviewer is \
                 likeliest to ask next",
                parts.len()
            ),
        ));
    }
    parts
        .into_iter()
        .filter_map(
            |FollowUpEvents {
                 line,
                 heading,
                 answer,
             }| {
                let question = markdown::plain_text(&heading).trim().to_string();
                let answer_events: Vec<Event<'_>> = answer.iter().map(|(e, _)| e.clone()).collect();
                let text = markdown::plain_text(&answer_events);
                let code_blocks = code_blocks(&answer, line_at);
                if question.is_empty() {
                    problems.push((line, "a follow-up's `### ` heading is empty".to_string()));
                    return None;
                }
                if text.trim().is_empty() && code_blocks.is_empty() {
                    problems.push((
                    line,
                    format!(
                        "the follow-up `{question}` has no answer: write 2-5 sentences under its \
                         heading"
                    ),
                ));
                    return None;
                }
                Some(ParsedFollowUp {
                    question,
                    heading: heading.into_iter().map(Event::into_static).collect(),
                    answer: answer_events.into_iter().map(Event::into_static).collect(),
                    text,
                    code_blocks,
                    line,
                })
            },
        )
        .collect()
}

fn code_blocks(
    events: &[(Event<'_>, std::ops::Range<usize>)],
    line_at: &impl Fn(usize) -> usize,
) -> Vec<CodeBlock> {
    let mut blocks = Vec::new();
    let mut current: Option<CodeBlock> = None;
    for (event, range) in events {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => info.to_string(),
                    pulldown_cmark::CodeBlockKind::Indented => String::new(),
                };
                current = Some(CodeBlock {
                    info,
                    code: String::new(),
                    line: line_at(range.start),
                });
            }
            Event::Text(text) => {
                if let Some(block) = current.as_mut() {
                    block.code.push_str(text);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

/// Reads the section that starts at the `## Key points` heading: one bulleted list, nothing else.
fn key_points(
    section: &[(Event<'_>, std::ops::Range<usize>)],
    line_at: &impl Fn(usize) -> usize,
) -> Result<Vec<ParsedKeyPoint>, (usize, String)> {
    let heading_line = line_at(section[0].1.start);
    let after_heading = section
        .iter()
        .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
        .map_or(section.len(), |i| i + 1);
    let content = &section[after_heading..];
    let Some((first, first_range)) = content.first() else {
        return Err((
            heading_line,
            "`## Key points` has no bullets: add a list of 3-6 points".to_string(),
        ));
    };
    if !matches!(first, Event::Start(Tag::List(_))) {
        return Err((
            line_at(first_range.start),
            "`## Key points` must hold only a bulleted list".to_string(),
        ));
    }
    let mut points = Vec::new();
    let mut depth = 0usize;
    let mut item: Vec<Event<'_>> = Vec::new();
    for (index, (event, range)) in content.iter().enumerate() {
        match event {
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => {
                depth -= 1;
                if depth == 0 {
                    if let Some((_, range)) = content.get(index + 1) {
                        return Err((
                            line_at(range.start),
                            "`## Key points` must be the last section and hold only a bulleted \
                             list"
                                .to_string(),
                        ));
                    }
                    break;
                }
            }
            Event::Start(Tag::Item) if depth == 1 => {
                item.clear();
                continue;
            }
            Event::End(TagEnd::Item) if depth == 1 => {
                let text = markdown::plain_text(&item);
                if text.trim().is_empty() {
                    return Err((line_at(range.start), "a key point is empty".to_string()));
                }
                points.push(ParsedKeyPoint {
                    item: item.drain(..).map(Event::into_static).collect(),
                    text,
                });
                continue;
            }
            _ => {}
        }
        if depth >= 1 {
            item.push(event.clone());
        }
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(markdown: &str) -> Vec<(usize, String)> {
        parse(markdown, 10).expect_err("should fail")
    }

    /// The answer of a file read on its own: its links stay as written.
    fn rendered(markdown: &str, first_line: usize) -> Answer {
        parse(markdown, first_line)
            .expect("valid")
            .render(&QuestionPaths::default())
    }

    #[test]
    fn question_links_are_read_with_their_lines() {
        let answer = rendered(
            "See [GIL](/questions/11) and [x](https://e.org/questions/3).\n\n\
             [this](/questions/68/asyncio#key-points), [not](/questions/abc).\n\n\
             ## Key points\n- also [q](/questions/2)\n",
            10,
        );
        assert_eq!(answer.question_links, [(11, 10), (68, 12), (2, 15)]);
    }

    #[test]
    fn links_to_questions_are_rendered_as_their_pages_everywhere_in_the_answer() {
        let paths = QuestionPaths::new([(2, "two"), (7, "seven")]);
        let answer = parse(
            "See [2](/questions/2#why), [unknown](/questions/9) and [docs](https://e.org/).\n\n\
             ## Follow-ups\n### And [7](/questions/7)?\nSee [2](/questions/2).\n\n\
             ## Key points\n- like [7](/questions/7)\n",
            1,
        )
        .expect("valid")
        .render(&paths);
        let two = r#"<a href="/questions/2/two#why">2</a>"#;
        assert!(answer.html.contains(two), "{}", answer.html);
        assert!(answer.sheet_html.contains(two), "{}", answer.sheet_html);
        assert!(
            answer
                .html
                .contains(r#"<a href="/questions/9">unknown</a>"#)
        );
        let follow_up = &answer.follow_ups[0];
        assert_eq!(
            follow_up.question_html,
            r#"And <a href="/questions/7/seven">7</a>?"#
        );
        assert!(
            follow_up
                .html
                .contains(r#"<a href="/questions/2/two">2</a>"#)
        );
        assert_eq!(
            answer.key_points[0].html,
            r#"like <a href="/questions/7/seven">7</a>"#
        );
        // Every site link, and only those, can be made absolute.
        let absolute = answer.sheet_html.with_origin("https://o.example");
        assert!(absolute.contains(r#"<a href="https://o.example/questions/2/two#why">2</a>"#));
        assert!(absolute.contains(r#"<a href="https://o.example/questions/9">unknown</a>"#));
        assert!(absolute.contains(r#"<a href="https://e.org/">docs</a>"#));
        assert_eq!(
            answer.key_points[0].html.with_origin("https://o.example"),
            r#"like <a href="https://o.example/questions/7/seven">7</a>"#
        );
    }

    #[test]
    fn splits_body_and_key_points() {
        let answer = rendered(
            "Direct answer with `code`.\n\n```python\nprint(1)  # -> 1\n```\n\n## Key points\n- first *point*\n- second `x`\n",
            5,
        );
        assert!(
            answer
                .html
                .contains("<p>Direct answer with <code>code</code>.</p>")
        );
        assert!(!answer.html.contains("Key points"));
        assert_eq!(answer.text, "Direct answer with code.");
        let points: Vec<(&str, &str)> = answer
            .key_points
            .iter()
            .map(|p| (p.html.as_str(), p.text.as_str()))
            .collect();
        assert_eq!(
            points,
            [
                ("first <em>point</em>", "first point"),
                ("second <code>x</code>", "second x"),
            ]
        );
        assert_eq!(answer.code_blocks.len(), 1);
        assert_eq!(answer.code_blocks[0].line, 7);
        assert_eq!(answer.code_blocks[0].language(), "python");
        assert_eq!(answer.code_blocks[0].code, "print(1)  # -> 1\n");
    }

    #[test]
    fn nested_bullets_stay_inside_their_key_point() {
        let answer = rendered("Body.\n\n## Key points\n- outer\n  - inner\n- last\n", 1);
        assert_eq!(answer.key_points.len(), 2);
        assert!(answer.key_points[0].html.contains("<li>inner</li>"));
    }

    #[test]
    fn code_block_flags_come_after_the_language() {
        let block = CodeBlock {
            info: "python norun".into(),
            code: String::new(),
            line: 1,
        };
        assert!(block.has_flag("norun"));
        assert!(!block.has_flag("python"));
    }

    #[test]
    fn each_broken_shape_is_reported_at_its_line() {
        let cases: [(&str, &[(usize, &str)]); 6] = [
            (
                "",
                &[(10, "the answer is empty"), (10, "missing `## Key points`")],
            ),
            ("Body.\n\nMore.\n", &[(12, "missing `## Key points`")]),
            ("## Key points\n- a\n", &[(10, "the answer is empty")]),
            (
                "Body.\n\n## Key points\n",
                &[(12, "`## Key points` has no bullets")],
            ),
            (
                "Body.\n\n## Key points\nJust prose.\n",
                &[(13, "must hold only a bulleted list")],
            ),
            (
                "Body.\n\n## Key points\n- a\n\n## More\n",
                &[(15, "must be the last section")],
            ),
        ];
        for (markdown, expected) in cases {
            let found = problems(markdown);
            assert_eq!(found.len(), expected.len(), "{markdown:?}: {found:?}");
            for ((line, message), (want_line, want_text)) in found.iter().zip(expected) {
                assert_eq!(line, want_line, "{markdown:?}: {message}");
                assert!(message.contains(want_text), "{markdown:?}: {message}");
            }
        }
    }
}
