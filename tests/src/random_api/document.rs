//! The parts of a random document every item shares: `info`, `servers` and security schemes.

use serde_json::{Map, Value, json};

use super::pools::{DESCRIPTIONS, SERVER_NAMES, TITLES, VARIABLE_NAMES};
use super::{Rng, Version};

/// `info`: a title, a version, sometimes a description and a licence.
pub fn info(rng: &mut Rng, version: Version) -> Value {
    let mut info = json!({ "title": rng.pick(TITLES), "version": rng.pick(&["1.0.0", "2024-01-01", "v1"]) });
    if rng.chance(50) {
        info["description"] = json!(rng.pick(DESCRIPTIONS));
    }
    if rng.chance(30) {
        info["license"] = match version {
            Version::V31 if rng.chance(50) => json!({ "name": "Apache 2.0", "identifier": "Apache-2.0" }),
            _ => json!({ "name": "MIT" }),
        };
    }
    info
}

/// Root `servers`: none, one, or several, with variables (free or listed values, names that
/// are keywords) and names from extensions or descriptions.
pub fn servers(rng: &mut Rng) -> Option<Value> {
    let count = rng.pick(&[0, 1, 1, 2, 3]);
    if count == 0 {
        return None;
    }
    let mut list = Vec::new();
    for i in 0..count {
        let mut server = Map::new();
        let mut url = rng
            .pick(&["https://api.example.com", "http://localhost:8080/api/", "/v1", "https://example.com/a b"])
            .to_string();
        if rng.chance(40) {
            let mut variables = Map::new();
            for name in rng.some_of(VARIABLE_NAMES, 1, 2) {
                url = format!("https://{{{name}}}.example{i}.com");
                let mut variable = json!({ "default": "eu" });
                if rng.chance(50) {
                    variable["enum"] =
                        json!(rng.pick(&[vec!["eu", "us"], vec!["eu", "EU", "ap-south"], vec!["eu", "self"]]));
                }
                if rng.chance(30) {
                    variable["description"] = json!(rng.pick(DESCRIPTIONS));
                }
                variables.insert(name.to_string(), variable);
            }
            if variables.len() > 1 {
                let names: Vec<String> = variables.keys().map(|k| format!("{{{k}}}")).collect();
                url = format!("https://{}.example{i}.com/{}", names[0], names[1]);
            }
            server.insert("variables".into(), Value::Object(variables));
        }
        server.insert("url".into(), json!(url));
        match rng.below(3) {
            0 => {
                server.insert("x-fern-server-name".into(), json!(rng.pick(SERVER_NAMES)));
            }
            1 => {
                server.insert("description".into(), json!(rng.pick(SERVER_NAMES)));
            }
            _ => {}
        }
        list.push(Value::Object(server));
    }
    Some(Value::Array(list))
}

/// `components.securitySchemes` and the root `security`.
pub fn security_schemes(rng: &mut Rng) -> (Map<String, Value>, Option<Value>) {
    let all: &[(&str, Value)] = &[
        ("bearerAuth", json!({ "type": "http", "scheme": "bearer", "bearerFormat": "JWT" })),
        ("basicAuth", json!({ "type": "http", "scheme": "basic" })),
        ("apiKeyHeader", json!({ "type": "apiKey", "in": "header", "name": "X-API-Key" })),
        ("apiKeyQuery", json!({ "type": "apiKey", "in": "query", "name": "api_key" })),
        ("apiKeyCookie", json!({ "type": "apiKey", "in": "cookie", "name": "session" })),
        (
            "oauth",
            json!({ "type": "oauth2", "flows": { "clientCredentials": {
                "tokenUrl": "https://example.com/token", "scopes": { "read": "Read things." } } } }),
        ),
        (
            "oidc",
            json!({ "type": "openIdConnect", "openIdConnectUrl": "https://example.com/.well-known/openid-configuration" }),
        ),
    ];
    let chosen = rng.some_of(all, 0, 3);
    let schemes: Map<String, Value> = chosen.iter().cloned().map(|(k, v)| (k.to_string(), v)).collect();
    let security = (!schemes.is_empty() && rng.chance(70)).then(|| {
        let names: Vec<&String> = schemes.keys().collect();
        let first = names[0];
        if names.len() > 1 && rng.chance(30) {
            json!([{ first: [] }, { names[1]: [] }])
        } else {
            json!([{ first: [] }])
        }
    });
    (schemes, security)
}
