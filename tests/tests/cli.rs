//! The `clientgen` binary on hostile and malformed input. Bad input exits 1 with a located
//! error (`--> file:line:col`), legal input (`tests/hostile/ok-*`) exits 0, bad usage exits 2;
//! nothing panics and nothing hangs. Big inputs are made here rather than committed. The
//! `capability` commands keep the same contract, and the check's whole output on the seed
//! capability is a snapshot.

use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Once;
use std::thread;
use std::time::{Duration, Instant};

use clientgen_tests::workspace_root;

/// Past this a run counts as a hang. A hang detector, not a timing assertion: every input
/// here takes well under a second in a debug build.
const HANG: Duration = Duration::from_secs(20);

/// The hostile files that must fail, with a fragment of the first error and the
/// `file:line:col` it must point at (`None`: it has no place in a file).
const FAILING: &[(&str, &str, Option<&str>)] = &[
    ("alias-bomb.yaml", "alias bomb", Some("alias-bomb.yaml:11:10")),
    ("alias-unknown.yaml", "alias refers to an unknown anchor", Some("alias-unknown.yaml:4:17")),
    ("bad-numbers.yaml", "an integer too large for 64 signed bits", Some("bad-numbers.yaml:9:17")),
    ("bad-paths.yaml", "path `jobs` must start with `/`", Some("bad-paths.yaml:5:5")),
    ("dangling-ref.yaml", "unresolvable `$ref`: `#/components/schemas/Owner`", Some("dangling-ref.yaml:10:17")),
    ("duplicate-operation-id.yaml", "duplicate operationId `listJobs`", Some("duplicate-operation-id.yaml:10:20")),
    ("empty.yaml", "the file is empty", Some("empty.yaml:1:1")),
    ("json-syntax.json", "JSON syntax error", Some("json-syntax.json:3:54")),
    ("json-unterminated.json", "JSON syntax error", Some("json-unterminated.json:1:63")),
    ("missing-file-ref.yaml", "no-such-file.yaml", Some("missing-file-ref.yaml:7:13")),
    ("multi-document.yaml", "more than one YAML document", Some("multi-document.yaml:4:1")),
    ("not-openapi.yaml", "not an OpenAPI document", Some("not-openapi.yaml:1:1")),
    ("ref-chain.yaml", "`$ref` chain longer than", Some("ref-chain.yaml:7:9")),
    ("ref-cycle.yaml", "`$ref` cycle with no type in between", Some("ref-cycle.yaml:7:7")),
    ("ref-self.yaml", "`$ref` cycle with no type in between", Some("ref-self.yaml:7:7")),
    ("swagger-1.2.json", "Swagger `1.2`", Some("swagger-1.2.json:3:21")),
    ("top-level-array.json", "found an array", Some("top-level-array.json:1:1")),
    ("type-confusion.yaml", "parameter has no `name`", Some("type-confusion.yaml:")),
    ("undeclared-path-param.yaml", "`{runId}`", Some("undeclared-path-param.yaml:4:3")),
    ("unsupported-version.yaml", "unsupported OpenAPI version `4.0.0`", Some("unsupported-version.yaml:1:10")),
    ("yaml-complex-key.yaml", "used as a mapping key", Some("yaml-complex-key.yaml:4:5")),
    ("yaml-syntax.yaml", "YAML syntax error", Some("yaml-syntax.yaml:5:2")),
];

/// The debug `clientgen` binary, built once per test run.
fn binary() -> PathBuf {
    static BUILD: Once = Once::new();
    let root = workspace_root();
    BUILD.call_once(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .current_dir(&root)
            .args(["build", "-q", "-p", "clientgen"])
            .status()
            .expect("cannot run cargo");
        assert!(status.success(), "`cargo build -p clientgen` failed");
    });
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let target = if target.is_absolute() { target } else { root.join(target) };
    target.join("debug").join(format!("clientgen{}", std::env::consts::EXE_SUFFIX))
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The `--> file:line:col` lines of the diagnostics.
    fn locations(&self) -> Vec<&str> {
        self.stderr.lines().filter_map(|l| l.trim_start().strip_prefix("--> ")).collect()
    }

    fn show(&self) -> String {
        format!("exit {:?}\n--- stdout\n{}\n--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

/// Run the binary with `args`; fails the test as a hang if it runs past [`HANG`].
fn run(args: &[OsString]) -> Run {
    // From the workspace root, so relative paths in arguments and messages read as in README.md.
    let mut child = Command::new(binary())
        .current_dir(workspace_root())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start clientgen");
    // Drain both pipes while waiting, so a chatty child never blocks on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let out = drain(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let err = drain(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for clientgen") {
            break status;
        }
        if started.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("clientgen hung (killed after {HANG:?}) on {args:?}");
        }
        thread::sleep(Duration::from_millis(10));
    };
    let run = Run { code: status.code(), stdout: out.join().unwrap(), stderr: err.join().unwrap() };
    assert!(!run.stderr.contains("panicked"), "clientgen panicked on {args:?}:\n{}", run.show());
    assert!(!run.stderr.contains("internal error"), "internal error on {args:?}:\n{}", run.show());
    run
}

/// A scratch directory for this test, removed first if a previous run left it.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clientgen-cli-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn generate(schema: &Path, out: &Path) -> Run {
    run(&[
        "generate".into(),
        "--schema".into(),
        schema.into(),
        "--out".into(),
        out.into(),
        "--crate-name".into(),
        "hostile".into(),
    ])
}

/// Bad input: exit 1, the error (with `fragment`) first, located at `at` when given.
fn assert_fails(schema: &Path, out: &Path, fragment: &str, at: Option<&str>) -> Run {
    let r = generate(schema, out);
    assert_eq!(r.code, Some(1), "{}: {}", schema.display(), r.show());
    let first = r.stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("error: ") && first.contains(fragment), "{}: {}", schema.display(), r.show());
    assert!(r.stderr.contains("could not generate a client"), "{}", r.show());
    if let Some(at) = at {
        let first_location = r.locations().first().copied().unwrap_or_default();
        assert!(first_location.contains(at), "{}: expected `--> …{at}`:\n{}", schema.display(), r.show());
    }
    assert!(!out.join("src").exists(), "nothing is written for bad input");
    r
}

fn hostile_dir() -> PathBuf {
    workspace_root().join("tests/hostile")
}

#[test]
fn every_hostile_file_fails_located_or_generates() {
    let out = scratch("files");
    let mut names: Vec<String> = fs::read_dir(hostile_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".json"))
        .collect();
    names.sort();
    for name in &names {
        let schema = hostile_dir().join(name);
        let crate_dir = out.join(name);
        if name.starts_with("ok-") {
            let r = generate(&schema, &crate_dir);
            assert_eq!(r.code, Some(0), "{name} is legal: {}", r.show());
            assert!(!r.stderr.lines().any(|l| l.starts_with("error")), "{name}: {}", r.show());
            assert!(crate_dir.join("src/lib.rs").is_file());
            continue;
        }
        let Some((_, fragment, at)) = FAILING.iter().find(|(f, _, _)| f == name) else {
            panic!("tests/hostile/{name} has no expectation: add it to FAILING (or name it ok-* if it is legal)");
        };
        assert_fails(&schema, &crate_dir, fragment, *at);
    }
    for (name, _, _) in FAILING {
        assert!(names.iter().any(|n| n == name), "FAILING lists {name}, which is not in tests/hostile");
    }
    let _ = fs::remove_dir_all(&out);
}

#[test]
fn errors_render_like_rustc_with_pointer_and_excerpt() {
    let out = scratch("render");
    let r = assert_fails(
        &hostile_dir().join("duplicate-operation-id.yaml"),
        &out.join("c"),
        "duplicate operationId",
        Some("duplicate-operation-id.yaml:10:20"),
    );
    // The excerpt: the source line with its number, the span underlined, the pointer as label.
    assert!(r.stderr.contains("10 |       operationId: listJobs"), "{}", r.show());
    assert!(r.stderr.contains("^^^^^^^^ #/paths/~1jobs~1all/get/operationId"), "{}", r.show());
    let swagger = assert_fails(&hostile_dir().join("swagger-1.2.json"), &out.join("s"), "Swagger `1.2`", None);
    assert!(swagger.stderr.contains("help: convert it to Swagger 2.0 or OpenAPI 3 first"), "{}", swagger.show());
    let _ = fs::remove_dir_all(&out);
}

#[test]
fn swagger_2_generates_and_its_diagnostics_point_into_the_swagger_file() {
    let out = scratch("swagger2");
    let schema = out.join("swagger.yaml");
    fs::write(
        &schema,
        "swagger: '2.0'\ninfo: {title: S, version: '1'}\nhost: api.example.com\nschemes: [https]\npaths:\n  /pets:\n    \
         get:\n      operationId: listPets\n      parameters:\n        \
         - {in: query, name: tags, type: array, items: {type: string}, collectionFormat: tsv}\n      \
         responses:\n        '200': {description: ok, schema: {$ref: '#/definitions/Pet'}}\ndefinitions:\n  Pet:\n    \
         type: object\n    not: {type: string}\n",
    )
    .unwrap();
    let r = generate(&schema, &out.join("c"));
    assert_eq!(r.code, Some(0), "{}", r.show());
    // The conversion's warning and lowering's, each at its line of the Swagger file.
    let locations = r.locations();
    assert!(locations.iter().any(|l| l.ends_with("swagger.yaml:10:89")), "{}", r.show());
    assert!(locations.iter().any(|l| l.ends_with("swagger.yaml:16:10")), "{}", r.show());
    assert!(r.stderr.contains("`collectionFormat: tsv` has no OpenAPI 3 style"), "{}", r.show());
    assert!(r.stderr.contains("#/components/schemas/Pet/not"), "{}", r.show());
    let lib = fs::read_to_string(out.join("c/src/lib.rs")).unwrap();
    assert!(lib.contains("\"https://api.example.com\""), "{lib}");
    let operations = fs::read_to_string(out.join("c/src/operations.rs")).unwrap();
    assert!(operations.contains("pub async fn list_pets"), "{operations}");
    let _ = fs::remove_dir_all(&out);
}

#[test]
fn warnings_are_located_too() {
    let out = scratch("warnings");
    let schema = out.join("warn.yaml");
    fs::write(
        &schema,
        "openapi: 3.1.0\ninfo: {title: W, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      not: {type: string}\n",
    )
    .unwrap();
    let r = generate(&schema, &out.join("c"));
    assert_eq!(r.code, Some(0), "{}", r.show());
    assert!(r.stderr.starts_with("warning: `not` is ignored"), "{}", r.show());
    assert!(r.locations().first().is_some_and(|l| l.ends_with("warn.yaml:7:12")), "{}", r.show());
    // A remote `$ref` degrades to any JSON value, with a warning, rather than failing.
    let r = generate(&hostile_dir().join("ok-remote-ref.yaml"), &out.join("r"));
    assert_eq!(r.code, Some(0), "{}", r.show());
    assert!(r.stderr.starts_with("warning: remote `$ref`"), "{}", r.show());
    assert!(r.locations().first().is_some_and(|l| l.ends_with("ok-remote-ref.yaml:7:13")), "{}", r.show());
    let types = fs::read_to_string(out.join("r/src/types.rs")).unwrap();
    assert!(types.contains("pub type Job = serde_json::Value;"), "{types}");
    // Values of the wrong JSON type are left out (or read as the schema's type when nothing
    // is lost), with a warning at the value.
    for (file, message, at) in [
        (
            "ok-enum-wrong-type.yaml",
            "enum value \"three\" is a string, but the schema's type is an integer; left out",
            "8:20",
        ),
        (
            "ok-default-wrong-type.yaml",
            "default value \"three\" is a string, but the schema's type is an integer",
            "11:20",
        ),
    ] {
        let r = generate(&hostile_dir().join(file), &out.join(file));
        assert_eq!(r.code, Some(0), "{}", r.show());
        assert!(r.stderr.starts_with(&format!("warning: {message}")), "{}", r.show());
        assert!(r.locations().first().is_some_and(|l| l.ends_with(&format!("{file}:{at}"))), "{}", r.show());
    }
    let _ = fs::remove_dir_all(&out);
}

/// A document with `body` spliced in as a component schema named `Deep`.
fn with_schema(body: &str) -> String {
    format!(
        "{{\"openapi\": \"3.1.0\", \"info\": {{\"title\": \"T\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"Deep\": {body}}}}}}}"
    )
}

#[test]
fn deep_nesting_is_refused_quickly_in_json_and_yaml() {
    let out = scratch("deep");
    let cases: Vec<(&str, String)> = vec![
        ("open-arrays.json", "[".repeat(200_000)),
        ("balanced-objects.json", with_schema(&format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000)))),
        ("flow.yaml", format!("x: {}1{}\n", "[".repeat(200_000), "]".repeat(200_000))),
        ("flow-maps.yaml", format!("x: {}1{}\n", "{a: ".repeat(50_000), "}".repeat(50_000))),
        (
            "block.yaml",
            (0..2_000).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect::<String>() + &" ".repeat(2_000) + "v\n",
        ),
        ("block-seq.yaml", (0..3_000).map(|i| format!("{}-\n", " ".repeat(i * 2))).collect::<String>()),
    ];
    for (name, text) in cases {
        let schema = out.join(name);
        fs::write(&schema, text).unwrap();
        let r = generate(&schema, &out.join("c"));
        assert_eq!(r.code, Some(1), "{name}: {}", r.show());
        assert!(r.locations().first().is_some_and(|l| l.contains(name)), "{name}: {}", r.show());
        assert!(
            r.stderr.contains("deeper than") || r.stderr.contains("recursion limit"),
            "{name} should fail for its depth: {}",
            r.show()
        );
    }
    let _ = fs::remove_dir_all(&out);
}

#[test]
fn deep_but_legal_schemas_generate() {
    let out = scratch("deep-legal");
    // 100 nested objects (200 levels of JSON) and 120 nested arrays: under the limit.
    let objects = format!(
        "{}{{\"type\": \"string\"}}{}",
        "{\"type\": \"object\", \"properties\": {\"inner\": ".repeat(100),
        "}}".repeat(100)
    );
    let arrays =
        format!("{}{{\"type\": \"integer\"}}{}", "{\"type\": \"array\", \"items\": ".repeat(120), "}".repeat(120));
    for (name, body) in [("objects.json", objects), ("arrays.json", arrays)] {
        let schema = out.join(name);
        fs::write(&schema, with_schema(&body)).unwrap();
        let r = generate(&schema, &out.join(name).with_extension("out"));
        assert_eq!(r.code, Some(0), "{name}: {}", r.show());
    }
    let _ = fs::remove_dir_all(&out);
}

#[test]
fn big_files_long_lines_and_long_strings_finish() {
    let out = scratch("big");
    // Too big to read: refused from its size alone (a sparse file, so nothing is written).
    let huge = out.join("huge.json");
    fs::File::create(&huge).unwrap().set_len(200 << 20).unwrap();
    let r = generate(&huge, &out.join("c"));
    assert_eq!(r.code, Some(1), "{}", r.show());
    assert!(r.stderr.contains("the largest schema accepted"), "{}", r.show());

    // One 2 MB line with a syntax error at its end: located, and the excerpt stays short.
    let schemas: String = (0..20_000).map(|i| format!("\"S{i}\":{{\"type\":\"string\"}},")).collect();
    let long_line = out.join("long-line.json");
    let text = format!("{{\"openapi\":\"3.1.0\",\"components\":{{\"schemas\":{{{schemas}}}}}}}");
    fs::write(&long_line, &text).unwrap();
    let r = generate(&long_line, &out.join("c"));
    assert_eq!(r.code, Some(1), "{}", r.show());
    // The column is the file's (the `}` after the trailing comma), not the excerpt's.
    let column = text.rfind(",}").unwrap() + 2;
    let at = format!("long-line.json:1:{column}");
    assert!(r.locations().first().is_some_and(|l| l.ends_with(&at)), "expected {at}: {}", r.show());
    assert!(r.stderr.len() < 4_000, "the excerpt of a long line is windowed: {} bytes", r.stderr.len());

    // 200 000 duplicate keys on one line: a handful of warnings, and no quadratic locating.
    let duplicates = vec!["\"a\":1"; 200_000].join(",");
    let dups = out.join("duplicates.json");
    let doc = format!(
        "{{\"openapi\":\"3.1.0\",\"info\":{{\"title\":\"t\",\"version\":\"1\"}},\"paths\":{{}},\"x-d\":{{{duplicates}}}}}"
    );
    fs::write(&dups, doc).unwrap();
    let r = generate(&dups, &out.join("d"));
    assert_eq!(r.code, Some(0), "{}", &r.show()[..2_000.min(r.show().len())]);
    assert!(r.stderr.contains("199979 more duplicate keys"), "{}", &r.stderr[..2_000.min(r.stderr.len())]);
    assert!(r.stderr.matches("warning:").count() <= 21, "duplicate-key warnings are capped");

    // Legal but large: a 4 MB description, a 50 000-character property name, 1 500 schemas.
    let description = "All work and no play makes Jack a dull boy. ".repeat(100_000);
    let long_name = "n".repeat(50_000);
    let many: String = (0..1_500)
        .map(|i| format!(",\"Schema{i}\":{{\"type\":\"object\",\"properties\":{{\"id\":{{\"type\":\"integer\"}}}}}}"))
        .collect();
    let body = format!(
        "{{\"type\":\"object\",\"description\":\"{description}\",\"properties\":{{\"{long_name}\":{{\"type\":\"string\"}}}}}}{many}"
    );
    let big = out.join("big.json");
    fs::write(&big, with_schema(&body)).unwrap();
    let r = generate(&big, &out.join("big"));
    assert_eq!(r.code, Some(0), "{}", &r.show()[..2_000.min(r.show().len())]);
    let _ = fs::remove_dir_all(&out);
}

#[test]
fn binary_and_badly_encoded_input_is_refused_with_a_location() {
    let out = scratch("encoding");
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("elf.yaml", b"\x7fELF\x02\x01\x01\x00\x00\x00".to_vec(), "binary file", "elf.yaml:1:8"),
        ("latin1.yaml", b"openapi: 3.1.0\ninfo: {title: caf\xe9}\n".to_vec(), "not valid UTF-8", "latin1.yaml:2:18"),
        ("bom16.yaml", b"\xff\xfeo\x00p\x00e\x00n\x00".to_vec(), "UTF-16", "bom16.yaml:1:1"),
        ("nobom16.json", b"{\x00\"\x00o\x00".to_vec(), "UTF-16", "nobom16.json:1:1"),
        ("nul-later.json", b"{\"openapi\": \"3.1.0\"}\n\x00".to_vec(), "binary file", "nul-later.json:2:1"),
    ];
    for (name, bytes, fragment, at) in cases {
        let schema = out.join(name);
        fs::write(&schema, bytes).unwrap();
        assert_fails(&schema, &out.join("c"), fragment, Some(at));
    }
    // Not a file at all: an error without a place in a file.
    let r = generate(&out, &out.join("c"));
    assert_eq!(r.code, Some(1), "{}", r.show());
    assert!(r.stderr.contains("is a directory"), "{}", r.show());
    let r = generate(&out.join("missing.yaml"), &out.join("c"));
    assert_eq!(r.code, Some(1), "{}", r.show());
    assert!(r.stderr.contains("cannot read"), "{}", r.show());
    let _ = fs::remove_dir_all(&out);
}

#[test]
fn bad_usage_exits_2() {
    let schema: OsString = hostile_dir().join("ok-recursive-type.yaml").into();
    let out = scratch("usage");
    let out_arg: OsString = out.join("c").into();
    let s = |x: &str| OsString::from(x);
    let cases: Vec<Vec<OsString>> = vec![
        vec![],
        vec![s("generate")],
        vec![s("destroy")],
        vec![s("generate"), s("--schema"), schema.clone(), s("--out"), out_arg.clone()],
        vec![s("generate"), s("--schema"), schema.clone(), s("--crate-name"), s("x")],
        vec![s("generate"), s("--schema"), schema.clone(), s("--out"), out_arg.clone(), s("--crate-name"), s("9lives")],
        vec![s("generate"), s("--schema"), schema.clone(), s("--out"), out_arg.clone(), s("--crate-name"), s("a b")],
        vec![s("generate"), s("--schema"), schema.clone(), s("--out"), out_arg.clone(), s("--crate-name"), s("")],
        vec![
            s("generate"),
            s("--schema"),
            schema.clone(),
            s("--out"),
            out_arg.clone(),
            s("--crate-name"),
            s("x"),
            s("--frobnicate"),
        ],
    ];
    for args in cases {
        let r = run(&args);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.show());
        assert!(r.stderr.contains("error") || r.stderr.contains("Usage"), "{args:?}: {}", r.show());
        assert!(!out.join("c").exists(), "{args:?} wrote output");
    }
    let help = run(&[s("generate"), s("--help")]);
    assert_eq!(help.code, Some(0), "{}", help.show());
    let _ = fs::remove_dir_all(&out);
}

#[test]
fn many_colliding_names_finish() {
    // 20 000 property names that all become the identifier `a` once punctuation is dropped.
    let punct: Vec<char> = "!#$%&*+,;=?@^|~".chars().collect();
    let name = |mut i: usize| {
        let mut s = String::from("a");
        loop {
            s.push(punct[i % punct.len()]);
            i /= punct.len();
            if i == 0 {
                return s;
            }
        }
    };
    let props: Vec<String> = (0..20_000).map(|i| format!("\"{}\":{{\"type\":\"string\"}}", name(i))).collect();
    let out = scratch("collide");
    let schema = out.join("collide.json");
    fs::write(&schema, with_schema(&format!("{{\"type\":\"object\",\"properties\":{{{}}}}}", props.join(","))))
        .unwrap();
    let r = generate(&schema, &out.join("c"));
    assert_eq!(r.code, Some(0), "{}", r.show());
    let _ = fs::remove_dir_all(&out);
}

fn capability_args(command: &str, capability: &str) -> Vec<OsString> {
    ["capability", command, "--capability", capability, "--schema", "schema/northflank-jobs.yaml"]
        .iter()
        .map(OsString::from)
        .collect()
}

/// The check's whole output on the seed capability, as a user sees it (paths as given).
#[test]
fn capability_check_reports_everything_wrong_with_the_seed() {
    let r = run(&capability_args("check", "tests/capabilities/northflank-jobs-seed.yaml"));
    assert_eq!(r.code, Some(1), "{}", r.show());
    assert!(r.stdout.is_empty(), "{}", r.show());
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(
        "clientgen capability check --capability tests/capabilities/northflank-jobs-seed.yaml --schema schema/northflank-jobs.yaml",
    );
    settings.bind(|| insta::assert_snapshot!("capability-check-seed", r.stderr));
}

#[test]
fn capability_commands_exit_0_1_or_2() {
    let good = "tests/capabilities/northflank-jobs.yaml";
    let r = run(&capability_args("check", good));
    assert_eq!(r.code, Some(0), "{}", r.show());
    assert_eq!(
        r.stdout,
        "tests/capabilities/northflank-jobs.yaml resolves against schema/northflank-jobs.yaml: 3 consumed operations, 3 MCP tools\n"
    );
    assert!(r.stderr.is_empty(), "{}", r.show());

    // Bad input: exit 1, located, and no server written for a capability that fails the check.
    let out = scratch("capability");
    let seed = "tests/capabilities/northflank-jobs-seed.yaml";
    let mut mcp = capability_args("mcp", seed);
    mcp.extend(["--out".into(), out.join("server").into(), "--crate-name".into(), "nf-mcp".into()]);
    let r = run(&mcp);
    assert_eq!(r.code, Some(1), "{}", r.show());
    assert_eq!(
        r.locations().first().copied(),
        Some("tests/capabilities/northflank-jobs-seed.yaml:25:15"),
        "{}",
        r.show()
    );
    assert!(!out.join("server").exists(), "nothing is written for a capability that fails the check");
    let r = run(&capability_args("check", "tests/capabilities/missing.yaml"));
    assert_eq!(r.code, Some(1), "{}", r.show());
    assert!(r.stderr.contains("cannot read"), "{}", r.show());
    let r = run(&capability_args("check", "schema/northflank-jobs.yaml"));
    assert_eq!(r.code, Some(1), "an OpenAPI document is not a capability: {}", r.show());
    assert!(r.stderr.starts_with("error: not a Naftiko capability"), "{}", r.show());

    // A corrected capability writes the server: its manifest, tools and client.
    let mut mcp = capability_args("mcp", good);
    mcp.extend(["--out".into(), out.join("server").into(), "--crate-name".into(), "nf-mcp".into()]);
    let r = run(&mcp);
    assert_eq!(r.code, Some(0), "{}", r.show());
    for file in ["Cargo.toml", "src/main.rs", "src/tools.rs", "client/src/lib.rs"] {
        assert!(out.join("server").join(file).is_file(), "no {file}: {}", r.show());
    }

    // Bad usage: exit 2.
    let s = |x: &str| OsString::from(x);
    let mut bad_name = capability_args("mcp", good);
    bad_name.extend([s("--out"), out.join("other").into(), s("--crate-name"), s("9lives")]);
    let cases: Vec<Vec<OsString>> = vec![
        vec![s("capability")],
        vec![s("capability"), s("lint")],
        vec![s("capability"), s("check"), s("--capability"), s(good)],
        capability_args("mcp", good),
        bad_name,
    ];
    for args in cases {
        let r = run(&args);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.show());
        assert!(!out.join("other").exists(), "{args:?} wrote output");
    }
    let _ = fs::remove_dir_all(&out);
}
