#![allow(clippy::unwrap_used, clippy::expect_used)]
// A counting allocator has to implement `GlobalAlloc`, an unsafe trait; it only forwards.
#![allow(unsafe_code)]
//! What a connection costs the server in heap bytes while it is sent a page (issue 23: at 9:00
//! on the opening day 10,000 phones fetch the same first page, and the server's RSS peaked
//! there). The page is kept once by the page cache and shared by every answer; a connection
//! whose client reads slowly must hold little more than its place in that body. Its own test
//! binary: a counting allocator measures the heap live while N connections each wait for the
//! kernel to take more of the page, against the same N connections open and idle.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Duration;

use marktplatz_tests::Harness;
use marktplatz_tests::fixtures::synthetic_bundle;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpSocket, TcpStream};

/// The system allocator, counting the bytes it has handed out and not yet been given back.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded unchanged; `ptr` came from `alloc` above.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: forwarded unchanged; `ptr` came from this allocator with `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const EVENT: &str = "mp-nordwest";
const CONNECTIONS: usize = 40;
/// Requests for the page sent at once on each connection: more bytes than the kernel's socket
/// buffers hold (at most 4 MiB to send here), so the server is left writing a page body.
const PIPELINED: usize = 8;

/// Live heap bytes once the server has settled (its tasks ran).
async fn settled_live() -> isize {
    tokio::time::sleep(Duration::from_millis(700)).await;
    LIVE.load(Ordering::Relaxed)
}

/// A connection whose client reads nothing, with a small receive buffer.
async fn slow_reader(addr: std::net::SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    socket.connect(addr).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_sent_a_page_holds_little_heap_of_its_own() {
    let h = Harness::start_with(|config| {
        config.max_connections_per_ip = 1_000;
        // Production pages (the harness makes them small to test paging).
        config.page_limit = marktplatz_server::config::DEFAULT_PAGE_LIMIT;
    })
    .await;
    h.publish(&synthetic_bundle(EVENT, 2_000));
    let addr = h.server.addr();
    // The first page of a sync, as every phone fetches it.
    let path = format!("/v1/events/{EVENT}/changes");
    // The page is built and kept before anything is counted (plain: no compression to wait for).
    let page = marktplatz_tests::raw_http::get(addr, &path, &[]).await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-encoding").is_none());
    eprintln!("page: {} bytes", page.body.len());
    assert!(
        page.body.len() * PIPELINED > 8 << 20,
        "the page ({} bytes) is too small to fill the socket buffers",
        page.body.len()
    );
    let request = format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\n\r\n").repeat(PIPELINED);

    let bare = settled_live().await;
    let mut connections = Vec::with_capacity(CONNECTIONS);
    for _ in 0..CONNECTIONS {
        connections.push(slow_reader(addr).await);
    }
    let connected = settled_live().await;
    eprintln!(
        "heap per open connection: {} bytes",
        (connected - bare) / CONNECTIONS as isize
    );
    for connection in &mut connections {
        connection.write_all(request.as_bytes()).await.unwrap();
    }
    let sending = settled_live().await;
    let per_connection = (sending - connected) / CONNECTIONS as isize;
    eprintln!("heap per connection being sent the page: {per_connection} bytes");
    // The body is the page cache's, shared; what a connection holds is its pipelined request
    // heads and the write's state. The front's answer buffer was 16.9 KB, held through the
    // whole body's write.
    assert!(
        per_connection < 8_192,
        "a connection being sent a page holds {per_connection} bytes of heap"
    );
    drop(connections);
}
