//! Markdown to HTML, done once at load: pulldown-cmark with server-side syntax highlighting,
//! heading ids, and no way for content to put live markup on a page.
//!
//! Content is trusted to be Markdown, not HTML: raw HTML is shown as text, and links or images
//! with a scheme other than http, https or mailto lose their target.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Tag, TagEnd, html};
use pulldown_cmark_escape::escape_html;
use syntect::highlighting::{
    Color, HighlightIterator, HighlightState, Highlighter, ScopeSelectors, StyleModifier, Theme,
    ThemeItem, ThemeSettings,
};
use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Syntax definitions are costly to build, so they are built once, on first use.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The kinds of token the stylesheet colours, each a CSS class, and the TextMate scopes that
/// make a token that kind (the most specific selector wins, as in any editor theme). Tokens of
/// no kind (operators, punctuation, names) stay plain text. One flat class per run of tokens,
/// rather than a span per nested scope, keeps highlighted code a fraction of the size.
const TOKEN_KINDS: [(&str, &str); 7] = [
    ("", "keyword.operator, punctuation - comment - string"),
    ("hl-comment", "comment"),
    ("hl-string", "string, string constant"),
    ("hl-keyword", "keyword, storage"),
    ("hl-constant", "constant"),
    (
        "hl-function",
        "entity.name, meta.function-call variable.function",
    ),
    ("hl-support", "support"),
];

/// A theme whose "colour" for a token is the index of its kind in [`TOKEN_KINDS`]: syntect's
/// own selector matching then sorts tokens into kinds.
static TOKEN_THEME: LazyLock<Theme> = LazyLock::new(|| {
    let kind_colour = |index: usize| Color {
        r: u8::try_from(index).unwrap_or(0),
        g: 0,
        b: 0,
        a: 0xff,
    };
    Theme {
        settings: ThemeSettings {
            foreground: Some(kind_colour(0)),
            ..ThemeSettings::default()
        },
        scopes: TOKEN_KINDS
            .iter()
            .enumerate()
            .filter_map(|(index, (_, selectors))| {
                Some(ThemeItem {
                    scope: selectors.parse::<ScopeSelectors>().ok()?,
                    style: StyleModifier {
                        foreground: Some(kind_colour(index)),
                        background: None,
                        font_style: None,
                    },
                })
            })
            .collect(),
        ..Theme::default()
    }
});

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
/// tables so they scroll on narrow screens, and neutralises raw HTML and unsafe link targets.
pub fn to_html<'a>(events: impl IntoIterator<Item = Event<'a>>, headings: Headings) -> String {
    render(safe_events(events), headings)
}

/// Events made safe to render (see [`to_html`]), with code already highlighted: render them
/// more than one way with [`render`] without highlighting twice.
pub fn safe_events<'a>(events: impl IntoIterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut safe = Vec::new();
    let mut code: Option<(String, String)> = None;
    let mut dropping_link = false;
    for event in events {
        if let Some((language, text)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    safe.push(Event::Html(highlight(text, language).into()));
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
    safe
}

/// HTML of events from [`safe_events`], with headings shown as `headings` says.
pub fn render(safe: Vec<Event<'_>>, headings: Headings) -> String {
    let events = match headings {
        Headings::Sections => outlined(with_heading_ids(safe)),
        Headings::Paragraphs => as_paragraphs(safe),
    };
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

/// The words of some events as plain text, for search and summaries. Fenced code is left out:
/// callers that want it read it from the code blocks.
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

/// The language word of a fence's info string: `python` in ```` ```python norun ````.
pub fn language_of(info: &str) -> &str {
    info.split_whitespace().next().unwrap_or("")
}

/// Code as highlighted HTML, or escaped plain text when the language is unknown.
pub fn highlight(code: &str, language: &str) -> String {
    let mut out = String::from(r#"<pre class="code" tabindex="0""#);
    if !language.is_empty() {
        out.push_str(r#" data-lang=""#);
        push_escaped(&mut out, language);
        out.push('"');
    }
    out.push_str("><code>");
    match highlighted_tokens(code, language) {
        Some(tokens) => out.push_str(&tokens),
        None => push_escaped(&mut out, code),
    }
    out.push_str("</code></pre>\n");
    out
}

fn highlighted_tokens(code: &str, language: &str) -> Option<String> {
    if language.is_empty() {
        return None;
    }
    let syntax = SYNTAXES.find_syntax_by_token(language)?;
    let highlighter = Highlighter::new(&TOKEN_THEME);
    let mut parser = ParseState::new(syntax);
    let mut state = HighlightState::new(&highlighter, ScopeStack::new());
    let mut out = String::with_capacity(code.len() * 2);
    // The class of the span now open, if any; consecutive tokens of one kind share it.
    let mut open: &str = "";
    for line in LinesWithEndings::from(code) {
        let ops = parser.parse_line(line, &SYNTAXES).ok()?;
        for (style, text) in HighlightIterator::new(&mut state, &ops, line, &highlighter) {
            let class = TOKEN_KINDS
                .get(usize::from(style.foreground.r))
                .map_or("", |(class, _)| *class);
            // Whitespace takes no colour, so it never needs to close a span.
            if class != open && !text.trim().is_empty() {
                if !open.is_empty() {
                    out.push_str("</span>");
                }
                if !class.is_empty() {
                    out.push_str("<span class=\"");
                    out.push_str(class);
                    out.push_str("\">");
                }
                open = class;
            }
            push_escaped(&mut out, text);
        }
    }
    if !open.is_empty() {
        out.push_str("</span>");
    }
    Some(out)
}

fn push_escaped(out: &mut String, text: &str) {
    // Writing into a String cannot fail.
    let _ = escape_html(out, text);
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
        to_html(Parser::new_ext(markdown, options()), Headings::Sections)
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
    fn highlighted_tokens_are_flat_runs_of_one_class_each() {
        let code = "x = \"a\\n\" + str(1)  # done\n";
        let html = highlight(code, "python");
        let body = html
            .trim_start_matches(r#"<pre class="code" tabindex="0" data-lang="python"><code>"#)
            .trim_end_matches("</code></pre>\n");
        // No span inside another: each opens after the last one closed.
        let mut depth = 0i32;
        for piece in body.split('<').skip(1) {
            depth += if piece.starts_with("span") {
                1
            } else if piece.starts_with("/span") {
                -1
            } else {
                0
            };
            assert!((0..=1).contains(&depth), "nested spans in {body}");
        }
        assert!(
            body.contains(r#"<span class="hl-string">&quot;a\n&quot;"#),
            "{body}"
        );
        assert!(
            body.contains(r#"<span class="hl-comment"># done"#),
            "{body}"
        );
        assert!(
            body.contains(r#"<span class="hl-support">str</span>"#),
            "{body}"
        );
        assert!(
            body.contains(r#"<span class="hl-constant">1</span>"#),
            "{body}"
        );
        // The text survives intact once the markup is taken out.
        let text: String = body
            .split('<')
            .enumerate()
            .map(|(i, piece)| {
                if i == 0 {
                    piece
                } else {
                    piece.split_once('>').map_or("", |(_, t)| t)
                }
            })
            .collect();
        assert_eq!(text.replace("&quot;", "\""), code);
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
        let html = to_html(events, Headings::Paragraphs);
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
    fn plain_text_keeps_words_and_inline_code_but_not_fenced_code() {
        let events: Vec<_> = Parser::new_ext(
            "Use `yield` here.\n\n```python\nsecret = 1\n```\n\n- one\n- two\n",
            options(),
        )
        .collect();
        let text = plain_text(&events);
        assert_eq!(text, "Use yield here. one two");
    }
}
