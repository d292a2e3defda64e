//! Which values the generated code reads through the runtime's `Tolerant`: numbers, which may
//! come as numeric strings, and dates, which may come as date-times at midnight.

use super::super::feature::Feature;
use super::super::tokens::Ctx;
use crate::ir::{Field, Scalar, Tagging, TypeId, TypeKind, UnionType};

/// What a value read through the runtime's `Tolerant` may hold that the schema does not allow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tolerance {
    /// Numbers, which may come as numeric strings.
    pub number: bool,
    /// Dates, which may come as date-times at midnight.
    pub date: bool,
}

impl Tolerance {
    /// Whether the value is read tolerantly at all.
    pub fn any(self) -> bool {
        self.number || self.date
    }

    /// Record the runtime parts reading such a value needs, `site` being how it is read (as a
    /// union variant or a struct field), only behind `full-serde` when `gated`.
    pub fn record(self, ctx: &Ctx<'_>, site: Feature, gated: bool) {
        if self.any() {
            ctx.uses_gated(site, gated);
            ctx.uses_gated(Feature::Tolerant, gated);
        }
        if self.number {
            ctx.uses_gated(Feature::TolerantNumber, gated);
        }
        if self.date {
            ctx.uses_gated(Feature::TolerantDate, gated);
        }
    }
}

/// What values of `ty` are read tolerantly: numbers and dates, and options, lists and
/// string-keyed maps of them (the runtime's `Tolerant` types).
pub fn tolerance(ctx: &Ctx<'_>, ty: TypeId) -> Tolerance {
    match ctx.api.types.kind(ty) {
        TypeKind::Scalar(Scalar::Int(_) | Scalar::F32 | Scalar::F64) => Tolerance { number: true, date: false },
        TypeKind::Scalar(Scalar::Date) => Tolerance { number: false, date: true },
        TypeKind::Newtype(n) => Tolerance { number: tolerance(ctx, n.inner).number, date: false },
        TypeKind::Nullable(t) | TypeKind::Array(t) | TypeKind::Map { key: None, value: t } => tolerance(ctx, *t),
        _ => Tolerance::default(),
    }
}

/// What a field's value may hold that the schema does not allow (nothing when boxed: a `Box`
/// is read as itself).
pub fn field_tolerance(ctx: &Ctx<'_>, f: &Field) -> Tolerance {
    if f.boxed { Tolerance::default() } else { tolerance(ctx, f.ty) }
}

/// What the untagged variants of `u` read through the runtime's `Tolerant`.
pub fn union_tolerance(ctx: &Ctx<'_>, u: &UnionType) -> Tolerance {
    let mut all = Tolerance::default();
    if u.tagging == Tagging::Untagged {
        for v in u.variants.iter().filter(|v| v.lenient) {
            let t = tolerance(ctx, v.ty);
            all.number |= t.number;
            all.date |= t.date;
        }
    }
    all
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_crate_whose_fields_are_all_read_tolerantly_has_no_plain_fill() {
        let text = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"P": {"type": "object", "properties": {
                "x": {"type": "number"}, "on": {"type": "string", "format": "date"}}}}}}"#;
        let krate = crate::generate_from_str("t.json", text, &crate::Options::new("t")).expect("generates");
        let file = |path: &str| &krate.files.iter().find(|f| f.path == path).expect("generated").contents;
        assert!(file("src/types.rs").contains("crate::runtime::fill_tolerant(&mut x, &mut map, \"x\")?"));
        // `fill` would be dead code, which the generated crate must not have.
        assert!(!file("src/runtime/serde_helpers.rs").contains("fn fill<"));
        assert!(!file("src/runtime/mod.rs").contains("serde_helpers::fill;"));
        assert!(file("src/runtime/tolerant.rs").contains("impl Tolerant for chrono::NaiveDate"));
    }
}
