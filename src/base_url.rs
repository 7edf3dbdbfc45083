//! Which public URL the pages link to when `--base-url` is not given.
//!
//! The shipped `site.toml` names `http://127.0.0.1:8080`, the default listen address, so that
//! `cargo run` gives working links with no set-up. Someone who moves the server to another port
//! expects the links to move with it; someone who deploys sets a public `base_url` that a proxy
//! in front answers on, whatever port the server itself listens on. So the configured URL is
//! replaced by the bound address only while it names this machine (a loopback host), and a
//! server that other machines can reach but whose links only this machine can open says so.

use std::net::IpAddr;

use url::Url;

/// The outcome: the URL to use instead of the configured one, if any, and what to tell the
/// person starting the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Replaces `base_url` from `site.toml`: the given URL, or the bound address; `None` keeps
    /// the configured one.
    pub url: Option<String>,
    /// Worth a line in the start-up log.
    pub notice: Option<Notice>,
}

/// Something the start-up log should say about the base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The configured loopback URL was replaced by the address the server listens on.
    Follows {
        /// `base_url` from `site.toml`.
        configured: String,
        /// What the pages link to instead.
        url: String,
    },
    /// The server accepts outside connections on every interface, but its links name this
    /// machine's loopback address, which nobody else can open.
    LoopbackLinks {
        /// What the pages link to.
        url: String,
        /// The listen address.
        bind: String,
    },
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Notice::Follows { configured, url } => write!(
                f,
                "links use {url}, the listen address, instead of {configured} from site.toml \
                 (pass --base-url to choose another)"
            ),
            Notice::LoopbackLinks { url, bind } => write!(
                f,
                "listening on {bind}, but links point to {url}, which only this machine can \
                 open: pass --base-url (or set DRILLBOOK_BASE_URL) to the address people use, \
                 e.g. --base-url https://drillbook.example.org"
            ),
        }
    }
}

/// Chooses the base URL from the one `given` on the command line or in the environment, the one
/// `configured` in `site.toml` and the `bind` address.
///
/// A given URL always wins. Otherwise the configured one stays unless it names a loopback host;
/// then the bound address replaces it when it differs: as it is for a loopback or other specific
/// address, and with the configured host for an unspecified one (`0.0.0.0`, `[::]`), which also
/// gets a warning. Port 0 (any free port) keeps the configured URL: the port is not known yet.
pub fn resolve(given: Option<&str>, configured: &str, bind: &str) -> Resolved {
    if let Some(given) = given {
        return Resolved {
            url: Some(given.to_string()),
            notice: None,
        };
    }
    let keep = Resolved {
        url: None,
        notice: None,
    };
    let (Ok(configured_url), Some((bind_host, bind_port))) = (Url::parse(configured), split(bind))
    else {
        return keep;
    };
    let Some(configured_host) = configured_url.host_str() else {
        return keep;
    };
    if bind_port == 0 || !is_loopback(configured_host) {
        return keep;
    }
    let configured_port = configured_url.port_or_known_default();
    let unspecified = is_unspecified(bind_host);
    let host = if unspecified {
        configured_host
    } else {
        bind_host
    };
    let url = if configured_port == Some(bind_port) && same_host(host, configured_host) {
        None
    } else {
        let url = format!("{}://{host}:{bind_port}", configured_url.scheme());
        Some(url)
    };
    let shown = url
        .clone()
        .unwrap_or_else(|| configured.trim_end_matches('/').to_string());
    let notice = if unspecified {
        Some(Notice::LoopbackLinks {
            url: shown,
            bind: bind.to_string(),
        })
    } else {
        url.clone().map(|url| Notice::Follows {
            configured: configured.to_string(),
            url,
        })
    };
    Resolved { url, notice }
}

/// `host:port` or `[v6]:port` into the host (brackets kept, as a URL writes it) and the port.
fn split(bind: &str) -> Option<(&str, u16)> {
    let (host, port) = bind.trim().rsplit_once(':')?;
    let port = port.parse().ok()?;
    (!host.is_empty()).then_some((host, port))
}

fn ip(host: &str) -> Option<IpAddr> {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || ip(host).is_some_and(|ip| ip.is_loopback())
}

fn is_unspecified(host: &str) -> bool {
    ip(host).is_some_and(|ip| ip.is_unspecified())
}

fn same_host(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || ip(a).is_some_and(|a| ip(b) == Some(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = "http://127.0.0.1:8080";

    fn url(given: Option<&str>, configured: &str, bind: &str) -> Option<String> {
        resolve(given, configured, bind).url
    }

    #[test]
    fn the_default_address_keeps_the_configured_url_and_says_nothing() {
        assert_eq!(
            resolve(None, SHIPPED, "127.0.0.1:8080"),
            Resolved {
                url: None,
                notice: None
            }
        );
        assert_eq!(url(None, "http://127.0.0.1:8080/", "127.0.0.1:8080"), None);
    }

    #[test]
    fn another_loopback_address_is_followed_and_logged() {
        let resolved = resolve(None, SHIPPED, "127.0.0.1:9000");
        assert_eq!(resolved.url.as_deref(), Some("http://127.0.0.1:9000"));
        let notice = resolved.notice.expect("a notice");
        assert!(matches!(notice, Notice::Follows { .. }));
        assert!(notice.to_string().contains("--base-url"), "{notice}");
        assert_eq!(
            url(None, SHIPPED, "localhost:8080").as_deref(),
            Some("http://localhost:8080")
        );
        assert_eq!(
            url(None, "http://localhost:8080", "[::1]:9000").as_deref(),
            Some("http://[::1]:9000")
        );
        assert_eq!(
            url(None, "http://localhost", "127.0.0.1:80").as_deref(),
            Some("http://127.0.0.1:80")
        );
    }

    #[test]
    fn a_specific_outside_address_is_followed() {
        assert_eq!(
            url(None, SHIPPED, "192.0.2.7:8080").as_deref(),
            Some("http://192.0.2.7:8080")
        );
    }

    #[test]
    fn every_interface_keeps_the_loopback_host_and_warns() {
        let same_port = resolve(None, SHIPPED, "0.0.0.0:8080");
        assert_eq!(same_port.url, None);
        assert_eq!(
            same_port.notice,
            Some(Notice::LoopbackLinks {
                url: SHIPPED.to_string(),
                bind: "0.0.0.0:8080".to_string()
            })
        );
        let other_port = resolve(None, SHIPPED, "[::]:9000");
        assert_eq!(other_port.url.as_deref(), Some("http://127.0.0.1:9000"));
        assert!(matches!(
            other_port.notice,
            Some(Notice::LoopbackLinks { .. })
        ));
    }

    #[test]
    fn a_given_or_public_url_is_never_replaced() {
        assert_eq!(
            resolve(Some("https://x.test"), SHIPPED, "127.0.0.1:9000"),
            Resolved {
                url: Some("https://x.test".to_string()),
                notice: None
            }
        );
        for bind in ["127.0.0.1:9000", "0.0.0.0:8080", "[::]:1"] {
            assert_eq!(
                resolve(None, "https://drillbook.example.org", bind),
                Resolved {
                    url: None,
                    notice: None
                },
                "{bind}"
            );
        }
    }

    #[test]
    fn any_free_port_and_unreadable_addresses_keep_the_configured_url() {
        for bind in ["127.0.0.1:0", "nonsense", ":9000", "127.0.0.1:http"] {
            assert_eq!(url(None, SHIPPED, bind), None, "{bind}");
        }
    }
}
