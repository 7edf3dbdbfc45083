//! Anki's `strip_html` (rslib/src/text.rs), ported for the tests that check a deck's sort field
//! against what Anki computes on import; shared through `#[path]` by the library's deck tests
//! and the site's export tests, so both hold Anki to one reading.
//!
//! Anki removes, leftmost first, whatever matches
//! `(?si)(<!--.*?-->)|(<style.*?>.*?</style>)|(<script.*?>.*?</script>)|(<.*?>)`, then decodes
//! entities with the `htmlescape` crate: every entity or none (one malformed entity leaves the
//! text as it is), and no-break spaces become spaces. A `<` that no `>` follows starts no match,
//! so the text from it on is kept.
//!
//! The sort field is `strip_html_preserving_media_filenames`, which first turns media tags
//! (`<img src=…>` and the like) into their file names; the Front field of a deck holds no media,
//! so on it the two agree.

/// The named entities this port decodes: the ones drillbook's escaping writes, and the no-break
/// space. A field holding another name fails the test instead of being guessed at.
const NAMED_ENTITIES: [(&str, char); 6] = [
    ("amp", '&'),
    ("apos", '\''),
    ("gt", '>'),
    ("lt", '<'),
    ("nbsp", '\u{a0}'),
    ("quot", '"'),
];

/// `html` as Anki's `strip_html` reads it.
pub fn anki_strip_html(html: &str) -> String {
    let text = strip_tags(html);
    if !text.contains('&') {
        return text;
    }
    match decode_entities(&text) {
        Some(decoded) => decoded.replace('\u{a0}', " "),
        None => text,
    }
}

/// Every match of Anki's tag pattern removed.
fn strip_tags(html: &str) -> String {
    // ASCII lowercasing keeps byte offsets, so positions found in `lower` cut `html`.
    let lower = html.to_ascii_lowercase();
    let mut text = String::with_capacity(html.len());
    let mut kept_from = 0;
    let mut at = 0;
    while let Some(found) = lower[at..].find('<') {
        let start = at + found;
        let Some(end) = match_end(&lower, start) else {
            // No `>` after this `<`, so none after any later `<` either.
            break;
        };
        text.push_str(&html[kept_from..start]);
        kept_from = end;
        at = end;
    }
    text.push_str(&html[kept_from..]);
    text
}

/// Where the pattern's match starting at the `<` at `start` ends, trying its alternatives in
/// order as the regex does.
fn match_end(lower: &str, start: usize) -> Option<usize> {
    let rest = &lower[start..];
    let after = |offset: usize, needle: &str| {
        rest[offset..]
            .find(needle)
            .map(|i| start + offset + i + needle.len())
    };
    if rest.starts_with("<!--")
        && let Some(end) = after(4, "-->")
    {
        return Some(end);
    }
    for element in ["style", "script"] {
        let open = format!("<{element}");
        if rest.starts_with(&open)
            && let Some(tag_end) = after(open.len(), ">")
            && let Some(end) = lower[tag_end..].find(&format!("</{element}>"))
        {
            return Some(tag_end + end + element.len() + 3);
        }
    }
    after(1, ">")
}

/// `htmlescape::decode_html`: `None` where it fails (an unknown name, a malformed number, an
/// entity never closed).
fn decode_entities(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let (entity, after) = rest[amp + 1..].split_once(';')?;
        let decoded = match entity.strip_prefix('#') {
            Some(number) => {
                let (digits, radix) = match number.strip_prefix('x') {
                    Some(hex) => (hex, 16),
                    None => (number, 10),
                };
                let valid = !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix));
                char::from_u32(u32::from_str_radix(digits, radix).ok().filter(|_| valid)?)?
            }
            None => match NAMED_ENTITIES.iter().find(|(name, _)| *name == entity) {
                Some((_, c)) => *c,
                None if !entity.is_empty() && entity.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                    panic!("`&{entity};` is not in this port's table of named entities")
                }
                None => return None,
            },
        };
        out.push(decoded);
        rest = after;
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::anki_strip_html;

    #[test]
    fn reads_html_as_anki_does() {
        let cases = [
            ("test", "test"),
            ("t<b>e</b>st", "test"),
            ("so<SCRIPT>t<b>e</b>st</script>me", "some"),
            ("a<!-- x > y -->b", "ab"),
            ("a<style type=x>p { }</STYLE>b", "ab"),
            ("a<!-- never closed > b", "a b"),
            ("a < b", "a < b"),
            ("x <b>y</b> < z", "x y < z"),
            ("Is &lt;b&gt; &amp; &quot;this&quot;?", "Is <b> & \"this\"?"),
            ("&#39;&#x27;&nbsp;", "'' "),
            ("R&D &amp; more", "R&D &amp; more"),
            ("R&D is; &lt;", "R&D is; &lt;"),
            ("&#xZZ; &amp;", "&#xZZ; &amp;"),
        ];
        for (html, expected) in cases {
            assert_eq!(anki_strip_html(html), expected, "{html:?}");
        }
    }
}
