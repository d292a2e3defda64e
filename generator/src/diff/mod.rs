//! What a schema change does to the clients of an API: `clientgen diff`.
//!
//! Two analyses, each change on one line:
//! - **wire** (`diff/wire.rs`): the documents' wire contracts compared with oasdiff's model, where
//!   narrowing what a client may send or widening what it may receive breaks clients;
//! - **rust** (`diff/rust.rs`): the public API of the two generated crates compared item by item
//!   ([`surface`]), the way cargo-semver-checks sees a release.
//!
//! Each gives a verdict: the worst level among its changes.

mod render;
mod rust;
mod source;
pub mod surface;
mod wire;

use std::fmt;
use std::path::Path;

pub use render::{json, text};

use crate::diag::Diagnostics;
use crate::load::Documents;
use crate::wire::Origin;
use crate::{Options, generate};

/// How a change affects clients on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WireLevel {
    /// No client can notice.
    NonBreaking,
    /// Some clients may notice (a new response value, a removed optional field).
    PossiblyBreaking,
    /// Clients that worked before fail now.
    Breaking,
}

/// What a change of the generated crate's public API requires of its version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RustLevel {
    /// Nothing a dependent can name changed (documentation, private code).
    Patch,
    /// Only additions: dependents still build.
    Minor,
    /// A dependent that built before may not build now.
    Major,
}

impl WireLevel {
    /// `breaking`, `possibly-breaking`, `non-breaking`.
    pub fn name(self) -> &'static str {
        match self {
            WireLevel::NonBreaking => "non-breaking",
            WireLevel::PossiblyBreaking => "possibly-breaking",
            WireLevel::Breaking => "breaking",
        }
    }
}

impl RustLevel {
    /// `major`, `minor`, `patch`.
    pub fn name(self) -> &'static str {
        match self {
            RustLevel::Patch => "patch",
            RustLevel::Minor => "minor",
            RustLevel::Major => "major",
        }
    }
}

/// The level of one change, in the analysis it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// A wire-level change.
    Wire(WireLevel),
    /// A change of the generated crate's public API.
    Rust(RustLevel),
}

impl Level {
    /// The level's name (`breaking`, `minor`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Level::Wire(w) => w.name(),
            Level::Rust(r) => r.name(),
        }
    }

    /// `wire` or `rust`.
    pub fn scope(self) -> &'static str {
        match self {
            Level::Wire(_) => "wire",
            Level::Rust(_) => "rust",
        }
    }
}

/// Where a change is: in one of the two documents, or in the generated crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// In the old document (something removed or changed from).
    Old(Origin),
    /// In the new document (something added or changed to).
    New(Origin),
    /// An item of the generated crate (`types::JobRun::active`, `Client::get_job`).
    Item(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Old(o) => write!(f, "{} [old]", o),
            Location::New(o) => write!(f, "{o}"),
            Location::Item(path) => f.write_str(path),
        }
    }
}

/// One change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// How much it matters, and to which analysis.
    pub level: Level,
    /// A stable identifier of the rule (`request-property-removed`, `field-type-changed`).
    pub kind: &'static str,
    /// Where.
    pub location: Option<Location>,
    /// For a change of the generated crate, where in the documents it comes from: the schema
    /// of a type, the operation of a method (the new document, or the old for what was removed).
    pub source: Option<Location>,
    /// What, in one sentence.
    pub message: String,
}

/// Both analyses of one schema change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Every change, wire first, each analysis in a stable order.
    pub changes: Vec<Change>,
}

impl Report {
    /// The wire verdict: the worst wire-level change, `non-breaking` when there is none.
    pub fn wire(&self) -> WireLevel {
        self.changes
            .iter()
            .filter_map(|c| match c.level {
                Level::Wire(w) => Some(w),
                Level::Rust(_) => None,
            })
            .max()
            .unwrap_or(WireLevel::NonBreaking)
    }

    /// The Rust verdict: the worst change of the public API, `patch` when there is none.
    pub fn rust(&self) -> RustLevel {
        self.changes
            .iter()
            .filter_map(|c| match c.level {
                Level::Rust(r) => Some(r),
                Level::Wire(_) => None,
            })
            .max()
            .unwrap_or(RustLevel::Patch)
    }
}

/// The wire-level half of [`diff`]: what changed between the documents `old` and `new`.
///
/// # Errors
/// The diagnostics of a document that cannot be loaded or lowered.
pub fn wire_changes(old: &Path, new: &Path) -> Result<Vec<Change>, Diagnostics> {
    Ok(wire_of(&Loaded::read(old)?, &Loaded::read(new)?))
}

/// [`wire_changes`] from a document given as text (a schema kept beside a crate, or read from
/// git), named `old_name` in locations, to the document `new`. The text cannot `$ref` other
/// files.
///
/// # Errors
/// The diagnostics of a document that cannot be loaded or lowered.
pub fn wire_changes_from_text(old_name: &str, old_text: &str, new: &Path) -> Result<Vec<Change>, Diagnostics> {
    let (docs, _) = Documents::from_text(old_name, old_text)?;
    Ok(wire_of(&Loaded::lower(docs)?, &Loaded::read(new)?))
}

/// A document and its IR.
struct Loaded {
    docs: Documents,
    api: crate::ir::Api,
}

impl Loaded {
    fn read(path: &Path) -> Result<Loaded, Diagnostics> {
        Loaded::lower(Documents::load(path)?.0)
    }

    fn lower(docs: Documents) -> Result<Loaded, Diagnostics> {
        let (api, _) = crate::lower::lower(&docs)?;
        Ok(Loaded { docs, api })
    }

    fn side(&self) -> source::Side<'_> {
        source::Side { docs: &self.docs, api: &self.api }
    }
}

fn wire_of(old: &Loaded, new: &Loaded) -> Vec<Change> {
    let mut changes = wire::compare(&old.docs, &new.docs);
    wire::pagination(&old.api, &new.api, &mut changes);
    changes
}

/// Compare the schema `old` with `new`: their wire contracts, and the public API of the crates
/// generated from them (named `crate_name`).
///
/// # Errors
/// The diagnostics of a document that cannot be loaded or generated.
pub fn diff(old: &Path, new: &Path, crate_name: &str) -> Result<Report, Diagnostics> {
    let (old_loaded, new_loaded) = (Loaded::read(old)?, Loaded::read(new)?);
    let mut changes = wire_of(&old_loaded, &new_loaded);
    let options = Options::new(crate_name);
    let old_crate = generate(old, &options)?;
    let new_crate = generate(new, &options)?;
    let mut rust = compare_crates(&old_crate.files, &new_crate.files);
    source::trace(&mut rust, &old_loaded.side(), &new_loaded.side());
    changes.extend(rust);
    Ok(Report { changes })
}

/// The changes of the public API between two generated crates (the Rust half of [`diff`]).
pub fn compare_crates(old: &[crate::EmittedFile], new: &[crate::EmittedFile]) -> Vec<Change> {
    rust::compare(&surface::of_files(old), &surface::of_files(new))
}
