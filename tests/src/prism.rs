//! Prism (npm `@stoplight/prism-cli`, pinned in `tests/package-lock.json`) serving the
//! schema as a mock API that validates every request against it.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How Prism makes up responses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The schema's examples.
    Static,
    /// Values generated from the schemas (`-d`).
    Dynamic,
}

/// A running `prism mock`; killed when dropped.
pub struct Prism {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Prism {
    /// Start Prism on a free port of 127.0.0.1 for the Northflank schema, with request
    /// validation errors (`--errors`): a request that breaks the schema gets a 4xx.
    ///
    /// # Panics
    /// When Prism is not installed (run `cargo xtask test`, which installs it) or does not
    /// come up within a minute. A missing Prism fails the test; it is never skipped.
    pub fn start(mode: Mode) -> Prism {
        let root = crate::workspace_root();
        let bin = root.join("tests/node_modules/.bin/prism");
        assert!(
            bin.exists(),
            "Prism is not installed at {}; `cargo xtask test` installs it (npm ci in tests/)",
            bin.display()
        );
        let port = free_port();
        let log = std::env::temp_dir().join(format!("clientgen-prism-{}-{port}.log", std::process::id()));
        let out = std::fs::File::create(&log).expect("create the Prism log");
        let mut cmd = Command::new(&bin);
        cmd.arg("mock").arg(root.join("schema/northflank-jobs.yaml")).args([
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "--errors",
        ]);
        if mode == Mode::Dynamic {
            cmd.arg("-d");
        }
        let child = cmd
            .stdout(Stdio::from(out.try_clone().expect("log handle")))
            .stderr(Stdio::from(out))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let prism = Prism { child, port, log };
        prism.wait_ready();
        prism
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What Prism printed so far (its request validation messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn wait_ready(&self) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if self.log().contains("Prism is listening") {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("Prism did not start within 60 s; its output:\n{}", self.log());
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}
