//! A real drillbook server and a real headless Chromium, both on loopback, for tests of what the
//! script does. Needs Debian's `chromium` and `chromium-driver` (scripts/test installs them).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand, WindowHandle};
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
    pub port: u16,
    _process: Process,
}

impl Site {
    pub fn start(content: &str) -> Site {
        Site::start_on(content, free_port())
    }

    /// The site on a given loopback port: a server started again on the same port is the same
    /// origin to the browser, with the same storage and service worker.
    pub fn start_on(content: &str, port: u16) -> Site {
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
            port,
            _process: Process(child),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// A chromedriver command beyond WebDriver's own: a POST to `session/{id}/{path}`.
#[derive(Debug)]
struct Chromedriver {
    path: &'static str,
    body: serde_json::Value,
}

impl Chromedriver {
    /// A Chrome DevTools Protocol command, through `goog/cdp/execute`.
    fn cdp(cmd: &str, params: serde_json::Value) -> Chromedriver {
        Chromedriver {
            path: "goog/cdp/execute",
            body: serde_json::json!({ "cmd": cmd, "params": params }),
        }
    }
}

impl WebDriverCompatibleCommand for Chromedriver {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// How to launch the browser, beyond the defaults every test uses.
#[derive(Debug, Clone, Copy, Default)]
pub struct Launch {
    /// A fake microphone (Chromium's test tone) in place of real devices.
    pub fake_microphone: bool,
    /// Grant every media permission without asking (Chromium's fake permission prompt).
    pub grant_microphone: bool,
    /// Keep the DevTools network events, for [`Browser::requests`].
    pub network_log: bool,
}

/// One request the page made, from the DevTools `Network.requestWillBeSent` event.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub url: String,
    /// The body, when the request had one.
    pub post_data: Option<String>,
}

/// Headless Chromium under chromedriver.
pub struct Browser {
    pub client: Client,
    _driver: Process,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn start() -> Browser {
        Browser::launch(Launch::default()).await
    }

    pub async fn launch(launch: Launch) -> Browser {
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
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--window-size=1024,900".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        if launch.fake_microphone {
            args.push("--use-fake-device-for-media-stream".into());
        }
        if launch.grant_microphone {
            args.push("--use-fake-ui-for-media-stream".into());
        }
        let mut options = serde_json::json!({ "binary": chromium, "args": args });
        let mut capabilities = Capabilities::new();
        if launch.network_log {
            options["perfLoggingPrefs"] =
                serde_json::json!({ "enableNetwork": true, "enablePage": false });
            capabilities.insert(
                "goog:loggingPrefs".to_string(),
                serde_json::json!({ "performance": "ALL" }),
            );
        }
        capabilities.insert("goog:chromeOptions".to_string(), options);
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
            let path = self.path().await?;
            if arrived(&path) {
                return Ok(path);
            }
            if Instant::now() > deadline {
                return Err(format!("still at {path} after 10 s"));
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

    /// The first element matching a CSS selector; the error names the selector.
    async fn find(&self, css: &str) -> Result<Element, String> {
        self.client
            .find(Locator::Css(css))
            .await
            .map_err(|e| format!("find {css}: {e:?}"))
    }

    /// Whether any element matches a CSS selector, for steps that depend on what the page has.
    pub async fn has(&self, css: &str) -> bool {
        self.holds(&format!("document.querySelector({css:?}) !== null"))
            .await
    }

    /// Types `text` into the first field matching a CSS selector, as a person would.
    pub async fn type_into(&self, css: &str, text: &str) -> Result<(), String> {
        self.find(css)
            .await?
            .send_keys(text)
            .await
            .map_err(|e| format!("type into {css}: {e:?}"))
    }

    /// Empties the first field matching a CSS selector, then types `text` into it: the field
    /// ends up holding exactly `text`, whatever the page filled in.
    pub async fn replace_text(&self, css: &str, text: &str) -> Result<(), String> {
        self.find(css)
            .await?
            .clear()
            .await
            .map_err(|e| format!("clear {css}: {e:?}"))?;
        self.type_into(css, text).await
    }

    /// Clicks the first element matching a CSS selector.
    pub async fn click(&self, css: &str) -> Result<(), String> {
        self.find(css)
            .await?
            .click()
            .await
            .map_err(|e| format!("click {css}: {e:?}"))
    }

    /// The path of the page the browser is on now.
    pub async fn path(&self) -> Result<String, String> {
        self.client
            .current_url()
            .await
            .map(|url| url.path().to_string())
            .map_err(|e| format!("current url: {e:?}"))
    }

    /// Waits up to 5 s for a JavaScript expression to be `true`; the error names it.
    pub async fn wait_until(&self, expression: &str) -> Result<(), String> {
        self.wait_for(expression, Duration::from_secs(5)).await
    }

    /// Waits up to `limit` for a JavaScript expression to be `true`; the error names it.
    pub async fn wait_for(&self, expression: &str, limit: Duration) -> Result<(), String> {
        let deadline = Instant::now() + limit;
        while !self.holds(expression).await {
            if Instant::now() > deadline {
                return Err(format!(
                    "still not true after {} s: {expression}",
                    limit.as_secs()
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }

    /// Makes the page render as it would for a printer (Chrome DevTools Protocol, through
    /// chromedriver).
    pub async fn emulate_print(&self) -> Result<(), String> {
        self.cdp(
            "Emulation.setEmulatedMedia",
            serde_json::json!({ "media": "print" }),
        )
        .await
        .map(|_| ())
    }

    /// Runs a Chrome DevTools Protocol command on the page's target.
    pub async fn cdp(
        &self,
        cmd: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        self.client
            .issue_cmd(Chromedriver::cdp(cmd, params))
            .await
            .map_err(|e| format!("{cmd}: {e:?}"))
    }

    /// Cuts the page off from the network, or connects it again, as DevTools' "Offline" does
    /// (`navigator.onLine` follows).
    pub async fn set_offline(&self, offline: bool) -> Result<(), String> {
        self.cdp("Network.enable", serde_json::json!({})).await?;
        self.cdp(
            "Network.emulateNetworkConditions",
            serde_json::json!({
                "offline": offline,
                "latency": 0,
                "downloadThroughput": -1,
                "uploadThroughput": -1,
            }),
        )
        .await
        .map(|_| ())
    }

    /// Runs `script` in every page this tab opens from now on, before the page's own scripts
    /// (DevTools' `Page.addScriptToEvaluateOnNewDocument`): a spy or a stub put in place first.
    pub async fn before_each_page(&self, script: &str) -> Result<(), String> {
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({ "source": script }),
        )
        .await
        .map(|_| ())
    }

    /// Opens another tab of this browser (the same profile, so the same storage) and makes it
    /// the current one; returns the handles of the tab that was current and of the new one.
    pub async fn open_tab(&self) -> Result<(WindowHandle, WindowHandle), String> {
        let first = self
            .client
            .window()
            .await
            .map_err(|e| format!("current tab: {e:?}"))?;
        let second = self
            .client
            .new_window(true)
            .await
            .map_err(|e| format!("new tab: {e:?}"))?
            .handle;
        self.switch_to(&second).await?;
        Ok((first, second))
    }

    /// Makes a tab the current one: what the next commands see and do.
    pub async fn switch_to(&self, tab: &WindowHandle) -> Result<(), String> {
        self.client
            .switch_to_window(tab.clone())
            .await
            .map_err(|e| format!("switch tab: {e:?}"))
    }

    /// The requests the browser sent since the last call (launched with `network_log`).
    pub async fn requests(&self) -> Result<Vec<Request>, String> {
        let log = self
            .client
            .issue_cmd(Chromedriver {
                path: "se/log",
                body: serde_json::json!({ "type": "performance" }),
            })
            .await
            .map_err(|e| format!("performance log: {e:?}"))?;
        let entries = log.as_array().ok_or("the performance log is not a list")?;
        let mut requests = Vec::new();
        for entry in entries {
            let message = entry["message"].as_str().unwrap_or_default();
            let event: serde_json::Value =
                serde_json::from_str(message).map_err(|e| format!("log entry {message}: {e}"))?;
            if event["message"]["method"] != "Network.requestWillBeSent" {
                continue;
            }
            let request = &event["message"]["params"]["request"];
            requests.push(Request {
                method: request["method"].as_str().unwrap_or_default().to_string(),
                url: request["url"].as_str().unwrap_or_default().to_string(),
                post_data: request["postData"].as_str().map(str::to_string),
            });
        }
        Ok(requests)
    }

    /// Runs an asynchronous script (its last argument is the callback) and returns its value.
    pub async fn eval_async(&self, script: &str) -> Result<serde_json::Value, String> {
        self.client
            .execute_async(script, vec![])
            .await
            .map_err(|e| format!("async script: {e:?}"))
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
