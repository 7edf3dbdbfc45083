//! The binary under test, started on a free loopback port, and a hand-written HTTP/1.1 client
//! that gives exact control over the bytes sent and the pace they are read at.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use wait_timeout::ChildExt;

/// The repository root: the content folder and fixtures are named from here.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The binary to test: `DRILLBOOK_BIN` (the release build, as `scripts/test` sets it), else the
/// debug build cargo made for this test target.
pub fn binary() -> PathBuf {
    std::env::var_os("DRILLBOOK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_drillbook")))
}

/// `drillbook serve` with `args` after it, run from the repository root, logging plainly (no
/// colours) at `info` so the `listening on` line is always there.
pub fn serve_command(args: &[&str]) -> Command {
    let mut command = Command::new(binary());
    command
        .arg("serve")
        .args(args)
        .current_dir(ROOT)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// A running `drillbook serve` over the bundled content; killed when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

impl Server {
    /// Starts the server on `127.0.0.1:0` and waits until it answers `/healthz`.
    pub fn start() -> Server {
        Server::start_with(serve_command(&[
            "--content",
            "content",
            "--bind",
            "127.0.0.1:0",
        ]))
    }

    /// Runs `command`, which must make the server listen on a port it logs, and waits until it
    /// answers `/healthz`.
    pub fn start_with(mut command: Command) -> Server {
        let mut child = command
            .spawn()
            .unwrap_or_else(|err| panic!("cannot run {}: {err}", binary().display()));
        let log = Arc::new(Mutex::new(String::new()));
        let (found, listening) = mpsc::channel();
        let stderr = child.stderr.take().expect("stderr is piped");
        let sink = Arc::clone(&log);
        // Drains stderr for the server's whole life (every request is logged, and a full pipe
        // would block the server), keeping it for failure messages.
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(addr) = listening_addr(&line) {
                    let _ = found.send(addr);
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let addr = match listening.recv_timeout(Duration::from_secs(30)) {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                let status = child.wait();
                panic!(
                    "no `listening on` line in 30 s (exit: {status:?}); stderr:\n{}",
                    log.lock().unwrap()
                );
            }
        };
        let mut server = Server { child, addr, log };
        server.wait_until_healthy();
        server
    }

    fn wait_until_healthy(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(response) = get(self.addr, "/healthz")
                && response.status == 200
            {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the server exited with {status}:\n{}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "/healthz did not answer 200 in 10 s:\n{}",
                self.log()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Everything the server wrote on stderr so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the server has logged a line containing `text`, for at most `limit`.
    pub fn wait_for_log(&self, text: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        while !self.log().contains(text) {
            assert!(
                Instant::now() < deadline,
                "no {text:?} in the log within {limit:?}:\n{}",
                self.log()
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// `GET path` on a fresh connection, panicking on anything but a whole response.
    pub fn get(&self, path: &str) -> Response {
        get(self.addr, path).unwrap_or_else(|err| panic!("GET {path}: {err}"))
    }

    /// Asserts the server still serves: a fresh connection gets the home page.
    pub fn assert_serving(&self) {
        let home = self.get("/");
        assert_eq!(home.status, 200, "{}", home.text());
        assert!(home.text().starts_with("<!doctype html>"));
    }

    /// Sends SIGTERM (through kill(1): no libc).
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -TERM failed: {status}");
    }

    /// The exit status, if the process ends within `limit`.
    pub fn wait_for_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        self.child.wait_timeout(limit).expect("wait on the server")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The address in a `listening on http://ADDR` log line.
fn listening_addr(line: &str) -> Option<SocketAddr> {
    let (_, rest) = line.split_once("listening on http://")?;
    let addr: String = rest
        .chars()
        .take_while(|c| c.is_ascii_hexdigit() || matches!(c, '.' | ':' | '[' | ']'))
        .collect();
    addr.parse().ok()
}

/// A response, read whole.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of a header (names compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Whether the server said it closes the connection after this response.
    pub fn closes(&self) -> bool {
        self.header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"))
    }

    /// Asserts this is an error page in the site's layout with this status.
    pub fn assert_html_error(&self, status: u16) {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(
            self.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        let text = self.text();
        assert!(text.starts_with("<!doctype html>"), "{text}");
        assert!(text.contains("</html>"), "whole page: {text}");
    }
}

/// Why a response could not be read, and how much of it had arrived.
#[derive(Debug)]
pub struct Failure {
    /// Bytes of this response received before the failure (0: the server never began to answer).
    pub received: usize,
    /// The I/O error, if it was one (else the response was malformed or cut short).
    pub io: Option<io::ErrorKind>,
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (after {} bytes)", self.message, self.received)
    }
}

impl From<io::Error> for Failure {
    fn from(err: io::Error) -> Self {
        Failure {
            received: 0,
            io: Some(err.kind()),
            message: err.to_string(),
        }
    }
}

/// How a body is read: all at once, or `chunk` bytes at a time with a pause after each.
#[derive(Debug, Clone, Copy)]
pub enum Pace {
    Fast,
    Slow { chunk: usize, pause: Duration },
}

/// One client connection.
pub struct Conn {
    pub stream: TcpStream,
    buf: Vec<u8>,
    received: usize,
    /// Bytes read on this connection so far, for another thread to watch.
    pub progress: Arc<AtomicUsize>,
}

impl Conn {
    /// Connects with 10 s read and write timeouts, so no test hangs on a silent server.
    pub fn open(addr: SocketAddr) -> io::Result<Conn> {
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        stream.set_write_timeout(Some(Duration::from_secs(10)))?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            buf: Vec::new(),
            received: 0,
            progress: Arc::new(AtomicUsize::new(0)),
        })
    }

    pub fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)
    }

    /// Sends `GET path` (uncompressed, so every page has a Content-Length).
    pub fn send_get(&mut self, path: &str, close: bool) -> io::Result<()> {
        let connection = if close { "close" } else { "keep-alive" };
        self.send(
            format!(
                "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: identity\r\n\
                 Connection: {connection}\r\n\r\n"
            )
            .as_bytes(),
        )
    }

    /// Reads one response to a request that was not HEAD.
    pub fn response(&mut self) -> Result<Response, Failure> {
        self.response_paced(Pace::Fast)
    }

    pub fn response_paced(&mut self, pace: Pace) -> Result<Response, Failure> {
        self.received = self.buf.len();
        let result = self.read_response(pace);
        result.map_err(|mut failure| {
            failure.received = self.received;
            failure
        })
    }

    fn read_response(&mut self, pace: Pace) -> Result<Response, Failure> {
        let head_end = loop {
            if let Some(at) = find(&self.buf, b"\r\n\r\n") {
                break at + 4;
            }
            if self.buf.len() > 64 * 1024 {
                return Err(malformed("response head over 64 KiB"));
            }
            self.fill(Pace::Fast, "the response head")?;
        };
        let head = String::from_utf8(self.buf[..head_end].to_vec())
            .map_err(|_| malformed("response head is not UTF-8"))?;
        self.buf.drain(..head_end);
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let status = match status_line.split(' ').collect::<Vec<_>>()[..] {
            ["HTTP/1.1", code, ..] if code.len() == 3 => code
                .parse::<u16>()
                .map_err(|_| malformed(&format!("bad status line {status_line:?}")))?,
            _ => return Err(malformed(&format!("bad status line {status_line:?}"))),
        };
        let mut headers = Vec::new();
        for line in lines.filter(|l| !l.is_empty()) {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| malformed(&format!("bad header line {line:?}")))?;
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
        let mut response = Response {
            status,
            headers,
            body: Vec::new(),
        };
        let chunked = response
            .header("transfer-encoding")
            .is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
        if status == 204 || status == 304 || (100..200).contains(&status) {
            // No body, whatever the headers say.
        } else if chunked {
            response.body = self.read_chunked(pace)?;
        } else if let Some(length) = response.header("content-length") {
            let length: usize = length
                .parse()
                .map_err(|_| malformed(&format!("bad content-length {length:?}")))?;
            while self.buf.len() < length {
                self.fill(pace, "the body")?;
            }
            response.body = self.buf.drain(..length).collect();
        } else {
            // Delimited by the end of the connection.
            loop {
                match self.fill(pace, "the body") {
                    Ok(()) => {}
                    Err(failure) if failure.io == Some(io::ErrorKind::UnexpectedEof) => break,
                    Err(failure) => return Err(failure),
                }
            }
            response.body = std::mem::take(&mut self.buf);
        }
        Ok(response)
    }

    fn read_chunked(&mut self, pace: Pace) -> Result<Vec<u8>, Failure> {
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(at) = find(&self.buf, b"\r\n") {
                    break at;
                }
                self.fill(pace, "a chunk size")?;
            };
            let line = String::from_utf8_lossy(&self.buf[..line_end]).into_owned();
            let size = usize::from_str_radix(line.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| malformed(&format!("bad chunk size {line:?}")))?;
            self.buf.drain(..line_end + 2);
            while self.buf.len() < size + 2 {
                self.fill(pace, "a chunk")?;
            }
            if &self.buf[size..size + 2] != b"\r\n" {
                return Err(malformed("chunk not followed by CRLF"));
            }
            body.extend(self.buf.drain(..size));
            self.buf.drain(..2);
            if size == 0 {
                // No trailers are expected: the CRLF just read ends the message.
                return Ok(body);
            }
        }
    }

    /// Reads more bytes into the buffer; the end of the stream is an `UnexpectedEof` failure.
    fn fill(&mut self, pace: Pace, what: &str) -> Result<(), Failure> {
        let mut chunk = [0u8; 16 * 1024];
        let want = match pace {
            Pace::Fast => chunk.len(),
            Pace::Slow { chunk: n, .. } => n.min(chunk.len()),
        };
        let n = self.stream.read(&mut chunk[..want])?;
        if n == 0 {
            return Err(Failure {
                received: 0,
                io: Some(io::ErrorKind::UnexpectedEof),
                message: format!("connection closed while reading {what}"),
            });
        }
        self.buf.extend_from_slice(&chunk[..n]);
        self.received += n;
        self.progress.fetch_add(n, Ordering::SeqCst);
        if let Pace::Slow { pause, .. } = pace {
            thread::sleep(pause);
        }
        Ok(())
    }
}

fn malformed(message: &str) -> Failure {
    Failure {
        received: 0,
        io: None,
        message: message.to_string(),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `GET path` on a fresh connection that the client closes after the response.
pub fn get(addr: SocketAddr, path: &str) -> Result<Response, Failure> {
    let mut conn = Conn::open(addr)?;
    conn.send_get(path, true)?;
    conn.response()
}

/// Sends raw bytes on a fresh connection and reads one response.
pub fn exchange(addr: SocketAddr, request: &[u8]) -> Result<Response, Failure> {
    let mut conn = Conn::open(addr)?;
    conn.send(request)?;
    conn.response()
}

/// A free loopback port below the kernel's ephemeral range, so that no server of a test running
/// beside this one (they bind port 0) can be handed it meanwhile.
pub fn unused_port() -> u16 {
    let low = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|range| range.split_whitespace().next()?.parse::<u32>().ok())
        .unwrap_or(32768);
    let span = low.saturating_sub(10_000).max(1);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let offset = (std::process::id() ^ nanos) % span;
    (0..span)
        .map(|i| (10_000 + (offset + i) % span) as u16)
        .find(|&port| std::net::TcpListener::bind(("127.0.0.1", port)).is_ok())
        .expect("a free port below the ephemeral range")
}
