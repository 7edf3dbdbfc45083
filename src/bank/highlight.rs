//! Code blocks as highlighted HTML, on the server: syntect's TextMate grammars sort tokens into
//! a few kinds, each a CSS class the stylesheet colours, so pages need no script to show code.

use std::sync::{LazyLock, OnceLock};

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

/// Code as highlighted HTML, or escaped plain text when the language is unknown.
/// A fenced code block, highlighted the first time it is shown. Highlighting is most of the work
/// of loading a bank with code in it (the TextMate grammars are regular expressions tried at every
/// position of every line), so it is left out of loading: a page highlights its blocks when it
/// is first made, or a background pass has done it already.
#[derive(Debug)]
pub struct Code {
    language: String,
    text: String,
    html: OnceLock<String>,
}

impl Code {
    /// The block `text`, written as `language` (empty for none).
    pub(crate) fn new(text: String, language: String) -> Code {
        Code {
            language,
            text,
            html: OnceLock::new(),
        }
    }

    /// The block as highlighted HTML: a `<pre>` ending in a line break.
    pub fn html(&self) -> &str {
        self.html
            .get_or_init(|| highlight(&self.text, &self.language))
    }
}

/// Highlighted HTML of `code`, written as `language`: a `<pre>` ending in a line break.
pub(crate) fn highlight(code: &str, language: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
