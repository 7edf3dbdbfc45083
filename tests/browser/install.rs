//! Installing the site, as Chromium itself judges it: the manifest every page links parses
//! without errors and nothing stands in the way of installing the site.

use crate::harness::{Browser, Site, in_browser};

#[tokio::test(flavor = "multi_thread")]
async fn chromium_reads_the_manifest_without_errors_and_can_install_the_site() {
    in_browser(|site, browser| async move {
        let outcome = installable(&site, &browser).await;
        (browser, outcome)
    })
    .await;
}

async fn installable(site: &Site, b: &Browser) -> Result<(), String> {
    b.goto(site, "/").await?;
    let manifest = b.cdp("Page.getAppManifest", serde_json::json!({})).await?;
    let url = manifest["url"].as_str().unwrap_or_default();
    if !url.ends_with("/manifest.webmanifest") {
        return Err(format!("Chromium found no manifest: {manifest}"));
    }
    if manifest["errors"] != serde_json::json!([]) {
        return Err(format!(
            "Chromium's manifest errors: {}",
            manifest["errors"]
        ));
    }
    // The manifest as Chromium parsed it: the home page, in a window of its own, with icons.
    let parsed = &manifest["manifest"];
    let start = parsed["startUrl"].as_str().unwrap_or_default();
    // Chromium names the display mode as its enum does: `kStandalone`.
    let display = parsed["display"].as_str().unwrap_or_default();
    if !start.ends_with('/') || !display.eq_ignore_ascii_case("kstandalone") {
        return Err(format!("Chromium parsed {parsed}"));
    }
    if parsed["icons"].as_array().map_or(0, Vec::len) != 3 {
        return Err(format!("Chromium parsed the icons as {}", parsed["icons"]));
    }
    // Installability is judged once the icons are fetched: ask until the answer settles.
    let mut errors = serde_json::Value::Null;
    for _ in 0..50 {
        let answer = b
            .cdp("Page.getInstallabilityErrors", serde_json::json!({}))
            .await?;
        errors = answer["installabilityErrors"].clone();
        if errors == serde_json::json!([]) {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(format!("Chromium would not install the site: {errors}"))
}
