//! Many generated crates built at once: numbered slots of one scratch workspace under the
//! target directory, the target directory of the fixture crates (dependencies compile once),
//! one `cargo clippy` and one `cargo doc` per batch, and each crate's messages told apart by
//! its manifest path.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clientgen::{Options, generate_from_str, output};
use clientgen_tests::fixtures;

/// A document to generate a crate from.
pub struct Candidate {
    /// What it is, for messages and file names (`seed-42`).
    pub label: String,
    /// The document.
    pub yaml: String,
}

/// Why a candidate's crate is not clean.
#[derive(Clone, Debug)]
pub struct Failure {
    /// `generate`, `clippy` or `doc`.
    pub stage: &'static str,
    /// The distinct classes of its diagnostics, first seen first: codes (`E0308`,
    /// `clippy::needless_borrow`, `rustdoc::bare_urls`), unused items (`dead_code \`accept\``),
    /// a message's first line where it has no code.
    pub codes: Vec<String>,
    /// The first message of each class, rendered as rustc renders it.
    pub messages: Vec<String>,
}

impl Failure {
    /// Whether the failure has diagnostic `code`.
    pub fn has(&self, code: &str) -> bool {
        self.codes.iter().any(|c| c == code)
    }

    /// The failure: its codes, and the first message of each cut to `lines` lines.
    pub fn describe(&self, lines: usize) -> String {
        let mut s = format!("{} failed: {}\n", self.stage, self.codes.join(", "));
        for m in &self.messages {
            for l in m.lines().take(lines) {
                let _ = writeln!(s, "    {l}");
            }
        }
        s
    }
}

/// The outcome of one batch.
pub struct Batch {
    /// Per candidate, in order: `None` when its crate is clean.
    pub verdicts: Vec<Option<Failure>>,
    /// Seconds `cargo clippy` took.
    pub clippy_seconds: f64,
    /// Seconds `cargo doc` took (0 when not run).
    pub doc_seconds: f64,
}

/// A scratch workspace that batches are built in, its crates called `<prefix>-NN`.
pub struct Workspace {
    /// The scratch workspace.
    pub root: PathBuf,
    prefix: &'static str,
}

impl Workspace {
    /// The workspace at `root`, whose crates are `<prefix>-00`, `<prefix>-01`, ...
    pub fn new(root: PathBuf, prefix: &'static str) -> Self {
        Workspace { root, prefix }
    }

    /// The crate directory of slot `i`.
    pub fn slot(&self, i: usize) -> PathBuf {
        self.root.join(format!("c{i:02}"))
    }

    /// Generate a crate per candidate into the slots, then lint (and document) them all.
    ///
    /// # Panics
    /// When a crate cannot be written or cargo fails without a message to attribute.
    pub fn run(&self, candidates: &[Candidate], doc: bool) -> Batch {
        let mut verdicts: Vec<Option<Failure>> = vec![None; candidates.len()];
        let mut members = Vec::new();
        let mut by_manifest: BTreeMap<PathBuf, usize> = BTreeMap::new();
        for (i, c) in candidates.iter().enumerate() {
            let dir = self.slot(i);
            let name = format!("{}-{i:02}", self.prefix);
            match generate_from_str(&format!("{}.yaml", c.label), &c.yaml, &Options::new(&name)) {
                Ok(krate) => {
                    output::write(&dir, &krate.files).unwrap_or_else(|e| panic!("cannot write {}: {e}", dir.display()));
                    write_if_changed(&dir.join("schema.yaml"), &c.yaml);
                    members.push(format!("c{i:02}"));
                    by_manifest.insert(canonical(&dir.join("Cargo.toml")), i);
                }
                Err(d) => {
                    let messages = vec![d.render(false)];
                    let codes = d.iter().filter(|d| d.is_error()).map(|d| first_line(&d.message)).collect();
                    verdicts[i] = Some(Failure { stage: "generate", codes, messages });
                }
            }
        }
        fixtures::remove_others(&self.root, &members);
        std::fs::create_dir_all(&self.root).expect("create the scratch workspace");
        write_if_changed(&self.root.join("Cargo.toml"), &fixtures::workspace_manifest(&members));
        fixtures::seed_lock(&self.root);
        if members.is_empty() {
            return Batch { verdicts, clippy_seconds: 0.0, doc_seconds: 0.0 };
        }
        // The fixture crates' target directory: dependencies are built once for both tests.
        let target = fixtures::crates_target_dir();
        let clippy = [
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--keep-going",
            "--message-format=json",
            "--",
            "-D",
            "warnings",
        ];
        let run = fixtures::cargo(&self.root, &target, &clippy, &[]);
        attribute(&run, "clippy", &by_manifest, &mut verdicts);
        let clippy_seconds = run.seconds;
        let mut doc_seconds = 0.0;
        if doc {
            let args = ["doc", "--workspace", "--no-deps", "--all-features", "--keep-going", "--message-format=json"];
            let run = fixtures::cargo(&self.root, &target, &args, &[("RUSTDOCFLAGS", "-D warnings")]);
            attribute(&run, "doc", &by_manifest, &mut verdicts);
            doc_seconds = run.seconds;
        }
        Batch { verdicts, clippy_seconds, doc_seconds }
    }
}

/// Give each crate the messages cargo reported for it; a crate that failed an earlier stage
/// keeps that failure.
fn attribute(
    run: &fixtures::CargoRun,
    stage: &'static str,
    by_manifest: &BTreeMap<PathBuf, usize>,
    verdicts: &mut [Option<Failure>],
) {
    let mut found: BTreeMap<usize, Failure> = BTreeMap::new();
    for line in run.output.lines().filter(|l| l.starts_with('{')) {
        let Ok(m) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if m["reason"] != "compiler-message" {
            continue;
        }
        let Some(&i) = m["manifest_path"].as_str().and_then(|p| by_manifest.get(&canonical(Path::new(p)))) else {
            continue;
        };
        let msg = &m["message"];
        let text = msg["message"].as_str().unwrap_or_default();
        // rustc's own summaries ("2 warnings emitted", "aborting due to ...").
        if msg["level"] != "error" || text.ends_with("emitted") || text.starts_with("aborting due to") {
            continue;
        }
        let code = class(msg["code"]["code"].as_str(), text);
        let failure = found.entry(i).or_insert_with(|| Failure { stage, codes: Vec::new(), messages: Vec::new() });
        if !failure.codes.contains(&code) {
            failure.codes.push(code);
            failure.messages.push(msg["rendered"].as_str().unwrap_or(text).to_string());
        }
    }
    if !run.success && found.is_empty() {
        let tail: Vec<&str> = run.output.lines().filter(|l| !l.starts_with('{')).collect();
        let tail = tail[tail.len().saturating_sub(30)..].join("\n");
        panic!("cargo {stage} failed with no message for any crate:\n{tail}");
    }
    for (i, failure) in found {
        match &mut verdicts[i] {
            None => verdicts[i] = Some(failure),
            // A crate that failed clippy fails rustdoc with the same errors; what rustdoc's own
            // lints say is news.
            Some(earlier) => {
                for (code, message) in failure.codes.into_iter().zip(failure.messages) {
                    if code.starts_with("rustdoc::") && !earlier.has(&code) {
                        earlier.codes.push(code);
                        earlier.messages.push(message);
                    }
                }
            }
        }
    }
}

/// Write `text` to `path` unless it already holds it (so cargo sees nothing new).
pub fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return;
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// The class of a diagnostic: its code, with the item's name for lints about unused items
/// (each unused runtime item is a bug of its own: `dead_code \`accept\``); a message's first
/// line where it has no code.
fn class(code: Option<&str>, text: &str) -> String {
    match code {
        Some(code) if code.starts_with("dead_code") || code.starts_with("unused_") => match text.split('`').nth(1) {
            Some(name) => format!("{code} `{name}`"),
            None => code.to_string(),
        },
        Some(code) => code.to_string(),
        None => first_line(text),
    }
}

/// A message's first line, digits and quoted names kept: a class of its own.
fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().chars().take(100).collect()
}

fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}
