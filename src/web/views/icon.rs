//! The icons of the installed site (a phone's home screen, a desktop's task bar), drawn from
//! `static/favicon.svg` the first time each is asked for, so the favicon is their one source.

use resvg::{tiny_skia, usvg};

use super::{Content, Rendered, ViewError};
use crate::web::cache::CachePolicy;

/// One icon, as the web app manifest lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    /// The favicon as it is drawn, its rounded corners transparent, this many pixels square.
    Any(u32),
    /// The favicon on its own blue out to the edges, for launchers that cut the icon to a shape
    /// of their own (the manifest's "maskable" purpose: the favicon's letter lies inside the
    /// middle circle, 80% of the width, that every such shape keeps). Apple's touch icon is one
    /// too, since iOS rounds its corners itself.
    Maskable(u32),
}

/// The icons the manifest lists: the two sizes Chromium asks for, and a maskable one.
pub const MANIFEST_ICONS: [Icon; 3] = [Icon::Any(192), Icon::Any(512), Icon::Maskable(512)];

/// The icon iOS puts on the home screen (`<link rel="apple-touch-icon">`).
pub const APPLE_TOUCH_ICON: Icon = Icon::Maskable(180);

/// The favicon's background colour, which a maskable icon fills to its edges.
const FULL_BLEED: (u8, u8, u8) = (0x0b, 0x57, 0xd0);

impl Icon {
    /// Every icon served.
    pub const ALL: [Icon; 4] = [
        MANIFEST_ICONS[0],
        MANIFEST_ICONS[1],
        MANIFEST_ICONS[2],
        APPLE_TOUCH_ICON,
    ];

    /// Its URL: `/icons/any-192.png`, `/icons/maskable-512.png`.
    pub fn path(self) -> String {
        format!("/icons/{}-{}.png", self.purpose(), self.size())
    }

    /// Its width and height in pixels.
    pub fn size(self) -> u32 {
        match self {
            Icon::Any(size) | Icon::Maskable(size) => size,
        }
    }

    /// Its `purpose` in the manifest.
    pub fn purpose(self) -> &'static str {
        match self {
            Icon::Any(_) => "any",
            Icon::Maskable(_) => "maskable",
        }
    }
}

/// Why an icon could not be drawn: a bug, since the favicon is compiled in.
#[derive(Debug, thiserror::Error)]
pub enum IconError {
    /// The favicon is not among the embedded files.
    #[error("static/favicon.svg is not embedded")]
    NoFavicon,
    /// The favicon did not parse.
    #[error("favicon SVG: {0}")]
    Svg(#[from] usvg::Error),
    /// The pixels could not be had or encoded.
    #[error("icon PNG: {0}")]
    Png(String),
}

/// The icon as a PNG, drawn from the favicon embedded in `content`.
pub fn png(content: &Content, icon: Icon) -> Result<Vec<u8>, IconError> {
    let favicon = content
        .assets
        .named("favicon.svg")
        .ok_or(IconError::NoFavicon)?;
    let tree = usvg::Tree::from_data(favicon.bytes, &usvg::Options::default())?;
    let size = icon.size();
    let mut pixmap = tiny_skia::Pixmap::new(size, size)
        .ok_or_else(|| IconError::Png(format!("no room for {size} by {size} pixels")))?;
    if let Icon::Maskable(_) = icon {
        let (r, g, b) = FULL_BLEED;
        pixmap.fill(tiny_skia::Color::from_rgba8(r, g, b, 255));
    }
    let drawn = tree.size();
    let scale = size as f32 / drawn.width().max(drawn.height());
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|err| IconError::Png(err.to_string()))
}

/// The icon, as a file browsers refetch daily (its URL stays when the favicon changes).
pub fn render(content: &Content, icon: Icon) -> Result<Rendered, ViewError> {
    let png = png(content, icon).map_err(ViewError::Icon)?;
    Ok(Rendered::file("image/png", CachePolicy::Daily, png.into()))
}
