//! Snapshots of the code emitted for every fixture schema (`tests/fixtures/`): the `types` and
//! `operations` modules, and the generator's warnings; for an API with servers to choose from,
//! also `server.rs` and `lib.rs` (whose docs show the choice); for one whose operations are
//! behind features by tag, also the modules of `operations`, the manifest, `lib.rs` and the
//! README, which list the features. The runtime and manifest are otherwise left out: they are
//! the same for every API and tested on their own.
//!
//! Update with `INSTA_UPDATE=always cargo test -p clientgen-tests --test snapshots` (or
//! `cargo insta review`), then read the diff: it must still look hand-written.

use clientgen::{FeaturesBy, GeneratedCrate, Options};
use clientgen_tests::fixtures;

fn generate(name: &str) -> GeneratedCrate {
    let fixture = fixtures::get(name);
    let mut options = Options::new(fixture.crate_name());
    options.features_by = fixture.features_by_tag().then_some(FeaturesBy::Tag);
    clientgen::generate(&fixture.schema, &options)
        .unwrap_or_else(|d| panic!("fixture `{name}` does not generate:\n{d}"))
}

fn file<'a>(krate: &'a GeneratedCrate, path: &str) -> &'a str {
    krate.files.iter().find(|f| f.path == path).map_or("", |f| f.contents.as_str())
}

fn check(name: &str) {
    let krate = generate(name);
    // One line per warning, with paths relative to the fixtures directory (machine-independent).
    let prefix = format!("{}/", fixtures::dir().display());
    let warnings: String = krate.warnings.iter().map(|w| format!("{}\n", w.to_string().replace(&prefix, ""))).collect();
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(format!("tests/fixtures/{name}"));
    settings.bind(|| {
        insta::assert_snapshot!(format!("{name}-types"), file(&krate, "src/types.rs"));
        insta::assert_snapshot!(format!("{name}-operations"), file(&krate, "src/operations.rs"));
        insta::assert_snapshot!(format!("{name}-warnings"), warnings);
        if !file(&krate, "src/server.rs").is_empty() {
            insta::assert_snapshot!(format!("{name}-server"), file(&krate, "src/server.rs"));
            insta::assert_snapshot!(format!("{name}-lib"), file(&krate, "src/lib.rs"));
        }
        let modules: String = krate
            .files
            .iter()
            .filter(|f| f.path.starts_with("src/operations/"))
            .map(|f| format!("// ---- {}\n{}", f.path, f.contents))
            .collect();
        if !modules.is_empty() {
            insta::assert_snapshot!(format!("{name}-operation-modules"), modules);
            insta::assert_snapshot!(format!("{name}-manifest"), file(&krate, "Cargo.toml"));
            insta::assert_snapshot!(format!("{name}-lib"), file(&krate, "src/lib.rs"));
            insta::assert_snapshot!(format!("{name}-readme"), file(&krate, "README.md"));
        }
    });
}

macro_rules! fixtures {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check(stringify!($name));
            }
        )*

        /// Every fixture on disk has a snapshot test above.
        #[test]
        fn every_fixture_is_snapshotted() {
            let listed = [$(stringify!($name)),*];
            let on_disk: Vec<String> = fixtures::all().into_iter().map(|f| f.name).collect();
            assert_eq!(on_disk, listed, "add new fixtures to the list in tests/tests/snapshots.rs");
        }
    };
}

fixtures!(
    allof,
    collisions,
    constraints,
    defaults,
    enums,
    formats,
    maps,
    multipart_fields,
    multipart_files,
    naming,
    nullable_30,
    nullable_31,
    operations,
    pagination,
    recursion,
    refs,
    servers,
    sloppy,
    swagger2,
    tags,
    tolerant,
    unions
);
