//! Text from a schema never becomes Rust code. `tests/hostile/ok-injection.json` puts hostile
//! strings (`"]; fn evil(){} //`, `*/`, `"#`, newlines, `#![...]`, ```` ```rust ```` blocks,
//! backslashes, bidi controls) in every name and text field; the emitted files are parsed here
//! and compared with those of a twin schema that has the same names and plain text. The crate
//! is also built, warning-free, as a fixture of `cargo xtask corpus`.

use std::collections::BTreeSet;
use std::str::FromStr;

use clientgen::{EmittedFile, Options, generate_from_str};
use clientgen_tests::workspace_root;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;
use serde_json::Value;

fn hostile_text() -> String {
    std::fs::read_to_string(workspace_root().join("tests/hostile/ok-injection.json")).unwrap()
}

/// The same schema with its free text (docs, examples, title, version, server) made plain.
fn twin_text() -> String {
    fn plain(v: &mut Value, parent: Option<&str>) {
        match v {
            Value::Object(map) => {
                if parent != Some("properties") && parent != Some("schemas") {
                    for key in ["description", "summary", "example", "examples"] {
                        map.remove(key);
                    }
                }
                for (k, child) in map.iter_mut() {
                    plain(child, Some(k.as_str()));
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| plain(i, parent)),
            _ => {}
        }
    }
    let mut doc: Value = serde_json::from_str(&hostile_text()).unwrap();
    plain(&mut doc, None);
    doc["info"]["title"] = "Plain API".into();
    doc["info"]["version"] = "1".into();
    // The server keeps its shape (a variable, then text), so both get the same `Server` enum.
    doc["servers"] =
        serde_json::json!([{"url": "https://api.example.com/{v}/plain", "variables": {"v": {"default": "v1"}}}]);
    serde_json::to_string_pretty(&doc).unwrap()
}

fn emit(text: &str) -> Vec<EmittedFile> {
    generate_from_str("injection.json", text, &Options::new("injection"))
        .unwrap_or_else(|d| panic!("the injection schema must generate:\n{}", d.render(false)))
        .files
}

fn rust_files(files: &[EmittedFile]) -> impl Iterator<Item = &EmittedFile> {
    files.iter().filter(|f| f.path.ends_with(".rs"))
}

/// Every item, nested ones included, as `file: kind path`.
fn inventory(files: &[EmittedFile]) -> BTreeSet<String> {
    fn items(prefix: &str, list: &[syn::Item], out: &mut BTreeSet<String>) {
        for item in list {
            let (kind, name) = match item {
                syn::Item::Const(i) => ("const", i.ident.to_string()),
                syn::Item::Enum(i) => {
                    for v in &i.variants {
                        out.insert(format!("{prefix}variant {}::{}", i.ident, v.ident));
                    }
                    ("enum", i.ident.to_string())
                }
                syn::Item::Fn(i) => ("fn", i.sig.ident.to_string()),
                syn::Item::Impl(i) => {
                    let self_ty = quote_tokens(&i.self_ty);
                    let trait_ = i.trait_.as_ref().map(|(p, _)| quote_tokens(p)).unwrap_or_default();
                    for member in &i.items {
                        let what = match member {
                            syn::ImplItem::Fn(f) => format!("fn {}", f.sig.ident),
                            syn::ImplItem::Const(c) => format!("const {}", c.ident),
                            syn::ImplItem::Type(t) => format!("type {}", t.ident),
                            other => format!("other {}", quote_tokens(other)),
                        };
                        out.insert(format!("{prefix}impl {trait_} for {self_ty}: {what}"));
                    }
                    ("impl", format!("{trait_} for {self_ty}"))
                }
                syn::Item::Mod(i) => {
                    if let Some((_, inner)) = &i.content {
                        items(&format!("{prefix}{}::", i.ident), inner, out);
                    }
                    ("mod", i.ident.to_string())
                }
                syn::Item::Static(i) => ("static", i.ident.to_string()),
                syn::Item::Struct(i) => {
                    for (n, f) in i.fields.iter().enumerate() {
                        let field = f.ident.as_ref().map_or_else(|| n.to_string(), ToString::to_string);
                        out.insert(format!("{prefix}field {}.{field}", i.ident));
                    }
                    ("struct", i.ident.to_string())
                }
                syn::Item::Trait(i) => ("trait", i.ident.to_string()),
                syn::Item::Type(i) => ("type", i.ident.to_string()),
                syn::Item::Use(i) => ("use", quote_tokens(&i.tree)),
                syn::Item::Macro(i) => ("macro", quote_tokens(&i.mac.path)),
                other => ("other", quote_tokens(other)),
            };
            out.insert(format!("{prefix}{kind} {name}"));
        }
    }
    let mut out = BTreeSet::new();
    for f in rust_files(files) {
        let file = syn::parse_file(&f.contents).unwrap_or_else(|e| panic!("{} does not parse: {e}", f.path));
        let inner: Vec<String> = file.attrs.iter().filter(|a| !a.path().is_ident("doc")).map(quote_tokens).collect();
        out.insert(format!("{}: inner attributes {inner:?}", f.path));
        items(&format!("{}: ", f.path), &file.items, &mut out);
    }
    out
}

fn quote_tokens(t: &impl ToTokens) -> String {
    t.to_token_stream().to_string()
}

/// The token trees of a file, flattened, with doc attributes removed and literals blanked:
/// what is left is the code's structure, which schema text must not change.
fn skeleton(src: &str) -> Vec<String> {
    fn walk(ts: TokenStream, out: &mut Vec<String>) {
        let tokens: Vec<TokenTree> = ts.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            if let Some(skip) = doc_attr_len(&tokens[i..]) {
                i += skip;
                continue;
            }
            match &tokens[i] {
                TokenTree::Group(g) => {
                    out.push(format!("{:?}(", g.delimiter()));
                    walk(g.stream(), out);
                    out.push(")".into());
                }
                TokenTree::Literal(_) => out.push("<lit>".into()),
                other => out.push(other.to_string()),
            }
            i += 1;
        }
    }
    let mut out = Vec::new();
    walk(TokenStream::from_str(src).expect("emitted code tokenizes"), &mut out);
    out
}

/// If `tokens` start with `#[doc = ...]` or `#![doc = ...]`, how many tokens that is.
fn doc_attr_len(tokens: &[TokenTree]) -> Option<usize> {
    let TokenTree::Punct(p) = tokens.first()? else { return None };
    if p.as_char() != '#' {
        return None;
    }
    let bang = matches!(tokens.get(1), Some(TokenTree::Punct(b)) if b.as_char() == '!');
    let TokenTree::Group(g) = tokens.get(1 + usize::from(bang))? else { return None };
    let first = g.stream().into_iter().next();
    let is_doc = g.delimiter() == Delimiter::Bracket && matches!(first, Some(TokenTree::Ident(i)) if i == "doc");
    is_doc.then_some(2 + usize::from(bang))
}

/// Every string literal's value, and the doc text blocks (consecutive doc attributes).
fn strings_and_docs(src: &str) -> (BTreeSet<String>, Vec<Vec<String>>) {
    fn walk(ts: TokenStream, strings: &mut BTreeSet<String>, docs: &mut Vec<Vec<String>>, open: &mut bool) {
        let tokens: Vec<TokenTree> = ts.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            if let Some(skip) = doc_attr_len(&tokens[i..]) {
                let TokenTree::Group(g) = &tokens[i + skip - 1] else { unreachable!() };
                let lit = g.stream().into_iter().last().map(|t| t.to_string()).unwrap_or_default();
                let text = syn::parse_str::<syn::LitStr>(&lit).map(|l| l.value()).unwrap_or_default();
                if !*open {
                    docs.push(Vec::new());
                    *open = true;
                }
                docs.last_mut().unwrap().push(text);
                i += skip;
                continue;
            }
            // Other attributes (`#[serde(...)]`) may sit between doc lines of one item.
            let is_attr = matches!(&tokens[i], TokenTree::Punct(p) if p.as_char() == '#');
            match &tokens[i] {
                TokenTree::Group(g) => {
                    let mut inner_open = false;
                    walk(g.stream(), strings, docs, &mut inner_open);
                    if g.delimiter() != Delimiter::Bracket {
                        *open = false;
                    }
                }
                TokenTree::Literal(l) => {
                    if let Ok(s) = syn::parse_str::<syn::LitStr>(&l.to_string()) {
                        strings.insert(s.value());
                    }
                    *open = false;
                }
                _ if is_attr => {}
                _ => *open = false,
            }
            i += 1;
        }
    }
    let (mut strings, mut docs) = (BTreeSet::new(), Vec::new());
    walk(TokenStream::from_str(src).unwrap(), &mut strings, &mut docs, &mut false);
    (strings, docs)
}

/// Code blocks rustdoc would compile and run: untagged or Rust-tagged fences, indented blocks.
fn doctests(block: &[String]) -> Vec<String> {
    const RUST_TAGS: &[&str] =
        &["rust", "ignore", "should_panic", "no_run", "compile_fail", "test_harness", "standalone_crate"];
    let mut found = Vec::new();
    let mut fence: Option<char> = None;
    let mut prev_blank = true;
    for line in block {
        let l = line.strip_prefix(' ').unwrap_or(line);
        let t = l.trim_start();
        let marker = ['`', '~'].into_iter().find(|m| t.starts_with(&m.to_string().repeat(3)));
        match (fence, marker) {
            (Some(open), Some(m)) if m == open && t.trim_start_matches(m).trim().is_empty() => fence = None,
            (Some(_), _) => {}
            (None, Some(m)) => {
                let info = t.trim_start_matches(m).trim();
                let rusty = info.is_empty()
                    || info.split([',', ' ']).any(|tag| RUST_TAGS.contains(&tag) || tag.starts_with("edition"));
                if rusty {
                    found.push(line.clone());
                }
                fence = Some(m);
            }
            (None, None) if prev_blank && l.starts_with("    ") && !t.is_empty() => found.push(line.clone()),
            (None, None) => {}
        }
        prev_blank = t.is_empty();
    }
    found
}

#[test]
fn schema_text_never_becomes_code() {
    let hostile = emit(&hostile_text());
    let twin = emit(&twin_text());
    assert_eq!(
        hostile.iter().map(|f| &f.path).collect::<Vec<_>>(),
        twin.iter().map(|f| &f.path).collect::<Vec<_>>(),
        "the same files"
    );
    // Same items, and the same code apart from string contents and doc text.
    assert_eq!(inventory(&hostile), inventory(&twin));
    for (h, t) in rust_files(&hostile).zip(rust_files(&twin)) {
        assert!(skeleton(&h.contents) == skeleton(&t.contents), "{}: schema text changed the code", h.path);
    }
    // Nothing anywhere is named `evil`: no item, no identifier.
    for f in rust_files(&hostile) {
        let mut idents = Vec::new();
        collect_idents(TokenStream::from_str(&f.contents).unwrap(), &mut idents);
        assert!(!idents.iter().any(|i| i == "evil"), "{} has an identifier `evil`", f.path);
    }
    // The manifest has the same keys in the same order; only values differ.
    let keys = |files: &[EmittedFile]| -> Vec<String> {
        let manifest = files.iter().find(|f| f.path == "Cargo.toml").unwrap();
        manifest.contents.lines().map(|l| l.split(" = ").next().unwrap_or("").to_string()).collect()
    };
    assert_eq!(keys(&hostile), keys(&twin), "Cargo.toml structure");
}

fn collect_idents(ts: TokenStream, out: &mut Vec<String>) {
    for t in ts {
        match t {
            TokenTree::Ident(i) => out.push(i.to_string()),
            TokenTree::Group(g) => collect_idents(g.stream(), out),
            _ => {}
        }
    }
}

#[test]
fn hostile_names_become_these_items() {
    use clientgen::lower::names::{camel, snake};
    let doc: Value = serde_json::from_str(&hostile_text()).unwrap();
    let hostile = emit(&hostile_text());
    let inv = inventory(&hostile);
    let types: BTreeSet<&str> = inv.iter().filter_map(|i| i.strip_prefix("src/types.rs: ")).collect();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let ty = |key: &str| camel(key, "T").unwrap();
    let (pet_key, map_key) = ("Pet\"]; fn evil(){} //", "*/ fn evil() {} /*");
    let (pet, map) = (ty(pet_key), ty(map_key));
    // One item per component schema, named after it; then the parameters of the operation that
    // has some, a newtype for the constrained `name` property and the static of its pattern.
    let top_level: BTreeSet<String> = types
        .iter()
        .filter(|i| !i.contains(['.', ':']) && !i.starts_with("impl") && !i.starts_with("inner"))
        .map(|i| i.to_string())
        .collect();
    let get_op = doc["paths"].as_object().unwrap().values().next().unwrap()["get"]["operationId"].as_str().unwrap();
    let params = format!("{}Params", camel(get_op, "Op").unwrap());
    let newtype = top_level.iter().find(|i| i.starts_with(&format!("struct {pet}N"))).cloned();
    let newtype = newtype.unwrap_or_else(|| panic!("no newtype for the constrained property: {top_level:#?}"));
    let statics: Vec<&String> = top_level.iter().filter(|i| i.starts_with("static ")).collect();
    assert_eq!(statics.len(), 1, "one pattern: {top_level:#?}");
    let expected = BTreeSet::from([
        format!("struct {pet}"),
        "enum Status".to_string(),
        format!("type {map}"),
        format!("struct {params}"),
        newtype,
        statics[0].clone(),
    ]);
    assert_eq!(top_level, expected, "the top-level items of types.rs");
    // A field per property, a variant per enum value plus the catch-all.
    let properties = schemas[pet_key]["properties"].as_object().unwrap().len();
    assert_eq!(types.iter().filter(|i| i.starts_with(&format!("field {pet}."))).count(), properties);
    let values = schemas["Status"]["enum"].as_array().unwrap().len();
    assert_eq!(types.iter().filter(|i| i.starts_with("variant Status::")).count(), values + 1);
    let methods: BTreeSet<String> = inv
        .iter()
        .filter_map(|i| i.strip_prefix("src/operations.rs: impl  for Client: fn "))
        .map(str::to_string)
        .collect();
    let put_op = doc["paths"].as_object().unwrap().values().next().unwrap()["put"]["operationId"].as_str().unwrap();
    assert_eq!(methods, BTreeSet::from([snake(get_op).unwrap(), snake(put_op).unwrap()]), "the operations");
}

#[test]
fn hostile_strings_round_trip_as_literals_and_docs_run_nothing() {
    let hostile = emit(&hostile_text());
    let doc: Value = serde_json::from_str(&hostile_text()).unwrap();
    let mut literals = BTreeSet::new();
    for f in rust_files(&hostile) {
        let (strings, docs) = strings_and_docs(&f.contents);
        literals.extend(strings);
        for block in &docs {
            let runnable = doctests(block);
            assert!(runnable.is_empty(), "{}: doc text rustdoc would run: {runnable:?}\nin {block:#?}", f.path);
        }
    }
    // Wire names and enum values reach the code exactly, however hostile.
    let status = doc["components"]["schemas"]["Status"]["enum"].as_array().unwrap();
    let pet = doc["components"]["schemas"]["Pet\"]; fn evil(){} //"]["properties"].as_object().unwrap();
    let wire: Vec<&str> = status
        .iter()
        .filter_map(Value::as_str)
        .filter(|s| !s.is_empty())
        .chain(pet.keys().map(String::as_str))
        .collect();
    for w in wire {
        assert!(literals.contains(w), "the literal {w:?} is not in the code as written");
    }
}

#[test]
#[ignore = "builds a crate (slow); `cargo xtask corpus` builds this schema as a fixture"]
fn injection_crate_builds_without_warnings() {
    let dir = std::env::temp_dir().join(format!("clientgen-injection-{}", std::process::id()));
    let files = emit(&hostile_text());
    clientgen::output::write(&dir, &files).unwrap();
    let target = workspace_root().join("target/corpus-target");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", target)
        .args(["clippy", "--all-targets", "--", "-D", "warnings"])
        .status()
        .unwrap();
    assert!(status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The checks above must be able to fail: they see code where there is some.
#[test]
fn the_detectors_detect() {
    let lines = |s: &str| s.lines().map(|l| format!(" {l}")).collect::<Vec<_>>();
    assert_eq!(doctests(&lines("a\n```\nevil();\n```")).len(), 1);
    assert_eq!(doctests(&lines("```rust,no_run\nevil();\n```")).len(), 1);
    assert_eq!(doctests(&lines("text\n\n    evil();")).len(), 1);
    assert!(doctests(&lines("```text\nevil();\n```\n```json\n{}\n```")).is_empty());
    let injected = "/// Docs\n/// more\npub struct A;\nfn evil() {}\n";
    assert_ne!(skeleton(injected), skeleton("/// Docs\npub struct A;\n"));
    assert_eq!(skeleton("/// a\n/// b\npub const X: &str = \"x\";"), skeleton("/// c\npub const X: &str = \"y\";"));
    let (strings, docs) = strings_and_docs("/// one\n#[serde(rename = \"w\\\"ire\")]\n/// two\npub struct A;\n");
    assert!(strings.contains("w\"ire"));
    assert_eq!(docs, vec![vec![" one".to_string(), " two".to_string()]]);
}
