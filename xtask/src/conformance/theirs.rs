//! Northflank's side: the JSON that `tests/conformance/northflank-typings.mjs` prints from the
//! official JS client, read into the same [`Endpoint`]s as our document's.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use clientgen::wire::{Additional, Endpoint, Kind, Prop, Shape};

/// The extension our document states the required permission in; theirs is the endpoint
/// class's `requiredPermissions`.
pub const PERMISSION: &str = "x-required-permission";

/// The typings' endpoints, and the package they come from.
pub fn parse(json: &str) -> Result<(String, Vec<Endpoint>), String> {
    let v: Value = serde_json::from_str(json).map_err(|e| format!("the typings extractor printed bad JSON: {e}"))?;
    let package = v["package"].as_str().ok_or("no `package` in the typings")?.to_string();
    let list = v["endpoints"].as_array().ok_or("no `endpoints` in the typings")?;
    let mut out = Vec::new();
    for e in list {
        let text = |k: &str| e[k].as_str().map(str::to_owned);
        let name = text("name").ok_or("an endpoint without a name")?;
        let query = e["query"].as_object().ok_or_else(|| format!("{name}: no query"))?;
        let query = Shape::object(query.iter().map(|(k, f)| Ok((k.clone(), prop(f)?))).collect::<Result<_, String>>()?);
        let permission = text("permission");
        out.push(Endpoint {
            method: text("method").ok_or_else(|| format!("{name}: no method"))?,
            path: text("path").ok_or_else(|| format!("{name}: no path"))?,
            forms: [text("path").ok_or_else(|| format!("{name}: no path"))?]
                .into_iter()
                .chain(text("teamPath"))
                .collect(),
            summary: text("summary"),
            deprecated: false,
            extensions: permission.into_iter().map(|p| (PERMISSION.to_string(), p)).collect(),
            security: None,
            path_params: e["pathParams"]
                .as_array()
                .map(|a| a.iter().filter_map(|p| p.as_str().map(str::to_owned)).collect())
                .unwrap_or_default(),
            query,
            headers: Shape::object(BTreeMap::new()),
            body: if e["body"].is_null() { None } else { Some(prop(&e["body"])?) },
            response: shape(&e["response"])?,
            origin: None,
            name,
        });
    }
    Ok((package, out))
}

fn prop(v: &Value) -> Result<Prop, String> {
    Ok(Prop { shape: shape(&v["type"])?, required: v["required"].as_bool().unwrap_or(false) })
}

fn shape(v: &Value) -> Result<Shape, String> {
    let kind = v["kind"].as_str().ok_or_else(|| format!("a type without a kind: {v}"))?;
    let mut s = match kind {
        "any" => Shape::any(),
        "string" => Shape::of(Kind::String),
        "number" => Shape::of(Kind::Number),
        "boolean" => Shape::of(Kind::Boolean),
        "enum" => {
            let values = v["values"].as_array().ok_or("an enum without values")?;
            let kinds: BTreeSet<Kind> =
                values.iter().map(|x| if x.is_number() { Kind::Number } else { Kind::String }).collect();
            Shape { kinds: Some(kinds), values: Some(values.iter().map(Value::to_string).collect()), ..Shape::any() }
        }
        "array" => Shape { items: Some(Box::new(shape(&v["items"])?)), ..Shape::of(Kind::Array) },
        "object" => {
            let mut properties = BTreeMap::new();
            if let Some(props) = v["properties"].as_object() {
                for (k, p) in props {
                    properties.insert(k.clone(), prop(p)?);
                }
            }
            let mut s = Shape::object(properties);
            if !v["additional"].is_null() {
                s.additional = Additional::Typed(Box::new(shape(&v["additional"])?));
            }
            s
        }
        "union" => {
            let variants = v["variants"].as_array().ok_or("a union without variants")?;
            Shape::union(variants.iter().map(shape).collect::<Result<_, _>>()?)
        }
        other => return Err(format!("unknown kind `{other}` in the typings")),
    };
    s.nullable |= v["nullable"].as_bool().unwrap_or(false);
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_endpoint() {
        let json = r#"{"package": "p@1", "endpoints": [{"name": "GetJobRun", "method": "GET",
            "path": "/v1/projects/{projectId}/jobs/{jobId}/runs/{runId}", "teamPath": "/v1/teams/{teamId}/x",
            "summary": "s", "permission": "p", "paginated": false, "pathParams": ["projectId", "jobId", "runId"],
            "query": {"per_page": {"type": {"kind": "number"}, "required": false}}, "body": null,
            "response": {"kind": "object", "properties": {"data": {"type": {"kind": "object", "properties": {
                "value": {"type": {"kind": "union", "variants": [{"kind": "string"}, {"kind": "number"}]}, "required": true},
                "status": {"type": {"kind": "enum", "values": ["SUCCESS", "RUNNING"], "nullable": true}, "required": false}
            }}, "required": true}}}}]}"#;
        let (package, eps) = parse(json).unwrap();
        assert_eq!(package, "p@1");
        let data = &eps[0].response.properties["data"].shape;
        assert_eq!(data.properties["value"].shape.kinds, Some(BTreeSet::from([Kind::String, Kind::Number])));
        let status = &data.properties["status"];
        assert!(status.shape.nullable && !status.required);
        assert_eq!(status.shape.values.as_ref().unwrap().len(), 2);
        assert!(eps[0].query.properties.contains_key("per_page"));
    }
}
