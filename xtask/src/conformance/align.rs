//! A quirk of the TypeScript typings' generator, undone before comparing.

use clientgen::wire::{Additional, Shape};

/// Their generator writes a map (`additionalProperties`) as an object with one optional
/// property named by an example key (`'MY_VARIABLE_NAME'?: {...}`, `'/dir/fileName'?: {...}`).
/// Where ours is a map at the same place, read that property as the map's values, so the
/// values' fields are compared rather than reported missing on one side and extra on the other.
pub fn align_example_keys(theirs: &mut Shape, ours: &Shape) {
    if let Additional::Typed(values) = &ours.additional {
        let single = theirs.properties.len() == 1 && theirs.additional == Additional::Open;
        if single && ours.properties.is_empty() && theirs.properties.values().all(|p| !p.required) {
            let (_, prop) = theirs.properties.pop_first().expect("one property");
            theirs.additional = Additional::Typed(Box::new(prop.shape));
        }
        if let Additional::Typed(theirs_values) = &mut theirs.additional {
            align_example_keys(theirs_values, values);
        }
    }
    for (name, prop) in &mut theirs.properties {
        if let Some(o) = ours.properties.get(name) {
            align_example_keys(&mut prop.shape, &o.shape);
        }
    }
    if let (Some(t), Some(o)) = (&mut theirs.items, &ours.items) {
        align_example_keys(t, o);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use clientgen::wire::{Kind, Prop};

    use super::*;

    #[test]
    fn an_example_key_reads_as_map_values_where_ours_is_a_map() {
        let detail =
            Shape::object(BTreeMap::from([("value".to_string(), Prop { shape: Shape::any(), required: true })]));
        let mut theirs = Shape::object(BTreeMap::from([(
            "MY_VARIABLE_NAME".to_string(),
            Prop { shape: detail.clone(), required: false },
        )]));
        let ours = Shape { additional: Additional::Typed(Box::new(detail.clone())), ..Shape::of(Kind::Object) };
        let untouched = theirs.clone();
        align_example_keys(&mut theirs, &ours);
        assert!(theirs.properties.is_empty());
        assert_eq!(theirs.additional, Additional::Typed(Box::new(detail)));
        // Not where ours lists properties.
        let mut other = untouched.clone();
        align_example_keys(&mut other, &untouched);
        assert_eq!(other, untouched);
    }
}
