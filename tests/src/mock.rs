//! An HTTP/1.1 server on 127.0.0.1 whose every answer a test decides, down to the bytes.
//!
//! Real servers (and HTTP libraries) will not send a truncated body, reset a connection
//! mid-response or stall past a timeout on request; fault injection needs exactly that, so
//! this one speaks the protocol by hand.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A request as the server received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The request target as sent: path and query, still percent-encoded.
    pub target: String,
    /// Header names (lower-cased) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON.
    ///
    /// # Panics
    /// When it is not JSON (a test failure).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("request body is not JSON ({e}): {:?}", self.body))
    }

    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// The query string, if any.
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, q)| q)
    }
}

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A complete response.
    Http {
        /// Status code.
        status: u16,
        /// Extra headers (Content-Length is added).
        headers: Vec<(String, String)>,
        /// Body.
        body: Vec<u8>,
    },
    /// Wait, then do the inner reply (a slow server).
    Delay(Duration, Box<Reply>),
    /// Headers promising more body than is sent, then close: a truncated response.
    Truncated {
        /// Status code.
        status: u16,
        /// The part of the body that is sent.
        partial: Vec<u8>,
        /// The length announced.
        announced: usize,
    },
    /// Close the connection with a TCP reset, without answering.
    Reset,
    /// A JSON body of `count` copies of `chunk`, sent with chunked transfer encoding (so
    /// without a length) until done or the client hangs up.
    Chunked {
        /// Status code.
        status: u16,
        /// One chunk.
        chunk: Vec<u8>,
        /// How many times it is sent.
        count: usize,
    },
}

impl Reply {
    /// A JSON response.
    pub fn json(status: u16, body: &serde_json::Value) -> Reply {
        Reply::Http {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    /// A response with a body of the given content type.
    pub fn body(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Http { status, headers: vec![("content-type".into(), content_type.into())], body: body.into() }
    }

    /// The same reply with one more header.
    #[must_use]
    pub fn with_header(self, name: &str, value: &str) -> Reply {
        match self {
            Reply::Http { status, mut headers, body } => {
                headers.push((name.into(), value.into()));
                Reply::Http { status, headers, body }
            }
            other => other,
        }
    }
}

type Handler = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

/// A running server; stops when dropped.
pub struct MockServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: JoinHandle<()>,
}

impl MockServer {
    /// Serve `handler(request, index)` for every request (index counts from 0 across
    /// connections). Must be called inside a tokio runtime.
    ///
    /// # Panics
    /// When no port on 127.0.0.1 can be bound.
    pub async fn start(handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static) -> MockServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let recorded = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&handler), Arc::clone(&recorded)));
            }
        });
        MockServer { addr, requests, task }
    }

    /// Answer every request with `body`, as JSON with status 200.
    pub async fn serving(body: serde_json::Value) -> MockServer {
        MockServer::start(move |_, _| Reply::json(200, &body)).await
    }

    /// Answer the requests with `replies` in order; any request beyond them gets a 500.
    pub async fn script(replies: Vec<Reply>) -> MockServer {
        MockServer::start(move |_, i| {
            replies.get(i).cloned().unwrap_or_else(|| Reply::body(500, "text/plain", "mock server: script exhausted"))
        })
        .await
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, handler: Arc<Handler>, requests: Arc<Mutex<Vec<Recorded>>>) {
    let mut buf = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buf).await else { return };
        let index = {
            let Ok(mut all) = requests.lock() else { return };
            all.push(request.clone());
            all.len() - 1
        };
        let reply = handler(&request, index);
        if !respond(&mut stream, reply).await {
            return;
        }
    }
}

/// Read one request (head and Content-Length body); `None` at end of stream or on garbage.
async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_owned(), first.next()?.to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize =
        headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    buf.drain(..head_end + 4);
    while buf.len() < length {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body: Vec<u8> = buf.drain(..length).collect();
    Some(Recorded { method, target, headers, body })
}

/// Write the reply; `false` when the connection is done.
async fn respond(stream: &mut TcpStream, reply: Reply) -> bool {
    match reply {
        Reply::Http { status, headers, body } => {
            let mut out = format!("HTTP/1.1 {status} {}\r\ncontent-length: {}\r\n", reason(status), body.len());
            for (n, v) in headers {
                out.push_str(&format!("{n}: {v}\r\n"));
            }
            out.push_str("\r\n");
            let mut bytes = out.into_bytes();
            bytes.extend_from_slice(&body);
            stream.write_all(&bytes).await.is_ok()
        }
        Reply::Delay(wait, inner) => {
            tokio::time::sleep(wait).await;
            Box::pin(respond(stream, *inner)).await
        }
        Reply::Truncated { status, partial, announced } => {
            let head = format!(
                "HTTP/1.1 {status} {}\r\ncontent-type: application/json\r\ncontent-length: {announced}\r\n\r\n",
                reason(status)
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&partial).await;
            let _ = stream.flush().await;
            false
        }
        Reply::Reset => {
            let _ = stream.set_zero_linger();
            false
        }
        Reply::Chunked { status, chunk, count } => {
            let head = format!(
                "HTTP/1.1 {status} {}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
                reason(status)
            );
            if stream.write_all(head.as_bytes()).await.is_err() {
                return false;
            }
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(&chunk);
            framed.extend_from_slice(b"\r\n");
            for _ in 0..count {
                if stream.write_all(&framed).await.is_err() {
                    return false;
                }
            }
            stream.write_all(b"0\r\n\r\n").await.is_ok()
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        409 => "Conflict",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}
