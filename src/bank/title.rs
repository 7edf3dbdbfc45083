//! How long a page's `<title>` may be. A rule of the content as much as of the web: site.toml's
//! `title` and `headline` are checked against it when the bank loads, so a site owner learns of a
//! headline that search results would cut from `drillbook check`, not from a search result.

/// The longest `<title>`, in characters, the site name included: search results show about 60
/// to 70 before they cut, and chat apps about as much on a line.
pub const MAX_TITLE_CHARS: usize = 70;

/// What joins a page's own title to the site's name, which comes last.
pub const TITLE_SEPARATOR: &str = " | ";

/// The longest site name: what leaves a page's own words most of the title.
pub const MAX_SITE_TITLE_CHARS: usize = 30;

/// A page's `<title>` in full: `{page} | {site}`.
pub fn with_site(page: &str, site: &str) -> String {
    format!("{page}{TITLE_SEPARATOR}{site}")
}

/// How many characters `{page} | {site}` has.
pub fn length_with_site(page: &str, site: &str) -> usize {
    page.chars().count() + TITLE_SEPARATOR.chars().count() + site.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_length_counts_characters_not_bytes() {
        assert_eq!(length_with_site("é", "d"), 5);
        assert_eq!(
            length_with_site("é", "d"),
            with_site("é", "d").chars().count()
        );
    }
}
