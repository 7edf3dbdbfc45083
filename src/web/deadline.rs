//! A time limit on every request a connection carries, not only its first.
//!
//! actix-http times out the head of a connection's first request (a 408), but once one response
//! is sent it clears that timer for good: a client could make one quick request and then trickle
//! the next head a byte at a time for as long as it liked, holding the connection. This wrapper
//! around the socket closes such a connection: from the first byte of a request, the server must
//! start answering within the limit, or the next read fails with `TimedOut` and actix drops the
//! connection. Every handler answers in milliseconds, so only a client that sends slowly is
//! affected; the first request still gets actix's 408, which comes sooner.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep, sleep};

/// A stream whose reads fail once a request has waited longer than `limit` for an answer.
#[derive(Debug)]
pub struct RequestDeadline<S> {
    inner: S,
    limit: Duration,
    /// Armed from the first byte read after the last write (the start of a request) until the
    /// next write (the start of its answer); allocated once and reset for each request.
    timer: Pin<Box<Sleep>>,
    armed: bool,
}

impl<S> RequestDeadline<S> {
    /// Wraps `inner`, giving each request `limit` to arrive.
    pub fn new(inner: S, limit: Duration) -> RequestDeadline<S> {
        RequestDeadline {
            inner,
            limit,
            timer: Box::pin(sleep(limit)),
            armed: false,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for RequestDeadline<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.armed && this.timer.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the request took too long to arrive",
            )));
        }
        let before = buf.filled().len();
        let read = Pin::new(&mut this.inner).poll_read(cx, buf);
        if !this.armed && buf.filled().len() > before {
            this.armed = true;
            this.timer.as_mut().reset(Instant::now() + this.limit);
            // Polled once so that it wakes this task when it fires.
            let _ = this.timer.as_mut().poll(cx);
        }
        read
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for RequestDeadline<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(written, Poll::Ready(Ok(n)) if n > 0) {
            self.armed = false;
        }
        written
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(written, Poll::Ready(Ok(n)) if n > 0) {
            self.armed = false;
        }
        written
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt, duplex};

    #[tokio::test(start_paused = true)]
    async fn a_request_must_be_answered_within_the_limit_of_its_first_byte() {
        let (mut client, server) = duplex(64);
        let mut server = RequestDeadline::new(server, Duration::from_secs(5));
        let mut buf = [0u8; 16];

        // Idle time before a request does not count: that is keep-alive's business.
        tokio::time::sleep(Duration::from_secs(60)).await;
        client.write_all(b"GET").await.unwrap();
        assert_eq!(server.read(&mut buf).await.unwrap(), 3);
        tokio::time::sleep(Duration::from_secs(4)).await;
        client.write_all(b" /").await.unwrap();
        assert_eq!(server.read(&mut buf).await.unwrap(), 2, "still in time");
        server.write_all(b"HTTP/1.1 200 OK\r\n").await.unwrap();

        // An answer restarts the clock: the next request has its own five seconds.
        tokio::time::sleep(Duration::from_secs(30)).await;
        client.write_all(b"G").await.unwrap();
        assert_eq!(server.read(&mut buf).await.unwrap(), 1);
        let late = server.read(&mut buf).await.unwrap_err();
        assert_eq!(late.kind(), io::ErrorKind::TimedOut);
    }
}
