//! Rules every content file shares: its bytes as text, its TOML with file lines, required text
//! fields and URL slugs, each a plain message at the line it is about.

use std::path::Path;

use super::front_matter;
use super::problem::Problem;

/// The value, or `None` with its problem added to `problems`, so reading goes on to find the next
/// one.
pub(crate) fn keep<T>(problems: &mut Vec<Problem>, result: Result<T, Problem>) -> Option<T> {
    result.map_err(|problem| problems.push(problem)).ok()
}

/// A file's bytes as text: authors' editors add a byte-order mark or CRLF line ends, which change
/// nothing for the reader, while any other encoding would turn into mojibake on the page.
pub(crate) fn decode_text(path: &Path, bytes: &[u8]) -> Result<String, Problem> {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            Ok(text.replace("\r\n", "\n"))
        }
        Err(err) => {
            let valid = err.valid_up_to();
            let line = 1 + bytes[..valid].iter().filter(|&&b| b == b'\n').count();
            let byte = bytes.get(valid).copied().unwrap_or_default();
            Err(Problem::at(
                path,
                line,
                format!(
                    "the file is not valid UTF-8 (byte {valid} is 0x{byte:02x}): save it as UTF-8"
                ),
            ))
        }
    }
}

/// TOML deserialized into `T`; an error is a problem at its line of the file, in which `text`
/// starts at line `first_line`.
pub(crate) fn toml_in<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    first_line: usize,
) -> Result<T, Problem> {
    front_matter::parse_toml(text, first_line)
        .map_err(|(line, message)| Problem::at(path, line, message))
}

/// A required text field, trimmed; blank counts as missing, since a page or link preview with an
/// empty title or summary is broken.
pub(crate) fn non_empty(
    path: &Path,
    key: &str,
    value: toml::Spanned<String>,
    line: usize,
) -> Result<String, Problem> {
    let value = value.into_inner().trim().to_string();
    if value.is_empty() {
        return Err(Problem::at(path, line, format!("`{key}` is empty")));
    }
    Ok(value)
}

/// Lowercase ASCII letters and digits in hyphen-joined words: safe in a URL as it is.
pub(crate) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_hyphen_joined_lowercase_words() {
        let cases = [
            ("cpython", true),
            ("design-patterns", true),
            ("python3", true),
            ("", false),
            ("Design", false),
            ("a--b", false),
            ("-a", false),
            ("a b", false),
            ("a_b", false),
            ("é", false),
        ];
        for (input, expected) in cases {
            assert_eq!(is_slug(input), expected, "{input:?}");
        }
    }
}
