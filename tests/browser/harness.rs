//! A real drillbook server and a real headless Chromium, both on loopback, for tests of what the
//! script does. Needs Debian's `chromium` and `chromium-driver` (scripts/test installs them).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

/// A child process killed when dropped, so a failing test leaves nothing running.
pub struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Waits until a GET of `path` on the port answers 200.
fn wait_for_http(port: u16, path: &str, child: &mut Child, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited early: {status}");
        }
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            let request =
                format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let mut head = [0u8; 16];
            // The status line is all that matters; servers differ in how they end the reply.
            if stream.write_all(request.as_bytes()).is_ok()
                && stream.read_exact(&mut head).is_ok()
                && head.starts_with(b"HTTP/1.1 200")
            {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{what} did not come up on port {port}");
}

/// The drillbook binary serving a content folder.
pub struct Site {
    pub base: String,
    _process: Process,
}

impl Site {
    pub fn start(content: &str) -> Site {
        let port = free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_drillbook"))
            .args([
                "serve",
                "--content",
                content,
                "--bind",
                &format!("127.0.0.1:{port}"),
            ])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the drillbook binary starts");
        wait_for_http(port, "/healthz", &mut child, "drillbook");
        Site {
            base: format!("http://127.0.0.1:{port}"),
            _process: Process(child),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// A Chrome DevTools Protocol command sent through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Headless Chromium under chromedriver.
pub struct Browser {
    pub client: Client,
    _driver: Process,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn start() -> Browser {
        let chromium = std::env::var("CHROME_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let port = free_port();
        let mut child = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start `{chromedriver}` ({e}): run scripts/test, which installs Debian's chromium and chromium-driver")
            });
        wait_for_http(port, "/status", &mut child, "chromedriver");
        let profile = tempfile::tempdir().expect("profile dir");
        let mut capabilities = Capabilities::new();
        capabilities.insert(
            "goog:chromeOptions".to_string(),
            serde_json::json!({
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1024,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a chromedriver session");
        Browser {
            client,
            _driver: Process(child),
            _profile: profile,
        }
    }

    /// Presses and releases one key, as a person typing on the page (not into a field).
    pub async fn press(&self, key: char) {
        let keys = KeyActions::new("keyboard".to_string())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client.perform_actions(keys).await.expect("key press");
    }

    /// Runs a script in the page and returns its value.
    pub async fn eval(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .expect("script runs")
    }

    /// Whether a JavaScript expression is `true` in the page.
    pub async fn holds(&self, expression: &str) -> bool {
        self.eval(&format!("return ({expression}) === true")).await == serde_json::json!(true)
    }

    pub async fn text(&self, css: &str) -> String {
        self.eval(&format!(
            "return document.querySelector({css:?}).textContent.trim()"
        ))
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// Waits for the browser to reach a page whose path satisfies `arrived`; returns the path.
    pub async fn wait_for_path(&self, arrived: impl Fn(&str) -> bool) -> Result<String, String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let url = self
                .client
                .current_url()
                .await
                .map_err(|e| format!("current url: {e:?}"))?;
            if arrived(url.path()) {
                return Ok(url.path().to_string());
            }
            if Instant::now() > deadline {
                return Err(format!("still at {url} after 10 s"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Opens a page of the site.
    pub async fn goto(&self, site: &Site, path: &str) -> Result<(), String> {
        self.client
            .goto(&site.url(path))
            .await
            .map_err(|e| format!("open {path}: {e:?}"))
    }

    /// Clicks the first element matching a CSS selector.
    pub async fn click(&self, css: &str) -> Result<(), String> {
        self.client
            .find(Locator::Css(css))
            .await
            .map_err(|e| format!("find {css}: {e:?}"))?
            .click()
            .await
            .map_err(|e| format!("click {css}: {e:?}"))
    }

    /// Waits up to 5 s for a JavaScript expression to be `true`; the error names it.
    pub async fn wait_until(&self, expression: &str) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !self.holds(expression).await {
            if Instant::now() > deadline {
                return Err(format!("still not true after 5 s: {expression}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }

    /// Makes the page render as it would for a printer (Chrome DevTools Protocol, through
    /// chromedriver).
    pub async fn emulate_print(&self) -> Result<(), String> {
        self.client
            .issue_cmd(Cdp {
                cmd: "Emulation.setEmulatedMedia",
                params: serde_json::json!({ "media": "print" }),
            })
            .await
            .map(|_| ())
            .map_err(|e| format!("emulate print media: {e:?}"))
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// Starts the site on the valid fixture bank and a browser, runs `check`, and always closes the browser.
pub async fn in_browser<F, Fut>(check: F)
where
    F: FnOnce(Site, Browser) -> Fut,
    Fut: Future<Output = (Browser, Result<(), String>)>,
{
    let site = Site::start("tests/fixtures/valid");
    let browser = Browser::start().await;
    let (browser, outcome) = check(site, browser).await;
    browser.close().await;
    if let Err(problem) = outcome {
        panic!("{problem}");
    }
}
