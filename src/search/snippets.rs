//! The passage shown under each result: whole sentences of the answer around its matches,
//! escaped, with every matched word form in `<mark>` and inline code in `<code>`.
//!
//! A passage is cut from text made for it (see [`crate::bank::markdown::prose`]): one block a
//! line, so headings and list items stay apart. It starts where a sentence starts and ends where
//! one ends; only a sentence too long to quote whole is cut, at a clause (after a comma, a
//! semicolon, a colon, or at a dash) and, failing that, between words, and an ellipsis shows each
//! cut. Of the passages that fit, the one with the most distinct query words wins.

use rustc_hash::FxHashMap;
use tantivy::tokenizer::TextAnalyzer;

use crate::bank::Question;

/// Longest passage, in characters of its text: two lines of a results page at desktop width,
/// four on a phone, room for one long sentence or two ordinary ones.
pub(super) const SNIPPET_CHARS: usize = 200;

/// Longest run of words a sentence without clauses is cut into, in characters: a third of a
/// passage, so the run with a match can have context on both sides.
const WORD_RUN_CHARS: usize = SNIPPET_CHARS / 3;

/// Shown between two blocks (a heading and its paragraph, two list items) that a passage joins
/// when the first does not end a sentence.
const BLOCK_SEPARATOR: &str = " · ";

/// Shown where a passage cuts a sentence.
const ELLIPSIS: char = '…';

/// What a search's snippets mark: its words' stems, each with the words (bits) it stands for.
pub(super) struct Snippets {
    analyzer: TextAnalyzer,
    stems: FxHashMap<String, u64>,
}

impl Snippets {
    /// Snippet maker for a query's words, given as the stems each can match through, and the
    /// analyzer that stems the index's text.
    pub(super) fn new(analyzer: TextAnalyzer, words: &[Vec<String>]) -> Snippets {
        let mut stems: FxHashMap<String, u64> = FxHashMap::default();
        // A query holds at most `MAX_TERMS` words and phrases, far below 64.
        for (bit, group) in words.iter().take(64).enumerate() {
            for stem in group {
                *stems.entry(stem.clone()).or_default() |= 1 << bit;
            }
        }
        Snippets { analyzer, stems }
    }

    /// The best passage of the first of body, key points, follow-ups and summary that has a
    /// match; the summary, unmarked, if none does. A later source is read only when the ones
    /// before it match nothing: each costs a pass of the stemmer over its text, most of what
    /// a search takes.
    pub(super) fn best(&mut self, q: &Question) -> String {
        if let Some((_, html)) = self.passage(&q.answer.text, &q.answer.code_spans) {
            return html;
        }
        let others: [fn(&Question) -> String; 3] = [
            |q| q.answer.key_points_text("\n"),
            |q| q.answer.follow_ups_text(),
            |q| q.summary.clone(),
        ];
        for text in others {
            if let Some((_, html)) = self.passage(&text(q), &[]) {
                return html;
            }
        }
        let mut plain = String::new();
        // Writing into a String cannot fail.
        let _ = pulldown_cmark_escape::escape_html(&mut plain, &q.summary);
        plain
    }

    /// The best passage of `text` as HTML, with how many distinct query words it holds; `None`
    /// when no word matches. `code` are the byte ranges of inline code.
    fn passage(&mut self, text: &str, code: &[std::ops::Range<usize>]) -> Option<(u32, String)> {
        let marks = self.marks(text);
        if marks.is_empty() {
            return None;
        }
        let units = units(text, around(text, &marks));
        let window = best_window(text, &units, &marks)?;
        let words = window.words.count_ones();
        Some((words, render(text, &units[window.units], &marks, code)))
    }

    /// The matched words of `text`: byte ranges and the query words each stands for.
    fn marks(&mut self, text: &str) -> Vec<Mark> {
        let mut marks = Vec::new();
        let mut stream = self.analyzer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            if let Some(&words) = self.stems.get(token.text.as_str()) {
                marks.push(Mark {
                    range: token.offset_from..token.offset_to,
                    words,
                });
            }
        }
        marks
    }
}

/// A matched word in a text.
#[derive(Debug, Clone)]
struct Mark {
    range: std::ops::Range<usize>,
    /// The query words it matches, one bit each.
    words: u64,
}

/// A piece of text a passage is made of: a sentence, or a clause or run of words of a sentence
/// too long to quote whole.
#[derive(Debug, Clone, PartialEq)]
struct Unit {
    range: std::ops::Range<usize>,
    chars: usize,
    /// Whether it starts a sentence (else a passage starting here is cut).
    starts: bool,
    /// Whether it ends a sentence.
    ends: bool,
    /// Whether it is a run of words cut between words, not at a clause.
    words_only: bool,
}

/// The text's sentences, in order, trimmed; a sentence longer than a passage is split into its
/// clauses, and a clause longer than a passage into runs of words.
fn units(text: &str, region: std::ops::Range<usize>) -> Vec<Unit> {
    let mut units = Vec::new();
    for sentence in sentences(text, region) {
        let Some(range) = trimmed(text, sentence) else {
            continue;
        };
        let chars = text[range.clone()].chars().count();
        if chars <= SNIPPET_CHARS {
            units.push(Unit {
                range,
                chars,
                starts: true,
                ends: true,
                words_only: false,
            });
            continue;
        }
        let clauses = clauses(text, range);
        let last = clauses.len().saturating_sub(1);
        for (i, clause) in clauses.into_iter().enumerate() {
            let chars = text[clause.clone()].chars().count();
            if chars <= SNIPPET_CHARS {
                units.push(Unit {
                    range: clause,
                    chars,
                    starts: i == 0,
                    ends: i == last,
                    words_only: false,
                });
                continue;
            }
            let runs = word_runs(text, clause);
            let last_run = runs.len().saturating_sub(1);
            for (j, run) in runs.into_iter().enumerate() {
                units.push(Unit {
                    chars: text[run.clone()].chars().count(),
                    range: run,
                    starts: i == 0 && j == 0,
                    ends: i == last && j == last_run,
                    words_only: true,
                });
            }
        }
    }
    units
}

/// The text's sentences: each line (a block), cut after a `.`, `!` or `?` (and any closing
/// quote or bracket) that white space follows, unless the next word starts in lowercase, as
/// after `e.g.` or `vs.`. A dot inside `self._token` or `3.11` has no space after it and ends
/// nothing. Unicode's sentence rules (UAX #29) read the same text alike but end a sentence at
/// such dots, and cost most of a search on a large answer.
fn sentences(text: &str, region: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = region.start;
    let bytes = &text.as_bytes()[..region.end];
    let mut at = region.start;
    while at < bytes.len() {
        let byte = bytes[at];
        at += 1;
        let end = match byte {
            b'\n' => Some(at),
            b'.' | b'!' | b'?' => {
                let rest = &text[at..];
                let closed = rest.trim_start_matches([')', ']', '"', '\'', '”', '’']);
                let spaced = closed.trim_start_matches([' ', '\t']);
                let spaces = closed.len() - spaced.len();
                let next = spaced.chars().next();
                (spaces > 0 && !next.is_some_and(char::is_lowercase))
                    .then(|| at + (rest.len() - spaced.len()))
            }
            _ => None,
        };
        if let Some(end) = end {
            out.push(start..end);
            start = end;
            at = end;
        }
    }
    if start < region.end {
        out.push(start..region.end);
    }
    out
}

/// The whole lines of `text` around its marks that a passage holding one of them can reach:
/// from the line of the first mark's earliest reach to the line of the last's furthest. A line
/// starts a sentence, so the sentences found there are the text's own; the rest of a long
/// answer is not read again.
fn around(text: &str, marks: &[Mark]) -> std::ops::Range<usize> {
    // A passage's characters take at most 4 bytes each.
    let reach = SNIPPET_CHARS * 4;
    let bytes = text.as_bytes();
    let (Some(first), Some(last)) = (marks.first(), marks.last()) else {
        return 0..0;
    };
    let from = first.range.start.saturating_sub(reach);
    let to = last.range.end.saturating_add(reach).min(bytes.len());
    // A newline byte is always a character boundary.
    let start = bytes[..from]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let end = bytes[to..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| to + i);
    start..end
}

/// `range` of `text` without white space at either end; `None` if nothing is left.
fn trimmed(text: &str, range: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let piece = &text[range.clone()];
    let start = range.start + (piece.len() - piece.trim_start().len());
    let end = range.start + piece.trim_end().len();
    (start < end).then_some(start..end)
}

/// A sentence's clauses: it is cut after a comma, semicolon or colon and before a dash, each
/// followed by a space.
fn clauses(text: &str, sentence: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = sentence.start;
    let piece = &text[sentence.clone()];
    let mut chars = piece.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next_is_space = chars.peek().is_some_and(|&(_, n)| n == ' ');
        let cut = match c {
            ',' | ';' | ':' if next_is_space => Some(sentence.start + at + c.len_utf8()),
            '—' | '–' if at > 0 && piece[..at].ends_with(' ') && next_is_space => {
                Some(sentence.start + at)
            }
            _ => None,
        };
        if let Some(cut) = cut
            && let Some(clause) = trimmed(text, start..cut)
        {
            out.push(clause);
            start = cut;
        }
    }
    out.extend(trimmed(text, start..sentence.end));
    out
}

/// A clause as runs of whole words of at most [`WORD_RUN_CHARS`] each (a longer word is a run
/// of its own).
fn word_runs(text: &str, clause: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut run: Option<(std::ops::Range<usize>, usize)> = None;
    let piece = &text[clause.clone()];
    let mut words = Vec::new();
    let mut word_start = None;
    for (at, c) in piece.char_indices() {
        match (c.is_whitespace(), word_start) {
            (true, Some(start)) => {
                words.push(start..at);
                word_start = None;
            }
            (false, None) => word_start = Some(at),
            _ => {}
        }
    }
    words.extend(word_start.map(|start| start..piece.len()));
    for word in words {
        let range = clause.start + word.start..clause.start + word.end;
        let chars = piece[word].chars().count();
        run = match run {
            Some((current, length)) if length + 1 + chars <= WORD_RUN_CHARS => {
                let gap = text[current.end..range.start].chars().count();
                Some((current.start..range.end, length + gap + chars))
            }
            Some((current, _)) => {
                out.push(current);
                Some((range, chars))
            }
            None => Some((range, chars)),
        };
    }
    out.extend(run.map(|(range, _)| range));
    out
}

/// The chosen run of units.
struct Window {
    units: std::ops::Range<usize>,
    words: u64,
}

/// The run of units, within [`SNIPPET_CHARS`], with the most distinct query words; on a tie one
/// that starts a sentence, then one whose first unit holds a match, then more matches, then the
/// earliest. A run that ends a sentence goes on into a further one only by whole clauses, and
/// ends with a sentence or a match.
fn best_window(text: &str, units: &[Unit], marks: &[Mark]) -> Option<Window> {
    // The query words and matches in each unit.
    let mut words = vec![0u64; units.len()];
    let mut matches = vec![0usize; units.len()];
    let mut unit = 0;
    for mark in marks {
        while unit < units.len() && units[unit].range.end <= mark.range.start {
            unit += 1;
        }
        if unit < units.len() && units[unit].range.start <= mark.range.start {
            words[unit] |= mark.words;
            matches[unit] += 1;
        }
    }
    let mut best: Option<(Window, (u32, bool, bool, usize))> = None;
    for first in 0..units.len() {
        let mut end = first + 1;
        let mut chars = units[first].chars;
        while let Some(next) = units.get(end) {
            let gap = gap_chars(text, units[end - 1].range.end, next.range.start);
            let stays_in_sentence = !units[end - 1].ends;
            if chars + gap + next.chars > SNIPPET_CHARS || (next.words_only && !stays_in_sentence) {
                break;
            }
            chars += gap + next.chars;
            end += 1;
        }
        // Context that does not end a sentence (a heading, a list item, a table cell) would leave
        // the passage hanging: it is dropped from the end unless it holds a match.
        while end > first + 1
            && words[end - 1] == 0
            && !text[..units[end - 1].range.end].ends_with(['.', '!', '?'])
        {
            end -= 1;
        }
        let held = words[first..end].iter().fold(0, |all, w| all | w);
        if held == 0 {
            continue;
        }
        let count: usize = matches[first..end].iter().sum();
        let rank = (
            held.count_ones(),
            units[first].starts,
            words[first] != 0,
            count,
        );
        if best.as_ref().is_none_or(|(_, kept)| rank > *kept) {
            best = Some((
                Window {
                    units: first..end,
                    words: held,
                },
                rank,
            ));
        }
    }
    best.map(|(window, _)| window)
}

/// Characters shown between the unit ending at `end` and the one starting at `next`: a space,
/// or [`BLOCK_SEPARATOR`] (see [`push_text`]).
fn gap_chars(text: &str, end: usize, next: usize) -> usize {
    if text[end..next].contains('\n') && !ends_sentence(&text[..end]) {
        BLOCK_SEPARATOR.chars().count()
    } else {
        1
    }
}

/// Whether text ends with a mark that ends a sentence (or introduces what follows).
fn ends_sentence(text: &str) -> bool {
    text.chars()
        .next_back()
        .is_some_and(|c| matches!(c, '.' | '!' | '?' | ':'))
}

/// The HTML of a run of units: escaped, matches in `<mark>`, inline code in `<code>`, blocks
/// joined, and an ellipsis where a sentence is cut.
fn render(text: &str, units: &[Unit], marks: &[Mark], code: &[std::ops::Range<usize>]) -> String {
    let (Some(first), Some(last)) = (units.first(), units.last()) else {
        return String::new();
    };
    let span = first.range.start..last.range.end;
    let mut out = String::with_capacity(SNIPPET_CHARS * 2);
    if !first.starts {
        out.push(ELLIPSIS);
    }
    // Where a mark or code starts or ends inside the passage, in order.
    let mut cuts: Vec<usize> = vec![span.start, span.end];
    let inside = |r: &std::ops::Range<usize>| r.start < span.end && r.end > span.start;
    for range in marks
        .iter()
        .map(|m| &m.range)
        .chain(code)
        .filter(|r| inside(r))
    {
        cuts.push(range.start.clamp(span.start, span.end));
        cuts.push(range.end.clamp(span.start, span.end));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mark_ranges: Vec<&std::ops::Range<usize>> = marks.iter().map(|m| &m.range).collect();
    let covers = |ranges: &[&std::ops::Range<usize>], at: usize| {
        ranges.iter().any(|r| r.start <= at && at < r.end)
    };
    let code_ranges: Vec<&std::ops::Range<usize>> = code.iter().collect();
    let (mut in_code, mut in_mark) = (false, false);
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let code_here = covers(&code_ranges, from);
        let mark_here = covers(&mark_ranges, from);
        if in_mark && (!mark_here || code_here != in_code) {
            out.push_str("</mark>");
            in_mark = false;
        }
        if code_here != in_code {
            out.push_str(if code_here { "<code>" } else { "</code>" });
            in_code = code_here;
        }
        if mark_here && !in_mark {
            out.push_str("<mark>");
            in_mark = true;
        }
        push_text(&mut out, text, from..to);
    }
    if in_mark {
        out.push_str("</mark>");
    }
    if in_code {
        out.push_str("</code>");
    }
    if !last.ends {
        // A cut after a comma or colon reads `views…`, not `views,…`.
        let kept = out.trim_end_matches([',', ';', ':']).len();
        out.truncate(kept);
        out.push(ELLIPSIS);
    }
    out
}

/// Appends `range` of `text`, escaped, each run of white space as one space, or as
/// [`BLOCK_SEPARATOR`] where it ends a block that does not end a sentence.
fn push_text(out: &mut String, text: &str, range: std::ops::Range<usize>) {
    let piece = &text[range.clone()];
    let mut rest = piece;
    while let Some(at) = rest.find(char::is_whitespace) {
        escape(out, &rest[..at]);
        let after = &rest[at..];
        let space = after.len() - after.trim_start().len();
        let run = &after[..space];
        let before = &text[..range.start + (piece.len() - rest.len()) + at];
        if run.contains('\n') && !ends_sentence(before) {
            out.push_str(BLOCK_SEPARATOR);
        } else {
            out.push(' ');
        }
        rest = &after[space..];
    }
    escape(out, rest);
}

/// Appends text escaped for HTML.
fn escape(out: &mut String, text: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(out, text);
}

#[cfg(test)]
mod tests {
    use super::super::test_bank::{indexed, search};

    fn snippet(text: &str, id: u32) -> String {
        let (bank, index) = indexed();
        let results = search(&bank, &index, text, |_| {});
        let hit = results.hits.iter().find(|hit| hit.id == id);
        hit.map(|hit| hit.snippet_html.clone())
            .unwrap_or_else(|| panic!("{text:?} finds question {id}: {results:?}"))
    }

    #[test]
    fn matches_are_marked_in_the_answer_whatever_their_form() {
        let html = snippet("decorator", 1);
        assert!(html.starts_with("A <mark>decorator</mark> takes"), "{html}");
        assert!(html.contains("<mark>Decorators</mark>"), "{html}");
    }

    #[test]
    fn a_snippet_starts_near_its_match_in_a_long_answer() {
        let html = snippet("sentinel", 5);
        assert_eq!(
            html,
            "Parameterised statements keep the <mark>sentinel</mark> apart."
        );
    }

    #[test]
    fn without_a_match_in_the_answer_key_points_then_the_summary_are_shown() {
        assert_eq!(snippet("placeholders", 5), "use <mark>placeholders</mark>");
        assert_eq!(
            snippet("untrusted", 5),
            "<mark>Untrusted</mark> input pasted into a &lt;query&gt;.",
        );
        assert_eq!(
            snippet("explain", 5),
            "Untrusted input pasted into a &lt;query&gt;.",
            "a match in the title only: the summary, escaped, unmarked"
        );
    }

    use proptest::prelude::*;

    use super::super::stems::KnownStems;
    use super::{SNIPPET_CHARS, Snippets, WORD_RUN_CHARS, best_window, units};

    /// Text of words and the marks between them that answers use: sentence ends, clauses,
    /// dashes, lines, dotted names and versions, an abbreviation.
    fn text() -> impl Strategy<Value = String> {
        let word = prop_oneof![
            "[a-zA-Z]{1,12}",
            Just("self._token".to_string()),
            Just("3.11".to_string()),
            Just("e.g.".to_string()),
            Just("naïve".to_string()),
        ];
        let gap = prop_oneof![
            Just(" "),
            Just(" "),
            Just(" "),
            Just(". "),
            Just(", "),
            Just("; "),
            Just(" — "),
            Just("\n"),
            Just("? "),
        ];
        prop::collection::vec((word, gap), 1..120)
            .prop_map(|parts| parts.into_iter().map(|(w, g)| w + g).collect())
    }

    /// Whether `at` falls between two letters or digits of `text`, inside a word.
    fn inside_a_word(text: &str, at: usize) -> bool {
        let before = text[..at].chars().next_back();
        let after = text[at..].chars().next();
        before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric)
    }

    proptest! {
        #[test]
        fn a_snippet_never_starts_or_ends_inside_a_word(text in text(), pick in 0usize..1000) {
            let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            prop_assume!(!words.is_empty());
            let word = words[pick % words.len()].to_lowercase();
            let mut analyzer = KnownStems::of([]).analyzer();
            let stems = super::super::compile::stems(&mut analyzer, &word);
            let mut snippets = Snippets::new(analyzer, &[stems]);
            let marks = snippets.marks(&text);
            prop_assume!(!marks.is_empty());
            let units = units(&text, 0..text.len());
            for unit in &units {
                prop_assert!(!inside_a_word(&text, unit.range.start), "{unit:?} in {text:?}");
                prop_assert!(!inside_a_word(&text, unit.range.end), "{unit:?} in {text:?}");
            }
            let window = best_window(&text, &units, &marks);
            prop_assert!(window.is_some());
            let html = snippets.passage(&text, &[]).map(|(_, html)| html).unwrap_or_default();
            prop_assert!(html.contains("<mark>"), "{html}");
            let shown = html.replace("<mark>", "").replace("</mark>", "");
            let longest_word = text.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0);
            if longest_word <= WORD_RUN_CHARS {
                // Text, and an ellipsis at each end at most.
                prop_assert!(shown.chars().count() <= SNIPPET_CHARS + 2, "{shown}");
            }
        }
    }
}
