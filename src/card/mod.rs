//! Link-preview cards: the picture a chat app or a social site shows beside a shared link
//! (`og:image`), 1200 × 630 pixels, in the site's light colours. A card is laid out as SVG and
//! drawn by resvg with the embedded typeface, so it is the same PNG on every machine; knows
//! nothing of the bank or of the web: the views say what a card reads.

mod fonts;
mod wrap;

use std::fmt::Write as _;

use resvg::tiny_skia;
use resvg::usvg;

use self::fonts::{Measure, Weight};

/// Width of every card, in pixels: what Open Graph consumers ask for.
pub const WIDTH: u32 = 1200;
/// Height of every card, in pixels (1.91:1).
pub const HEIGHT: u32 = 630;

/// Which renderer draws the SVG: part of a card's fingerprint, so that a new renderer (whose
/// pixels may differ) gives cards new URLs.
const RENDERER: &str = "resvg 0.49";

/// The site's light colours (static/app.css).
mod colour {
    pub const BACKGROUND: &str = "#ffffff";
    pub const BAND: &str = "#f4f6f8";
    pub const BORDER: &str = "#d5dae0";
    pub const TEXT: &str = "#1b1f24";
    pub const MUTED: &str = "#555e68";
    pub const ACCENT: &str = "#0b57d0";
}

/// Left and right margin.
const MARGIN: f32 = 80.0;
/// Where the title's block may begin and must end, between the eyebrow and the footer band.
const BODY_TOP: f32 = 200.0;
const BODY_BOTTOM: f32 = 520.0;
/// The footer band's top edge.
const BAND_TOP: f32 = 548.0;
/// Title sizes tried, largest first, until the title and details fit.
const TITLE_SIZES: [f32; 4] = [72.0, 64.0, 56.0, 48.0];
/// Line height as a multiple of the size.
const LEADING: f32 = 1.2;
const DETAIL_SIZE: f32 = 34.0;
/// Space between the title's last line and the first detail.
const DETAILS_GAP: f32 = 18.0;
/// Lines each detail may take.
const DETAIL_LINES: usize = 2;
const BADGE_SIZE: f32 = 30.0;

/// What a card reads, top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// The site's name, top left.
    pub site: String,
    /// A pill at the top right (a question's difficulty), if any.
    pub badge: Option<Badge>,
    /// A line above the title: what the card is of (a question's category).
    pub eyebrow: String,
    /// The title, large, wrapped to fit.
    pub title: String,
    /// Lines under the title (counts, a description), each wrapped to at most two lines.
    pub details: Vec<String>,
    /// The band along the bottom.
    pub footer: String,
}

/// A pill's text and colours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    /// What it says.
    pub text: String,
    /// Its colours.
    pub tone: Tone,
}

/// A badge's colours, those of the site's difficulty pills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Green.
    Easy,
    /// Amber.
    Medium,
    /// Red.
    Hard,
    /// The accent.
    Plain,
}

impl Tone {
    /// Background and text colours.
    fn colours(self) -> (&'static str, &'static str) {
        match self {
            Tone::Easy => ("#e3f4e8", "#0d5524"),
            Tone::Medium => ("#fdf0c8", "#6e4500"),
            Tone::Hard => ("#fde6e6", "#9b1c1c"),
            Tone::Plain => ("#e8effb", colour::ACCENT),
        }
    }
}

/// Why a card could not be drawn: a bug, since every card's SVG is made here.
#[derive(Debug, thiserror::Error)]
pub enum CardError {
    /// The SVG did not parse.
    #[error("card SVG: {0}")]
    Svg(#[from] usvg::Error),
    /// The PNG could not be encoded.
    #[error("card PNG: {0}")]
    Png(String),
}

impl Card {
    /// The card laid out as an SVG document.
    pub fn svg(&self) -> String {
        let mut svg = String::with_capacity(4096);
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{}">"#,
            fonts::FAMILY
        );
        let _ = write!(
            svg,
            r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="{}"/><rect width="{WIDTH}" height="14" fill="{}"/>"#,
            colour::BACKGROUND,
            colour::ACCENT
        );
        text(
            &mut svg,
            MARGIN,
            112.0,
            44.0,
            Weight::Bold,
            colour::ACCENT,
            &self.site,
        );
        if let Some(badge) = &self.badge {
            self.badge_svg(&mut svg, badge);
        }
        let content_width = WIDTH as f32 - 2.0 * MARGIN;
        muted_line(&mut svg, &self.eyebrow, 182.0, 36.0, content_width);
        self.body_svg(&mut svg, content_width);
        let _ = write!(
            svg,
            r#"<rect y="{BAND_TOP}" width="{WIDTH}" height="{}" fill="{}"/><rect y="{BAND_TOP}" width="{WIDTH}" height="2" fill="{}"/>"#,
            HEIGHT as f32 - BAND_TOP,
            colour::BAND,
            colour::BORDER
        );
        muted_line(&mut svg, &self.footer, 601.0, 30.0, content_width);
        svg.push_str("</svg>");
        svg
    }

    /// The title at the largest size at which it and the details fit, then the details.
    fn body_svg(&self, svg: &mut String, width: f32) {
        let bold = Measure::of(Weight::Bold);
        let regular = Measure::of(Weight::Regular);
        let details: Vec<String> = self
            .details
            .iter()
            .flat_map(|detail| wrap::wrap(detail, regular, DETAIL_SIZE, width, DETAIL_LINES).0)
            .collect();
        let details_height = details.len() as f32 * DETAIL_SIZE * LEADING;
        let gap = if details.is_empty() { 0.0 } else { DETAILS_GAP };
        let room = BODY_BOTTOM - BODY_TOP - gap - details_height;
        let smallest = TITLE_SIZES[TITLE_SIZES.len() - 1];
        let (size, title) = TITLE_SIZES
            .iter()
            .find_map(|&size| {
                let (lines, whole) = wrap::wrap(&self.title, bold, size, width, usize::MAX);
                (whole && lines.len() as f32 * size * LEADING <= room).then_some((size, lines))
            })
            .unwrap_or_else(|| {
                let most = ((room / (smallest * LEADING)).floor() as usize).max(1);
                (
                    smallest,
                    wrap::wrap(&self.title, bold, smallest, width, most).0,
                )
            });
        let mut baseline = BODY_TOP + size;
        for line in &title {
            text(
                svg,
                MARGIN,
                baseline,
                size,
                Weight::Bold,
                colour::TEXT,
                line,
            );
            baseline += size * LEADING;
        }
        baseline += gap + DETAIL_SIZE - size;
        for line in &details {
            text(
                svg,
                MARGIN,
                baseline,
                DETAIL_SIZE,
                Weight::Regular,
                colour::MUTED,
                line,
            );
            baseline += DETAIL_SIZE * LEADING;
        }
    }

    fn badge_svg(&self, svg: &mut String, badge: &Badge) {
        let (fill, ink) = badge.tone.colours();
        let padding = 24.0;
        let height = 56.0;
        let width = Measure::of(Weight::Bold).width(&badge.text, BADGE_SIZE) + 2.0 * padding;
        let x = WIDTH as f32 - MARGIN - width;
        let y = 70.0;
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="{y}" width="{width:.1}" height="{height}" rx="{}" fill="{fill}"/>"#,
            height / 2.0
        );
        text(
            svg,
            x + padding,
            y + 39.0,
            BADGE_SIZE,
            Weight::Bold,
            ink,
            &badge.text,
        );
    }

    /// A digest of everything the picture is made from: the SVG, the typeface and the renderer.
    /// The card's URL carries it, so the URL changes exactly when the picture may.
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(self.svg().as_bytes());
        hasher.update(&fonts::digest().to_le_bytes());
        hasher.update(RENDERER.as_bytes());
        hasher.digest()
    }

    /// The card drawn as a PNG.
    pub fn png(&self) -> Result<Vec<u8>, CardError> {
        let options = usvg::Options {
            font_family: fonts::FAMILY.to_string(),
            fontdb: fonts::database(),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(&self.svg(), &options)?;
        let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT)
            .ok_or_else(|| CardError::Png("no room for the pixels".to_string()))?;
        resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
        pixmap
            .encode_png()
            .map_err(|err| CardError::Png(err.to_string()))
    }
}

/// `line` in the regular weight and the muted colour at baseline `y`, cut with an ellipsis to
/// one line of `width`: the eyebrow and the footer.
fn muted_line(svg: &mut String, line: &str, y: f32, size: f32, width: f32) {
    let regular = Measure::of(Weight::Regular);
    for line in wrap::wrap(line, regular, size, width, 1).0 {
        text(svg, MARGIN, y, size, Weight::Regular, colour::MUTED, &line);
    }
}

/// One line of text, escaped for XML.
fn text(svg: &mut String, x: f32, y: f32, size: f32, weight: Weight, fill: &str, line: &str) {
    let _ = write!(
        svg,
        r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}" font-weight="{}" fill="{fill}">"#,
        weight.css()
    );
    for ch in line.chars() {
        match ch {
            '<' => svg.push_str("&lt;"),
            '>' => svg.push_str("&gt;"),
            '&' => svg.push_str("&amp;"),
            '"' => svg.push_str("&quot;"),
            ch if ch.is_control() => {}
            ch => svg.push(ch),
        }
    }
    svg.push_str("</text>");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(title: &str) -> Card {
        Card {
            site: "drillbook".into(),
            badge: Some(Badge {
                text: "Medium".into(),
                tone: Tone::Medium,
            }),
            eyebrow: "Python basics".into(),
            title: title.into(),
            details: vec!["Question 7 of 150".into()],
            footer: "127.0.0.1:8080".into(),
        }
    }

    #[test]
    fn a_card_is_a_png_of_the_stated_size() {
        let png = card("What is the GIL?").png().unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert_eq!((width, height), (WIDTH, HEIGHT));
    }

    #[test]
    fn markup_in_text_is_escaped_and_parses() {
        let card = card("Is <b>x</b> & \"y\" the same as 'z'?\u{7}");
        assert!(
            card.svg()
                .contains("&lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;")
        );
        assert!(card.png().is_ok());
    }

    #[test]
    fn the_fingerprint_follows_what_the_card_reads() {
        let a = card("What is the GIL?");
        assert_eq!(a.fingerprint(), a.clone().fingerprint());
        assert_ne!(a.fingerprint(), card("What is the GIL ?").fingerprint());
        let mut b = a.clone();
        b.badge = None;
        assert_ne!(a.fingerprint(), b.fingerprint());
    }

    #[test]
    fn a_long_title_gets_a_smaller_size_and_a_huge_one_is_cut() {
        let short = card("What is the GIL?").svg();
        let long = card(&"pitfalls of dates and times ".repeat(4)).svg();
        assert!(short.contains(r#"font-size="72" font-weight="700""#));
        assert!(!long.contains(r#"font-size="72" font-weight="700""#));
        let huge = card(&"word ".repeat(500)).svg();
        assert!(huge.contains('…'));
        assert!(
            huge.matches(r##"font-weight="700" fill="#1b1f24""##)
                .count()
                <= 6
        );
    }
}
