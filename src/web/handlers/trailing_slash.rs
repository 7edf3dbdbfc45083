//! Every URL no route matches: a path with a trailing slash (`/questions/11/`,
//! `/categories/python-basics/`) whose path without it has a route is another spelling of that
//! page, and redirects there permanently, as other spellings do; anything else is a 404.

use actix_web::HttpRequest;
use actix_web::http::Method;

use crate::web::error::{WebError, WebResult};
use crate::web::respond;
use crate::web::views::no_such_page;

/// A 301 to the path without its trailing slashes, or the 404 page.
pub async fn redirect_or_not_found(request: HttpRequest) -> WebResult {
    let path = request.path();
    let is_read = matches!(*request.method(), Method::GET | Method::HEAD);
    let routed = |trimmed: &str| request.resource_map().has_resource(trimmed);
    match without_trailing_slash(path) {
        Some(trimmed) if is_read && routed(trimmed) => {
            Ok(respond::moved_permanently(trimmed, request.query_string()))
        }
        _ => Err(WebError::NotFound(no_such_page(path))),
    }
}

/// `path` without its trailing slashes, when it has some and what is left is a path of this site:
/// starting with one slash, never two (`//host` would name another site) nor a backslash.
fn without_trailing_slash(path: &str) -> Option<&str> {
    let trimmed = path.trim_end_matches('/');
    let rest = trimmed.strip_prefix('/')?;
    let own = !rest.is_empty() && !rest.starts_with(['/', '\\']);
    (trimmed.len() < path.len() && own).then_some(trimmed)
}

#[cfg(test)]
mod tests {
    use super::without_trailing_slash;

    #[test]
    fn only_paths_of_this_site_lose_their_trailing_slash() {
        assert_eq!(
            without_trailing_slash("/questions/11/"),
            Some("/questions/11")
        );
        assert_eq!(
            without_trailing_slash("/categories/python-basics//"),
            Some("/categories/python-basics")
        );
        assert_eq!(without_trailing_slash("/about"), None, "no slash to remove");
        assert_eq!(without_trailing_slash("/"), None, "the home page is /");
        assert_eq!(without_trailing_slash("//"), None);
        assert_eq!(
            without_trailing_slash("//evil.example/"),
            None,
            "another host"
        );
        assert_eq!(
            without_trailing_slash("/\\evil.example/"),
            None,
            "another host"
        );
    }
}
