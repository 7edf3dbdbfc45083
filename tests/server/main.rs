//! The release binary against hostile clients, load and faults, over loopback.
//!
//! Each test starts its own `drillbook serve` on its own port (`DRILLBOOK_BIN`, else the debug
//! build) and talks to it with a hand-written HTTP/1.1 client over `std::net::TcpStream`, for
//! exact control over the bytes sent and when. Timing bounds are generous: the machines are
//! shared and noisy.

mod client_errors;
mod deploy;
mod faults;
mod harness;
mod limits;
mod memory;
mod offload;
#[path = "../support/tree.rs"]
mod tree;
