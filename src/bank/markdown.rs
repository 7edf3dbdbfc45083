//! Markdown to HTML, done once at load: pulldown-cmark with server-side syntax highlighting (see
//! [`super::highlight`], done when the HTML is first read), heading ids, and no way for content to
//! put live markup on a page.
//!
//! Content is trusted to be Markdown, not HTML: raw HTML is shown as text, and links or images
//! with a scheme other than http, https or mailto lose their target.

use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Tag, TagEnd, html,
};

use super::highlight::Code;
use super::links::{Html, QuestionPaths, code_marker};

/// The Markdown extensions answers may use.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Prefix of the ids given to an answer's headings, so that they never clash with the ids of
/// the page around the answer.
pub const HEADING_ID_PREFIX: &str = "answer-";

/// How a rendering shows the answer's sub-headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Headings {
    /// As headings with ids, the highest of them an `<h2>`: the answer sits right under the
    /// page's `<h1>`, so the outline has no gap whichever level the author started at.
    Sections,
    /// As bold paragraphs without ids: for answers shown inside a list of questions, where
    /// headings would break the page's outline and repeated ids would clash.
    Paragraphs,
}

/// Renders events to HTML: highlights fenced code, shows headings as `headings` says, wraps
/// tables so they scroll on narrow screens, neutralises raw HTML and unsafe link targets, and
/// points links to other questions at the pages `paths` gives them.
pub(crate) fn to_html<'a>(
    events: impl IntoIterator<Item = Event<'a>>,
    headings: Headings,
    paths: &QuestionPaths,
) -> Html {
    render(safe_events(events, paths), headings)
}

/// Events made safe to render (see [`to_html`]), with links to other questions resolved, and
/// each fenced code block in its place: render them more than one way with [`render`] and each
/// block is still highlighted only once.
#[derive(Debug, Clone)]
pub(crate) struct Safe<'a> {
    events: Vec<Event<'a>>,
    /// The code blocks, in order; the events hold a marker for each (see [`code_marker`]).
    code: Vec<Arc<Code>>,
}

/// Makes events safe to render (see [`to_html`]).
pub(crate) fn safe_events<'a>(
    events: impl IntoIterator<Item = Event<'a>>,
    paths: &QuestionPaths,
) -> Safe<'a> {
    let mut safe = Vec::new();
    let mut blocks = Vec::new();
    let mut code: Option<(String, String)> = None;
    let mut dropping_link = false;
    for event in events {
        if let Some((language, text)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    safe.push(Event::Html(code_marker(blocks.len()).into()));
                    blocks.push(Arc::new(Code::new(
                        std::mem::take(text),
                        std::mem::take(language),
                    )));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => language_of(&info).to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((language, String::new()));
            }
            Event::Html(raw) | Event::InlineHtml(raw) => safe.push(Event::Text(raw)),
            // `{#id}` after a heading names its anchor; classes and `key=value` pairs would
            // become live attributes (`onclick=…`, `style=…`), so they are dropped.
            Event::Start(Tag::Heading { level, id, .. }) => {
                safe.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
            }
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. })
                if !is_safe_url(dest_url) =>
            {
                dropping_link = true;
            }
            Event::End(TagEnd::Link | TagEnd::Image) if dropping_link => dropping_link = false,
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = paths.resolve(&dest_url).map_or(dest_url, CowStr::from);
                safe.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Table(_)) => {
                safe.push(Event::Html(
                    r#"<div class="table-wrap" tabindex="0">"#.into(),
                ));
                safe.push(event);
            }
            Event::End(TagEnd::Table) => {
                safe.push(event);
                safe.push(Event::Html("</div>".into()));
            }
            other => safe.push(other),
        }
    }
    Safe {
        events: safe,
        code: blocks,
    }
}

/// HTML of events from [`safe_events`], with headings shown as `headings` says, and where its
/// site-relative link targets start.
pub(crate) fn render(safe: Safe<'_>, headings: Headings) -> Html {
    let events = match headings {
        Headings::Sections => outlined(with_heading_ids(safe.events)),
        Headings::Paragraphs => as_paragraphs(safe.events),
    };
    // The writer renders each event before it takes the next, so the length written when a
    // link's start is taken is where that link's tag starts.
    let written = Cell::new(0);
    let mut link_starts = Vec::new();
    let events = events.into_iter().inspect(|event| {
        if let Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        }) = event
            && *link_type != LinkType::Email
            && dest_url.starts_with('/')
        {
            link_starts.push(written.get());
        }
    });
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = html::write_html_fmt(
        Counted {
            out: &mut out,
            written: &written,
        },
        events,
    );
    // A link inside an image's description writes no tag, so only starts that hold one count.
    const LINK_TAG: &str = "<a href=\"";
    let site_links = link_starts
        .into_iter()
        .filter(|&at| {
            out[at..].starts_with(LINK_TAG) && out[at + LINK_TAG.len()..].starts_with('/')
        })
        .map(|at| at + LINK_TAG.len())
        .collect();
    Html::with_code(out, site_links, safe.code)
}

/// A String written through [`fmt::Write`] that keeps its length where the events' iterator can
/// read it.
struct Counted<'a> {
    out: &'a mut String,
    written: &'a Cell<usize>,
}

impl fmt::Write for Counted<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.out.push_str(s);
        self.written.set(self.out.len());
        Ok(())
    }
}

/// The words of some events as plain text, for search and summaries: blocks and line breaks
/// become a space. Fenced code is left out: callers that want it read it from the code blocks.
pub fn plain_text<'a, 'e: 'a>(events: impl IntoIterator<Item = &'a Event<'e>>) -> String {
    let mut out = String::new();
    let mut in_code_block = false;
    for event in events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t)
                if !in_code_block =>
            {
                out.push_str(t)
            }
            Event::End(tag) if is_inline(*tag) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) | Event::Rule
                if !out.is_empty() && !out.ends_with(char::is_whitespace) =>
            {
                out.push(' ')
            }
            _ => {}
        }
    }
    out.trim_end().to_string()
}

/// Text as it reads on the page, for the passages search results quote: each block (paragraph,
/// heading, list item, table cell) on a line of its own, so a heading never runs into the
/// paragraph under it; a line break within a paragraph is a space, and the end of a link or
/// emphasis adds nothing, so `([question 23](/questions/23))` reads `(question 23)`. Fenced code
/// is left out, as in [`plain_text`]; inline code is kept as written, and `code` says where.
pub fn prose<'a, 'e: 'a>(events: impl IntoIterator<Item = &'a Event<'e>>) -> Prose {
    let mut prose = Prose::default();
    let out = &mut prose.text;
    let mut in_code_block = false;
    let line = |out: &mut String| {
        let kept = out.trim_end_matches([' ', '\n']).len();
        out.truncate(kept);
        if !out.is_empty() {
            out.push('\n');
        }
    };
    for event in events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                line(out);
            }
            _ if in_code_block => {}
            Event::Code(code) => {
                let start = out.len();
                out.push_str(code);
                prose.code.push(start..out.len());
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => out.push_str(t),
            Event::SoftBreak | Event::HardBreak
                if !out.is_empty() && !out.ends_with(char::is_whitespace) =>
            {
                out.push(' ')
            }
            Event::SoftBreak | Event::HardBreak => {}
            Event::End(tag) if is_inline(*tag) => {}
            Event::Start(Tag::Item) | Event::End(_) | Event::Rule => line(out),
            _ => {}
        }
    }
    let kept = out.trim_end().len();
    out.truncate(kept);
    prose
}

/// Text from [`prose`]: lines of blocks, with where its inline code is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prose {
    /// The text, one block a line.
    pub text: String,
    /// Byte ranges of `text` that are inline code, in order.
    pub code: Vec<std::ops::Range<usize>>,
}

/// Whether a tag's end is inside a line of text (a link, emphasis), not the end of a block.
fn is_inline(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Link
            | TagEnd::Image
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// The language word of a fence's info string: `python` in ```` ```python norun ````.
pub fn language_of(info: &str) -> &str {
    info.split_whitespace().next().unwrap_or("")
}

/// Whether a link target is harmless: relative, or with an http, https or mailto scheme.
/// Browsers ignore tabs, newlines and control characters inside a scheme, so those are dropped
/// before looking at it (`java\tscript:` is `javascript:` to a browser).
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    match cleaned.find([':', '/', '?', '#']) {
        Some(i) if cleaned[i..].starts_with(':') => {
            let scheme = cleaned[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// Moves every heading up or down by the same number of levels so the highest is `<h2>`.
fn outlined(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let top = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min();
    let Some(top) = top else {
        return events;
    };
    let moved = |level: HeadingLevel| {
        let n = (level as usize + 2).saturating_sub(top).clamp(2, 6);
        HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6)
    };
    for event in &mut events {
        match event {
            Event::Start(Tag::Heading { level, .. }) | Event::End(TagEnd::Heading(level)) => {
                *level = moved(*level);
            }
            _ => {}
        }
    }
    events
}

/// Turns headings into bold paragraphs.
fn as_paragraphs(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    events
        .into_iter()
        .map(|event| match event {
            Event::Start(Tag::Heading { .. }) => {
                Event::Html(r#"<p class="answer-subheading"><strong>"#.into())
            }
            Event::End(TagEnd::Heading(_)) => Event::Html("</strong></p>\n".into()),
            other => other,
        })
        .collect()
}

/// Gives every heading without an explicit `{#id}` an id made from its text, unique in the
/// document, so each section can be linked to.
fn with_heading_ids(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut used: HashSet<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    for i in 0..events.len() {
        if !matches!(events[i], Event::Start(Tag::Heading { id: None, .. })) {
            continue;
        }
        let end = events[i..]
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
            .map_or(events.len(), |n| i + n);
        let text = plain_text(&events[i + 1..end]);
        let base = match slug::slugify(&text) {
            s if s.is_empty() => "section".to_string(),
            s => s,
        };
        let base = format!("{HEADING_ID_PREFIX}{base}");
        let mut id = base.clone();
        let mut n = 2;
        while !used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
            *slot = Some(CowStr::from(id));
        }
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn render(markdown: &str) -> String {
        let paths = QuestionPaths::default();
        to_html(
            Parser::new_ext(markdown, options()),
            Headings::Sections,
            &paths,
        )
        .to_string()
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = render("<script>alert(1)</script>\n\nHi <b onclick=\"x()\">there</b>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains(r#"&lt;b onclick="x()"&gt;"#), "{html}");
    }

    #[test]
    fn heading_attributes_keep_the_id_and_nothing_else() {
        let html = render("## Title {#why .shout onclick=alert(1) style=color:red}");
        assert_eq!(html, "<h2 id=\"why\">Title</h2>\n");
    }

    #[test]
    fn unsafe_link_targets_are_dropped_and_safe_ones_kept() {
        let cases = [
            ("[a](javascript:alert(1))", false),
            ("[a](<java\tscript:alert(1)>)", false),
            ("[a](JavaScript:alert(1))", false),
            ("[a](data:text/html,x)", false),
            ("![a](vbscript:x)", false),
            ("[a](https://docs.python.org/3/)", true),
            ("[a](mailto:someone@example.com)", true),
            ("[a](/questions/11)", true),
            ("[a](#key-points)", true),
            ("[a](other/page?x=1:2)", true),
        ];
        for (markdown, kept) in cases {
            let html = render(markdown);
            assert_eq!(
                html.contains("href=") || html.contains("src="),
                kept,
                "{markdown} -> {html}"
            );
            assert!(html.contains('a'), "link text stays: {html}");
        }
    }

    #[test]
    fn fenced_code_is_highlighted_with_classes_not_styles() {
        let html = render("```python norun\ndef f():\n    return 1  # one\n```\n");
        assert!(
            html.starts_with(r#"<pre class="code" tabindex="0" data-lang="python"><code>"#),
            "{html}"
        );
        assert!(html.contains(r#"class="hl-"#), "{html}");
        assert!(html.contains(r#"<span class="hl-comment"># one"#), "{html}");
        assert!(html.contains(r#"<span class="hl-keyword">def"#), "{html}");
        assert!(
            html.contains(r#"<span class="hl-function">f</span>"#),
            "{html}"
        );
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn code_in_an_unknown_language_is_escaped_plain_text() {
        let html = render("```nosuchlang\n<b>&</b>\n```\n");
        assert!(html.contains("&lt;b&gt;&amp;&lt;/b&gt;"), "{html}");
        assert!(!html.contains("<span"), "{html}");
    }

    #[test]
    fn headings_get_unique_ids() {
        let html = render("## Why it matters\n\n## Why it matters\n\n### Custom {#mine}\n");
        assert!(
            html.contains(r#"<h2 id="answer-why-it-matters">"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<h2 id="answer-why-it-matters-2">"#),
            "{html}"
        );
        assert!(html.contains(r#"<h3 id="mine">"#), "{html}");
    }

    #[test]
    fn the_highest_heading_becomes_h2_and_the_rest_keep_their_steps() {
        let html = render("### Trade-offs\n\n#### Detail\n\n### More\n");
        assert!(html.contains(r#"<h2 id="answer-trade-offs">"#), "{html}");
        assert!(html.contains(r#"<h3 id="answer-detail">"#), "{html}");
        assert!(html.contains(r#"<h2 id="answer-more">"#), "{html}");
    }

    #[test]
    fn a_sheet_shows_headings_as_bold_paragraphs_without_ids() {
        let events = Parser::new_ext("### Trade-offs\n\nText.\n", options());
        let html = to_html(events, Headings::Paragraphs, &QuestionPaths::default());
        assert_eq!(
            html,
            "<p class=\"answer-subheading\"><strong>Trade-offs</strong></p>\n<p>Text.</p>\n"
        );
    }

    #[test]
    fn tables_strikethrough_and_footnotes_render() {
        let html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ new[^1]\n\n[^1]: note\n");
        assert!(
            html.contains(r#"<div class="table-wrap" tabindex="0"><table>"#),
            "{html}"
        );
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("footnote"), "{html}");
    }

    #[test]
    fn site_links_are_known_by_where_their_targets_start() {
        let cases = [
            "[a](/x) and [b](/questions/2#why)",
            "[far](//host/y), [out](https://e.org/), <me@e.org> and <https://e.org/a>",
            "![alt with [a link](/z)](/i.png) then [after](/after)",
            "![alt [a](/z)](/i.png)[b](/b)",
            "| a |\n|---|\n| [t](/t) |\n\n[^1] and [x](/x \"title\")\n\n[^1]: [n](/n)",
            "# [Heading](/h)\n\n- [item](/i)\n\n```python\nhref=\"/not-a-link\"\n```\n",
        ];
        for markdown in cases {
            let paths = QuestionPaths::default();
            for headings in [Headings::Sections, Headings::Paragraphs] {
                let html = to_html(Parser::new_ext(markdown, options()), headings, &paths);
                assert_eq!(
                    html.with_origin("https://o.example"),
                    html.replace("href=\"/", "href=\"https://o.example/"),
                    "{markdown:?}"
                );
            }
        }
        // Body text keeps its quotes unescaped, so only the renderer knows which `href="/` is
        // a link.
        let text = "Text that says href=\"/x\" is not a link.";
        let html = to_html(
            Parser::new_ext(text, options()),
            Headings::Sections,
            &QuestionPaths::default(),
        );
        assert_eq!(html.with_origin("https://o.example"), html.as_str());
    }

    #[test]
    fn plain_text_keeps_words_and_inline_code_but_not_fenced_code() {
        let events: Vec<_> = Parser::new_ext(
            "Use `yield` here.\n\n```python\nsecret = 1\n```\n\n- one\n- two\n",
            options(),
        )
        .collect();
        let text = plain_text(&events);
        assert_eq!(text, "Use yield here. one two");
    }

    #[test]
    fn prose_puts_each_block_on_its_line_and_keeps_links_and_code_as_they_read() {
        let events: Vec<_> = Parser::new_ext(
            "## How it works\nSee ([question 23](/questions/23)) and *this*, then\n`Cls()` runs.\n\n\
             ```python\nsecret = 1\n```\n\n- one\n- two **bold**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            options(),
        )
        .collect();
        let prose = prose(&events);
        assert_eq!(
            prose.text,
            "How it works\nSee (question 23) and this, then Cls() runs.\none\ntwo bold\na\nb\n1\n2"
        );
        let code: Vec<&str> = prose.code.iter().map(|r| &prose.text[r.clone()]).collect();
        assert_eq!(code, ["Cls()"]);
    }
}
