//! What deployments rely on: configuration by environment variables, JSON logs, the health probe
//! for images without curl, a `--version` that names the content, and `--watch` in the real
//! binary.

use crate::tree::copy_tree;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::harness::{self, Server, binary, serve_command, unused_port};

/// `drillbook` with no arguments, configured only by `DRILLBOOK_*` variables.
#[test]
fn environment_variables_configure_the_server_and_json_logs_are_one_object_per_line() {
    let mut command = Command::new(binary());
    command
        .current_dir(harness::ROOT)
        .env("DRILLBOOK_BIND", "127.0.0.1:0")
        .env("DRILLBOOK_CONTENT", "tests/fixtures/valid")
        .env("DRILLBOOK_BASE_URL", "https://env.example")
        .env("DRILLBOOK_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let server = Server::start_with(command);
    let page = server.get("/questions/1/what-is-the-first-question");
    assert_eq!(page.status, 200);
    assert!(
        page.text()
            .contains(r#"<link rel="canonical" href="https://env.example/questions/1/what-is-the-first-question">"#),
        "{}",
        page.text()
    );
    let log = server.log();
    let mut messages = Vec::new();
    for line in log.lines() {
        let event: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|err| panic!("not a JSON object ({err}): {line}"));
        assert!(
            event["timestamp"].is_string() && event["level"].is_string(),
            "{line}"
        );
        messages.push(
            event["fields"]["message"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
    }
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("content loaded") && m.ends_with("tests/fixtures/valid")),
        "{log}"
    );
}

fn probe(args: &[&str]) -> (bool, String) {
    let output = Command::new(binary())
        .arg("probe")
        .args(args)
        .env_remove("DRILLBOOK_BIND")
        .output()
        .expect("run drillbook probe");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn probe_exits_0_only_when_the_server_answers_200() {
    let server = Server::start();
    let bind = server.addr.to_string();
    assert_eq!(probe(&["--bind", &bind]), (true, String::new()));
    let unspecified = format!("0.0.0.0:{}", server.addr.port());
    assert!(
        probe(&["--bind", &unspecified]).0,
        "0.0.0.0 is probed on loopback"
    );
    assert!(probe(&["--bind", &bind, "--path", "/readyz"]).0);

    let (healthy, message) = probe(&["--bind", &bind, "--path", "/no-such-page"]);
    assert!(!healthy && message.contains("404"), "{message}");
    drop(server);
    let (healthy, message) = probe(&["--bind", &bind]);
    assert!(!healthy && message.contains("no answer"), "{message}");
}

/// `drillbook --version` on `content`, whatever the test's environment says.
fn version_command(content: &str) -> Command {
    let mut command = Command::new(binary());
    command
        .args(["--version", "--content", content])
        .current_dir(harness::ROOT)
        .env_remove("DRILLBOOK_CONTENT");
    command
}

fn version(content: &str) -> String {
    let output = version_command(content)
        .output()
        .expect("run drillbook --version");
    assert!(output.status.success());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The 32 hex digits after `checksum` in `text`.
fn checksum_in(text: &str) -> String {
    let (_, rest) = text
        .split_once("checksum")
        .unwrap_or_else(|| panic!("no checksum in {text}"));
    let digits: String = rest
        .trim_start_matches([' ', '=', '"', ':'])
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    assert_eq!(digits.len(), 32, "{text}");
    digits
}

#[test]
fn version_names_the_commit_and_the_checksum_of_the_content_the_server_logs() {
    let shipped = version("content");
    let first_line = shipped.lines().next().unwrap_or_default();
    assert!(
        first_line.starts_with(&format!("drillbook {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{shipped}"
    );
    assert!(
        shipped.contains("content: 150 questions from folder \"content\", checksum "),
        "{shipped}"
    );
    let checksum = checksum_in(&shipped);

    let server = Server::start();
    let log = server.log();
    let loaded = log
        .lines()
        .find(|l| l.contains("content loaded"))
        .unwrap_or_default();
    assert_eq!(
        checksum_in(loaded),
        checksum,
        "the server reports what --version does"
    );

    assert_ne!(checksum_in(&version("tests/fixtures/valid")), checksum);
    let invalid = version("tests/fixtures/invalid");
    assert!(invalid.contains("not servable"), "{invalid}");
}

/// Where `/questions/1` redirects to now.
fn location_of_question_1(server: &Server) -> String {
    let response = server.get("/questions/1");
    response.header("location").unwrap_or_default().to_string()
}

#[test]
fn watch_swaps_in_an_edit_and_keeps_the_last_good_bank_when_one_is_invalid() {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_tree(
        &Path::new(harness::ROOT).join("tests/fixtures/valid"),
        dir.path(),
    );
    let content = dir.path().to_str().expect("UTF-8 path");
    let server = Server::start_with(serve_command(&[
        "--content",
        content,
        "--bind",
        "127.0.0.1:0",
        "--watch",
    ]));
    server.wait_for_log("watching", Duration::from_secs(5));
    assert!(location_of_question_1(&server).ends_with("/questions/1/what-is-the-first-question"));

    let question = dir.path().join("basics/001-first.md");
    let text = fs::read_to_string(&question).expect("read question");
    let edited = text.replacen(
        "What is the first question?",
        "What is the watched question?",
        1,
    );
    fs::write(&question, &edited).expect("edit question");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !location_of_question_1(&server).ends_with("/questions/1/what-is-the-watched-question") {
        assert!(
            Instant::now() < deadline,
            "the edit was not served in 20 s:\n{}",
            server.log()
        );
        thread::sleep(Duration::from_millis(100));
    }
    let page = server.get("/questions/1/what-is-the-watched-question");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("What is the watched question?"));

    fs::write(
        &question,
        edited.replacen("difficulty = \"easy\"", "difficulty = \"impossible\"", 1),
    )
    .expect("break question");
    server.wait_for_log("001-first.md:4:", Duration::from_secs(20));
    // The site owner's to fix, so an error, unlike a client's mistake (see client_errors.rs).
    assert!(
        server
            .log()
            .lines()
            .any(|line| line.contains(" ERROR drillbook::reload: ")
                && line.contains("001-first.md:4:")),
        "{}",
        server.log()
    );
    server.wait_for_log("still serving the last good bank", Duration::from_secs(5));
    assert!(location_of_question_1(&server).ends_with("/questions/1/what-is-the-watched-question"));
    assert_eq!(
        server
            .get("/questions/1/what-is-the-watched-question")
            .status,
        200
    );
}

/// Logs piped to journald, Docker or a file carry no colour escape codes.
#[test]
fn text_logs_have_no_colour_codes_when_stderr_is_not_a_terminal() {
    let mut command =
        serve_command(&["--content", "tests/fixtures/valid", "--bind", "127.0.0.1:0"]);
    command.env_remove("NO_COLOR");
    let server = Server::start_with(command);
    let log = server.log();
    assert!(log.contains("content loaded"), "{log}");
    assert!(!log.contains('\u{1b}'), "escape codes in:\n{log:?}");
}

#[test]
fn links_follow_another_loopback_port_unless_a_base_url_is_given() {
    // The shipped site.toml names http://127.0.0.1:8080.
    let bind = format!("127.0.0.1:{}", unused_port());
    let server = Server::start_with(serve_command(&["--content", "content", "--bind", &bind]));
    let about = server.get("/about").text();
    assert!(
        about.contains(&format!(
            r#"<link rel="canonical" href="http://{bind}/about">"#
        )),
        "{about}"
    );
    let sitemap = server.get("/sitemap.xml").text();
    assert!(
        sitemap.contains(&format!("<loc>http://{bind}/</loc>")),
        "{sitemap}"
    );
    assert!(!sitemap.contains("127.0.0.1:8080"), "{sitemap}");
    let log = server.log();
    assert!(
        log.lines()
            .any(|l| l.contains("INFO") && l.contains(&format!("links use http://{bind}"))),
        "{log}"
    );
    drop(server);

    let bind = format!("127.0.0.1:{}", unused_port());
    let given = Server::start_with(serve_command(&[
        "--content",
        "content",
        "--bind",
        &bind,
        "--base-url",
        "https://given.example",
    ]));
    assert!(
        given
            .get("/about")
            .text()
            .contains(r#"<link rel="canonical" href="https://given.example/about">"#)
    );
    assert!(!given.log().contains("links use"), "{}", given.log());
}

#[test]
fn every_interface_with_loopback_links_warns_with_the_flag_to_pass() {
    let port = unused_port();
    let server = Server::start_with(serve_command(&[
        "--content",
        "content",
        "--bind",
        &format!("0.0.0.0:{port}"),
    ]));
    let about = server.get("/about").text();
    assert!(
        about.contains(&format!(
            r#"<link rel="canonical" href="http://127.0.0.1:{port}/about">"#
        )),
        "{about}"
    );
    let log = server.log();
    assert!(
        log.lines().any(|l| l.contains("WARN")
            && l.contains("which only this machine can open")
            && l.contains("--base-url")),
        "{log}"
    );
}

#[test]
fn version_into_a_closed_pipe_exits_cleanly() {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let output = version_command("content")
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("run drillbook --version");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?}: {stderr}", output.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
