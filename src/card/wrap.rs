//! Breaking text into lines that fit a width: SVG has no line breaking of its own, so a card's
//! lines are decided here, with the widths the embedded face gives.

use super::fonts::Measure;

/// What marks text left out at the end of the last line.
const ELLIPSIS: char = '…';

/// `text` broken at spaces into lines no wider than `width` at `size`, at most `max_lines` of
/// them: when the text needs more, the last line ends with an ellipsis. A word wider than a line
/// on its own is broken between characters. Returns the lines and whether all the text is in
/// them.
pub fn wrap(
    text: &str,
    measure: &Measure,
    size: f32,
    width: f32,
    max_lines: usize,
) -> (Vec<String>, bool) {
    let fits = |line: &str| measure.width(line, size) <= width;
    let space = measure.width(" ", size);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_width = 0.0;
    for word in text.split_whitespace() {
        let word_width = measure.width(word, size);
        let joined_width = if line.is_empty() {
            word_width
        } else {
            line_width + space + word_width
        };
        if joined_width <= width {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            line_width = joined_width;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        line_width = 0.0;
        for ch in word.chars() {
            let ch_width = measure.width(ch.encode_utf8(&mut [0; 4]), size);
            if line_width + ch_width > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push(ch);
            line_width += ch_width;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() <= max_lines {
        return (lines, true);
    }
    lines.truncate(max_lines);
    if let Some(last) = lines.last_mut() {
        *last = with_ellipsis(last, &fits);
    }
    (lines, false)
}

/// `line` with an ellipsis at its end, shortened (at a space where it can be) until it fits.
fn with_ellipsis(line: &str, fits: &impl Fn(&str) -> bool) -> String {
    let mut kept = line.trim_end().to_string();
    loop {
        let candidate = format!("{kept}{ELLIPSIS}");
        if fits(&candidate) || kept.is_empty() {
            return candidate;
        }
        match kept.rfind(' ') {
            Some(space) if space > 0 => kept.truncate(space),
            _ => {
                kept.pop();
            }
        }
        kept = kept.trim_end().to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::super::fonts::Weight;
    use super::*;

    fn measure() -> &'static Measure {
        Measure::of(Weight::Regular)
    }

    #[test]
    fn short_text_is_one_line() {
        let (lines, whole) = wrap("What is a decorator?", measure(), 40.0, 1000.0, 3);
        assert_eq!(lines, ["What is a decorator?"]);
        assert!(whole);
    }

    #[test]
    fn every_line_fits_and_no_word_is_lost() {
        let text = "What are some common pitfalls when working with dates and times in Python?";
        let measure = measure();
        let (lines, whole) = wrap(text, measure, 64.0, 600.0, 10);
        assert!(whole);
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(measure.width(line, 64.0) <= 600.0, "{line}");
        }
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn too_much_text_ends_with_an_ellipsis_that_fits() {
        let text = "word ".repeat(200);
        let measure = measure();
        let (lines, whole) = wrap(&text, measure, 40.0, 500.0, 2);
        assert!(!whole);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with(ELLIPSIS));
        assert!(measure.width(&lines[1], 40.0) <= 500.0);
    }

    #[test]
    fn a_word_wider_than_a_line_is_broken() {
        let text = "x".repeat(300);
        let measure = measure();
        let (lines, whole) = wrap(&text, measure, 40.0, 400.0, 20);
        assert!(whole);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), text);
        for line in &lines {
            assert!(measure.width(line, 40.0) <= 400.0);
        }
    }
}
