//! What installing the site needs from the server: a web app manifest that every page links,
//! and its icons, drawn from the favicon, in the sizes the manifest says.

use resvg::tiny_skia::Pixmap;

use crate::common::{get, get_raw};

/// The icon at `src`, checked to be a PNG served as one, decoded.
async fn icon(src: &str) -> Pixmap {
    let icon = get_raw(src).await;
    assert_eq!(icon.status, 200, "{src}");
    assert_eq!(icon.header("content-type"), Some("image/png"), "{src}");
    assert_eq!(
        icon.header("cache-control"),
        Some("public, max-age=86400"),
        "{src}"
    );
    Pixmap::decode_png(&icon.body).unwrap_or_else(|err| panic!("{src} is no PNG: {err}"))
}

/// The alpha of the pixel at `x`, `y`.
fn alpha(pixmap: &Pixmap, x: u32, y: u32) -> u8 {
    pixmap.pixel(x, y).map_or(0, |p| p.alpha())
}

#[actix_web::test]
async fn the_manifest_opens_the_home_page_standalone_with_icons_of_every_size_it_names() {
    let response = get_raw("/manifest.webmanifest").await;
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-type"),
        Some("application/manifest+json; charset=utf-8")
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&response.body).expect("the manifest is JSON");
    let home = get("/").await;
    let site = home.text("header .brand");
    assert_eq!(manifest["name"], site.as_str());
    assert_eq!(manifest["short_name"], site.as_str());
    assert_eq!(manifest["start_url"], "/");
    assert_eq!(manifest["scope"], "/");
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["lang"], "en");
    assert_eq!(
        manifest["theme_color"],
        home.attrs("meta[name=theme-color]", "content")[0].as_str()
    );

    let icons = manifest["icons"].as_array().expect("a list of icons");
    let listed: Vec<(String, String)> = icons
        .iter()
        .map(|i| {
            assert_eq!(i["type"], "image/png");
            (
                i["sizes"].as_str().unwrap_or_default().to_string(),
                i["purpose"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let want = [
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    ];
    assert_eq!(
        listed,
        want.map(|(s, p)| (s.to_string(), p.to_string())).to_vec()
    );
    for listed in icons {
        let src = listed["src"].as_str().unwrap_or_default();
        let size: u32 = listed["sizes"]
            .as_str()
            .and_then(|s| s.split_once('x'))
            .and_then(|(w, _)| w.parse().ok())
            .unwrap_or(0);
        let pixmap = icon(src).await;
        assert_eq!((pixmap.width(), pixmap.height()), (size, size), "{src}");
        // The letter is drawn in the middle; a plain icon keeps the favicon's rounded corners
        // see-through, a maskable one fills them, since the launcher cuts its own shape.
        let middle = pixmap.pixel(size / 2, size / 2).expect("a middle pixel");
        assert_eq!(middle.alpha(), 255, "{src}");
        let corner = alpha(&pixmap, 0, 0);
        match listed["purpose"].as_str() {
            Some("maskable") => assert_eq!(corner, 255, "{src}"),
            _ => assert_eq!(corner, 0, "{src}"),
        }
    }
}

#[actix_web::test]
async fn every_page_links_the_manifest_the_touch_icon_and_its_colours_in_both_schemes() {
    for uri in ["/", "/about", "/categories/basics", "/stats", "/plan"] {
        let page = get(uri).await;
        assert_eq!(
            page.attr("link[rel=manifest]", "href"),
            "/manifest.webmanifest",
            "{uri}"
        );
        assert_eq!(
            page.attrs("meta[name=theme-color]", "media"),
            [
                "(prefers-color-scheme: light)",
                "(prefers-color-scheme: dark)"
            ],
            "{uri}"
        );
        let touch = page.attr("link[rel=apple-touch-icon]", "href");
        let pixmap = icon(&touch).await;
        assert_eq!((pixmap.width(), pixmap.height()), (180, 180), "{uri}");
        assert_eq!(
            alpha(&pixmap, 0, 0),
            255,
            "iOS wants no see-through corners"
        );
    }
}

#[actix_web::test]
async fn an_icon_the_manifest_does_not_name_is_not_found() {
    for uri in ["/icons/any-64.png", "/icons/maskable-192.png"] {
        assert_eq!(get_raw(uri).await.status, 404, "{uri}");
    }
}
