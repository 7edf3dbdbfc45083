//! The one typeface cards are set in, compiled into the binary so that a card is the same picture
//! on every machine and in every container, whatever fonts the system has: Inter, under the SIL
//! Open Font License (`fonts/OFL.txt`).

use std::sync::{Arc, OnceLock};

use resvg::usvg::fontdb;
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

/// The family name the card's SVG asks for.
pub const FAMILY: &str = "Inter";

/// Inter Regular and Bold, as shipped by the Inter project (version 4.0 beta 7).
static REGULAR: &[u8] = include_bytes!("../../fonts/Inter-Regular.otf");
static BOLD: &[u8] = include_bytes!("../../fonts/Inter-Bold.otf");

/// A weight of the typeface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// 400.
    Regular,
    /// 700.
    Bold,
}

impl Weight {
    /// The CSS weight, as the SVG names it.
    pub fn css(self) -> u16 {
        match self {
            Weight::Regular => 400,
            Weight::Bold => 700,
        }
    }

    fn bytes(self) -> &'static [u8] {
        match self {
            Weight::Regular => REGULAR,
            Weight::Bold => BOLD,
        }
    }
}

/// The font database the renderer lays text out with: only the embedded faces, never the
/// system's. Made on the first card, not at start-up.
pub fn database() -> Arc<fontdb::Database> {
    static DATABASE: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DATABASE
        .get_or_init(|| {
            let mut database = fontdb::Database::new();
            for weight in [Weight::Regular, Weight::Bold] {
                database.load_font_source(fontdb::Source::Binary(Arc::new(weight.bytes())));
            }
            database.set_sans_serif_family(FAMILY);
            Arc::new(database)
        })
        .clone()
}

/// A digest of the embedded faces: a card's URL changes when they do.
pub fn digest() -> u64 {
    static DIGEST: OnceLock<u64> = OnceLock::new();
    *DIGEST.get_or_init(|| {
        let mut both = xxhash_rust::xxh3::Xxh3::new();
        both.update(REGULAR);
        both.update(BOLD);
        both.digest()
    })
}

/// Widths of text set in one weight, from the face's own advances, as the renderer sets them
/// (kerning aside, which only narrows a line, so a line measured to fit does fit). Advances are
/// kept at one pixel per em and scaled, ASCII in a table: measuring is a lookup a character,
/// cheap enough for every question's card to be laid out when the site starts.
pub struct Measure {
    ascii: [f32; 128],
    charmap: Option<Charmap<'static>>,
    metrics: Option<GlyphMetrics<'static>>,
    /// The advance of a character the face lacks: an "M", so text with one never overflows for
    /// being measured too narrow.
    missing: f32,
}

impl Measure {
    /// The measure of `weight`, made once.
    pub fn of(weight: Weight) -> &'static Measure {
        static REGULAR: OnceLock<Measure> = OnceLock::new();
        static BOLD: OnceLock<Measure> = OnceLock::new();
        let cell = match weight {
            Weight::Regular => &REGULAR,
            Weight::Bold => &BOLD,
        };
        cell.get_or_init(|| Measure::new(weight))
    }

    fn new(weight: Weight) -> Measure {
        let font = FontRef::new(weight.bytes()).ok();
        let charmap = font.as_ref().map(|font| font.charmap());
        let metrics = font
            .as_ref()
            .map(|font| font.glyph_metrics(Size::new(1.0), LocationRef::default()));
        let mut measure = Measure {
            ascii: [0.0; 128],
            charmap,
            metrics,
            missing: 0.6,
        };
        measure.missing = measure.lookup('M').unwrap_or(0.6);
        measure.ascii = std::array::from_fn(|code| {
            let ch = char::from(code as u8);
            if ch.is_control() {
                0.0
            } else {
                measure.lookup(ch).unwrap_or(measure.missing)
            }
        });
        measure
    }

    fn lookup(&self, ch: char) -> Option<f32> {
        let glyph = self.charmap.as_ref()?.map(ch)?;
        self.metrics.as_ref()?.advance_width(glyph)
    }

    /// The width of `text` at `size` pixels.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let ems: f32 = text
            .chars()
            .map(|ch| match self.ascii.get(ch as usize) {
                Some(advance) => *advance,
                None => self.lookup(ch).unwrap_or(self.missing),
            })
            .sum();
        ems * size
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_faces_parse_and_bold_is_wider() {
        let text = "What is the GIL?";
        let regular = Measure::of(Weight::Regular).width(text, 64.0);
        let bold = Measure::of(Weight::Bold).width(text, 64.0);
        assert!(regular > 300.0 && regular < 700.0, "{regular}");
        assert!(bold > regular, "{bold} <= {regular}");
        assert_eq!(database().faces().count(), 2);
    }

    #[test]
    fn widths_grow_with_size_and_text() {
        let measure = Measure::of(Weight::Regular);
        assert!(measure.width("abc", 20.0) < measure.width("abc", 40.0));
        assert!(measure.width("abc", 20.0) < measure.width("abcd", 20.0));
        assert_eq!(measure.width("", 20.0), 0.0);
    }
}
