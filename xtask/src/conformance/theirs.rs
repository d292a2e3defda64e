//! Northflank's side: the JSON that `tests/conformance/northflank-typings.mjs` prints from the
//! official JS client, read into [`Endpoint`]s.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::shape::{Additional, Kind, Prop, Shape};

/// One endpoint as both sides describe it.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// The JS client's name for it (`GetJobRuns`); ours carry their operationId.
    pub name: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// Full path templates it is served at: theirs, the project form
    /// (`/v1/projects/{projectId}/jobs`) then the team form (`/v1/teams/{teamId}/projects/...`);
    /// ours, one per server.
    pub forms: Vec<String>,
    /// One-line summary, where the side has one.
    pub summary: Option<String>,
    /// The required permission, where the side states one.
    pub permission: Option<String>,
    /// Path parameter names (the team's excluded).
    pub path_params: BTreeSet<String>,
    /// Query parameters, as the properties of one object.
    pub query: Shape,
    /// The request body and whether it is required.
    pub body: Option<Prop>,
    /// The whole successful response body.
    pub response: Shape,
    /// Where ours is written (ours only).
    pub origin: Option<String>,
}

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
        out.push(Endpoint {
            method: text("method").ok_or_else(|| format!("{name}: no method"))?,
            forms: [text("path").ok_or_else(|| format!("{name}: no path"))?]
                .into_iter()
                .chain(text("teamPath"))
                .collect(),
            summary: text("summary"),
            permission: text("permission"),
            path_params: e["pathParams"]
                .as_array()
                .map(|a| a.iter().filter_map(|p| p.as_str().map(str::to_owned)).collect())
                .unwrap_or_default(),
            query,
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
