//! The web app manifest (`/manifest.webmanifest`): what a browser needs to install the site on
//! a home screen or a desktop, opening it in a window of its own at the home page.

use serde::Serialize;

use super::icon::{Icon, MANIFEST_ICONS};
use super::{Content, Rendered, ViewError};
use crate::web::cache::CachePolicy;

/// The header's background in the light scheme (`--bg-soft` in static/app.css), which the
/// browser paints around the installed site; the pages' `theme-color` give the dark one too.
pub const THEME_LIGHT: &str = "#f4f6f8";
/// The header's background in the dark scheme.
pub const THEME_DARK: &str = "#181b21";
/// The page background in the light scheme, shown while the installed site opens.
const BACKGROUND: &str = "#ffffff";

#[derive(Serialize)]
struct Manifest<'a> {
    id: &'static str,
    name: &'a str,
    short_name: &'a str,
    description: &'a str,
    lang: &'static str,
    start_url: &'static str,
    scope: &'static str,
    display: &'static str,
    theme_color: &'static str,
    background_color: &'static str,
    icons: Vec<ManifestIcon>,
}

#[derive(Serialize)]
struct ManifestIcon {
    src: String,
    sizes: String,
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
}

impl From<Icon> for ManifestIcon {
    fn from(icon: Icon) -> ManifestIcon {
        ManifestIcon {
            src: icon.path(),
            sizes: format!("{0}x{0}", icon.size()),
            kind: "image/png",
            purpose: icon.purpose(),
        }
    }
}

/// The manifest, refetched daily.
pub fn render(content: &Content) -> Result<Rendered, ViewError> {
    let layout = &content.layout;
    let manifest = Manifest {
        id: "/",
        name: &layout.site_title,
        short_name: &layout.site_title,
        description: &layout.site_description,
        lang: "en",
        start_url: "/",
        scope: "/",
        display: "standalone",
        theme_color: THEME_LIGHT,
        background_color: BACKGROUND,
        icons: MANIFEST_ICONS.into_iter().map(ManifestIcon::from).collect(),
    };
    let json = serde_json::to_string_pretty(&manifest).map_err(ViewError::Manifest)?;
    Ok(Rendered::file(
        "application/manifest+json; charset=utf-8",
        CachePolicy::Daily,
        super::exact_bytes(json),
    ))
}
