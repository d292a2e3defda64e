//! One test per conversion rule, on small Swagger documents; the converted tree is read back
//! as JSON, and where it matters lowered, to see that the rest of the pipeline reads it.

use serde_json::{Value as J, json};

use super::super::Documents;

/// A Swagger 2.0 document: `head` (root keys) and `paths`, YAML.
fn swagger(head: &str, paths: &str) -> String {
    format!("swagger: '2.0'\ninfo: {{title: T, version: '1'}}\n{head}paths:\n{paths}")
}

/// The converted root as JSON, and the warnings as `line:col: message`.
fn convert(text: &str) -> (J, Vec<String>) {
    let (docs, warnings) = Documents::from_text("s.yaml", text).unwrap_or_else(|e| panic!("{e}"));
    let lines = warnings
        .iter()
        .map(|w| {
            let at = w.location.as_ref().map(|l| format!("{}:{}: ", l.line, l.column)).unwrap_or_default();
            format!("{at}{}", w.message)
        })
        .collect();
    (docs.doc(docs.root()).root.to_json(), lines)
}

/// `json` at the JSON pointer `at`.
fn at<'j>(json: &'j J, at: &str) -> &'j J {
    json.pointer(at).unwrap_or_else(|| panic!("nothing at {at} in {json:#}"))
}

fn has_warning(warnings: &[String], line: u32, fragment: &str) -> bool {
    warnings.iter().any(|w| w.starts_with(&format!("{line}:")) && w.contains(fragment))
}

#[test]
fn the_version_becomes_openapi_3_0() {
    let (doc, warnings) = convert(&swagger("", "  {}\n"));
    assert_eq!(doc["openapi"], "3.0.3");
    assert!(doc.get("swagger").is_none());
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn other_swagger_versions_and_mixed_documents_are_refused_where_they_say_so() {
    let e = Documents::from_text("s.yaml", "info: {title: T}\nswagger: '1.2'\npaths: {}\n").unwrap_err();
    let d = e.iter().next().unwrap();
    assert!(d.message.contains("Swagger `1.2`"), "{}", d.message);
    assert_eq!(d.location.as_ref().map(|l| (l.line, l.column)), Some((2, 10)));
    assert!(d.help.as_deref().is_some_and(|h| h.contains("converter.swagger.io")));
    let e = Documents::from_text("s.yaml", "swagger: '2.0'\nopenapi: 3.0.0\npaths: {}\n").unwrap_err();
    assert!(e.iter().next().unwrap().message.contains("both `swagger` and `openapi`"));
    let e = Documents::from_text("s.json", "{\"swaggerVersion\": \"1.2\", \"apis\": []}").unwrap_err();
    assert!(e.iter().next().unwrap().message.contains("Swagger `1.2`"));
    // YAML's unquoted 2.0 is a number, and still 2.0.
    assert_eq!(convert("swagger: 2.0\ninfo: {title: T, version: '1'}\npaths: {}\n").0["openapi"], "3.0.3");
}

#[test]
fn definitions_become_component_schemas_and_their_refs_follow() {
    let text = swagger(
        "definitions:\n  Pet:\n    type: object\n    properties:\n      tag: {$ref: '#/definitions/Tag'}\n      \
         tags: {type: array, items: {$ref: '#/definitions/Tag'}}\n  Tag: {type: string}\n",
        "  {}\n",
    );
    let (doc, _) = convert(&text);
    assert_eq!(at(&doc, "/components/schemas/Pet/properties/tag/$ref"), "#/components/schemas/Tag");
    assert_eq!(at(&doc, "/components/schemas/Pet/properties/tags/items/$ref"), "#/components/schemas/Tag");
    assert!(doc.get("definitions").is_none());
}

#[test]
fn converted_nodes_keep_the_lines_of_the_swagger_file() {
    let text = swagger(
        "definitions:\n  Pet:\n    type: object\n    not: {type: string}\n",
        "  /pets:\n    post:\n      parameters:\n        - {in: body, name: pet, schema: {$ref: '#/definitions/Pet'}}\n      \
         responses: {'204': {description: ok}}\n",
    );
    let (docs, _) = Documents::from_text("s.yaml", &text).unwrap();
    let root = &docs.doc(docs.root()).root;
    let line = |pointer: &str| docs.location(docs.root(), root.pointer(pointer).unwrap().span).line;
    assert_eq!(line("/components/schemas/Pet"), 5);
    assert_eq!(line("/paths/~1pets/post/requestBody"), 11);
    assert_eq!(line("/paths/~1pets/post/requestBody/content/application~1json/schema"), 11);
    // A diagnostic of lowering, about the converted document, points into the Swagger file.
    let (_, warnings) = crate::lower::lower(&docs).unwrap();
    let not = warnings.iter().find(|w| w.message.contains("`not`")).expect("a warning about `not`");
    assert_eq!(not.location.as_ref().map(|l| (l.line, l.column)), Some((6, 10)));
    assert_eq!(not.pointer.as_deref(), Some("#/components/schemas/Pet/not"));
}

#[test]
fn a_body_parameter_becomes_the_request_body_under_each_consumed_type() {
    let text = swagger(
        "consumes: [application/json]\n",
        "  /pets:\n    post:\n      consumes: [application/json, application/xml]\n      parameters:\n        \
         - {in: body, name: pet, required: true, description: The pet., schema: {type: object}}\n        \
         - {in: query, name: dry, type: boolean}\n      responses: {'204': {description: ok}}\n    \
         put:\n      parameters:\n        - {in: body, name: pet, schema: {type: object}}\n      \
         responses: {'204': {description: ok}}\n",
    );
    let (doc, _) = convert(&text);
    let body = at(&doc, "/paths/~1pets/post/requestBody");
    assert_eq!(body["required"], true);
    assert_eq!(body["description"], "The pet.");
    let types: Vec<&String> = body["content"].as_object().unwrap().keys().collect();
    assert_eq!(types, ["application/json", "application/xml"]);
    assert_eq!(at(&doc, "/paths/~1pets/post/parameters").as_array().map(Vec::len), Some(1));
    // Without its own `consumes`, the document's.
    let types: Vec<&String> = at(&doc, "/paths/~1pets/put/requestBody/content").as_object().unwrap().keys().collect();
    assert_eq!(types, ["application/json"]);
    assert!(at(&doc, "/paths/~1pets/put").get("parameters").is_none(), "no empty parameter list is left");
}

#[test]
fn form_data_becomes_a_form_or_multipart_body() {
    let text = swagger(
        "",
        "  /form:\n    post:\n      consumes: [application/x-www-form-urlencoded]\n      parameters:\n        \
         - {in: formData, name: name, type: string, required: true, description: Who.}\n        \
         - {in: formData, name: ids, type: array, items: {type: integer}, collectionFormat: multi}\n      \
         responses: {'204': {description: ok}}\n  /upload:\n    post:\n      consumes: [application/x-www-form-urlencoded]\n      \
         parameters:\n        - {in: formData, name: file, type: file, required: true}\n        \
         - {in: formData, name: note, type: string, x-nullable: true}\n      responses: {'204': {description: ok}}\n",
    );
    let (doc, warnings) = convert(&text);
    let form = at(&doc, "/paths/~1form/post/requestBody");
    assert_eq!(form["required"], true);
    let media = &form["content"]["application/x-www-form-urlencoded"];
    assert_eq!(media["schema"]["type"], "object");
    assert_eq!(media["schema"]["required"], json!(["name"]));
    assert_eq!(media["schema"]["properties"]["name"], json!({"type": "string", "description": "Who."}));
    assert_eq!(media["schema"]["properties"]["ids"]["items"], json!({"type": "integer"}));
    assert_eq!(media["encoding"]["ids"], json!({"style": "form", "explode": true}));
    // A file needs multipart, whatever `consumes` says; it is a binary string.
    let upload = at(&doc, "/paths/~1upload/post/requestBody/content");
    let types: Vec<&String> = upload.as_object().unwrap().keys().collect();
    assert_eq!(types, ["multipart/form-data"]);
    let properties = &upload["multipart/form-data"]["schema"]["properties"];
    assert_eq!(properties["file"], json!({"type": "string", "format": "binary"}));
    assert_eq!(properties["note"], json!({"type": "string", "nullable": true}));
    assert!(has_warning(&warnings, 15, "sent as `multipart/form-data`: a field is a file"), "{warnings:?}");
}

#[test]
fn collection_formats_become_styles() {
    let param = |name: &str, location: &str, format: &str| {
        let format = if format.is_empty() { String::new() } else { format!(", collectionFormat: {format}") };
        format!("        - {{in: {location}, name: {name}, type: array, items: {{type: string}}{format}}}\n")
    };
    let params: String = [
        param("csv", "query", ""),
        param("multi", "query", "multi"),
        param("ssv", "query", "ssv"),
        param("pipes", "query", "pipes"),
        param("tsv", "query", "tsv"),
        param("path", "path", "csv"),
        param("header", "header", "multi"),
    ]
    .concat();
    let text = swagger("", &format!("  /a/{{path}}:\n    get:\n      parameters:\n{params}      responses: {{}}\n"));
    let (doc, warnings) = convert(&text);
    let styles: Vec<(String, J, J)> = at(&doc, "/paths/~1a~1{path}/get/parameters")
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap().to_string(), p["style"].clone(), p["explode"].clone()))
        .collect();
    let expected = [
        ("csv", "form", false),
        ("multi", "form", true),
        ("ssv", "spaceDelimited", false),
        ("pipes", "pipeDelimited", false),
        ("tsv", "form", false),
        ("path", "simple", false),
        ("header", "simple", false),
    ];
    let expected: Vec<(String, J, J)> = expected.iter().map(|(n, s, e)| (n.to_string(), json!(s), json!(e))).collect();
    assert_eq!(styles, expected);
    assert!(has_warning(&warnings, 11, "`collectionFormat: tsv` has no OpenAPI 3 style"), "{warnings:?}");
    assert!(has_warning(&warnings, 13, "not available for header parameters"), "{warnings:?}");
    let schema = at(&doc, "/paths/~1a~1{path}/get/parameters/0/schema");
    assert_eq!(schema, &json!({"type": "array", "items": {"type": "string"}}));
}

#[test]
fn array_defaults_written_in_wire_form_become_arrays() {
    let text = swagger(
        "",
        "  /a:\n    get:\n      parameters:\n        \
         - {in: query, name: s, type: array, items: {type: string}, default: available}\n        \
         - {in: query, name: n, type: array, items: {type: integer}, default: '1|2', collectionFormat: pipes}\n        \
         - {in: query, name: k, type: array, items: {type: integer}, default: [3]}\n      responses: {}\n",
    );
    let (doc, _) = convert(&text);
    assert_eq!(at(&doc, "/paths/~1a/get/parameters/0/schema/default"), &json!(["available"]));
    assert_eq!(at(&doc, "/paths/~1a/get/parameters/1/schema/default"), &json!([1, 2]));
    assert_eq!(at(&doc, "/paths/~1a/get/parameters/2/schema/default"), &json!([3]));
}

#[test]
fn x_nullable_becomes_nullable() {
    let text = swagger(
        "definitions:\n  A:\n    type: object\n    properties:\n      b: {type: string, x-nullable: true}\n      \
         c: {$ref: '#/definitions/C', x-nullable: true}\n      d: {type: string, x-nullable: yes please}\n  \
         C: {type: integer, x-nullable: false}\n",
        "  /a:\n    get:\n      parameters:\n        - {in: header, name: h, type: string, x-nullable: true}\n      \
         responses: {}\n",
    );
    let (doc, warnings) = convert(&text);
    let props = at(&doc, "/components/schemas/A/properties");
    assert_eq!(props["b"], json!({"type": "string", "nullable": true}));
    assert_eq!(props["c"], json!({"$ref": "#/components/schemas/C", "nullable": true}));
    assert_eq!(at(&doc, "/components/schemas/C"), &json!({"type": "integer", "nullable": false}));
    assert_eq!(at(&doc, "/paths/~1a/get/parameters/0/schema"), &json!({"type": "string", "nullable": true}));
    assert!(has_warning(&warnings, 9, "`x-nullable` must be a boolean"), "{warnings:?}");
}

#[test]
fn a_string_discriminator_becomes_an_object() {
    let text = swagger(
        "definitions:\n  Pet:\n    type: object\n    discriminator: kind\n    required: [kind]\n    \
         properties: {kind: {type: string}}\n",
        "  {}\n",
    );
    let (doc, _) = convert(&text);
    assert_eq!(at(&doc, "/components/schemas/Pet/discriminator"), &json!({"propertyName": "kind"}));
}

#[test]
fn responses_carry_their_schema_under_each_produced_type_and_their_headers() {
    let text = swagger(
        "produces: [application/json, application/xml]\n",
        "  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          \
         schema: {type: array, items: {type: string}}\n          examples: {application/json: [x]}\n          \
         headers:\n            X-Rate: {type: integer, format: int32, description: Left.}\n        \
         '404': {description: none}\n        '500': {description: err, schema: {type: object}, examples: {text/csv: 'a,b'}}\n",
    );
    let (doc, _) = convert(&text);
    let ok = at(&doc, "/paths/~1a/get/responses/200");
    assert_eq!(ok["content"]["application/json"]["example"], json!(["x"]));
    assert_eq!(ok["content"]["application/xml"]["schema"]["items"], json!({"type": "string"}));
    assert!(ok["content"]["application/xml"].get("example").is_none());
    assert_eq!(
        ok["headers"]["X-Rate"],
        json!({"description": "Left.", "schema": {"type": "integer", "format": "int32"}})
    );
    assert!(ok.get("schema").is_none() && ok.get("examples").is_none());
    assert!(at(&doc, "/paths/~1a/get/responses/404").get("content").is_none());
    // An example in another type adds that type.
    let types: Vec<&String> = at(&doc, "/paths/~1a/get/responses/500/content").as_object().unwrap().keys().collect();
    assert_eq!(types, ["application/json", "application/xml", "text/csv"]);
    assert_eq!(at(&doc, "/paths/~1a/get/responses/500/content/text~1csv/example"), "a,b");
}

#[test]
fn file_responses_are_binary_under_a_type_that_is_not_json() {
    let text = swagger(
        "produces: [application/json]\n",
        "  /a:\n    get:\n      responses: {'200': {description: ok, schema: {type: file}}}\n  /b:\n    get:\n      \
         produces: [application/json, image/png]\n      responses: {'200': {description: ok, schema: {type: file}}}\n",
    );
    let (doc, _) = convert(&text);
    let binary = json!({"schema": {"type": "string", "format": "binary"}});
    assert_eq!(at(&doc, "/paths/~1a/get/responses/200/content"), &json!({"application/octet-stream": binary}));
    assert_eq!(at(&doc, "/paths/~1b/get/responses/200/content"), &json!({"image/png": binary}));
}

#[test]
fn host_base_path_and_schemes_become_servers() {
    let servers = |head: &str| {
        let (doc, warnings) = convert(&swagger(head, "  {}\n"));
        let urls: Vec<String> = doc["servers"]
            .as_array()
            .map(|a| a.iter().map(|s| s["url"].as_str().unwrap().to_string()).collect())
            .unwrap_or_default();
        (urls, warnings)
    };
    let (urls, warnings) = servers("host: api.example.com:8443\nbasePath: /v2/\nschemes: [https, http]\n");
    assert_eq!(urls, ["https://api.example.com:8443/v2", "http://api.example.com:8443/v2"]);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(servers("basePath: /v1.56\n").0, ["/v1.56"]);
    assert!(servers("schemes: [https]\n").0.is_empty());
    let (urls, warnings) = servers("host: api.example.com\n");
    assert_eq!(urls, ["https://api.example.com"]);
    assert!(has_warning(&warnings, 3, "https is assumed"), "{warnings:?}");
    let (urls, warnings) = servers("host: https://api.example.com/v1\nschemes: [http, ws]\n");
    assert_eq!(urls, ["http://api.example.com"]);
    assert!(has_warning(&warnings, 3, "`https://` is ignored"), "{warnings:?}");
    assert!(has_warning(&warnings, 3, "`/v1` is ignored"), "{warnings:?}");
    assert!(has_warning(&warnings, 4, "`ws` is ignored"), "{warnings:?}");
}

#[test]
fn security_definitions_become_security_schemes() {
    let text = swagger(
        "securityDefinitions:\n  basic: {type: basic, description: Who.}\n  key: {type: apiKey, name: X-Key, in: header}\n  \
         implicit: {type: oauth2, flow: implicit, authorizationUrl: 'https://a', scopes: {read: Read.}}\n  \
         password: {type: oauth2, flow: password, tokenUrl: 'https://t'}\n  \
         application: {type: oauth2, flow: application, tokenUrl: 'https://t', scopes: {}}\n  \
         code: {flow: accessCode, authorizationUrl: 'https://a', tokenUrl: 'https://t', scopes: {}}\n  \
         odd: {type: oauth2}\n  weird: {type: magic}\nsecurity: [{key: []}]\n",
        "  {}\n",
    );
    let (doc, warnings) = convert(&text);
    let schemes = at(&doc, "/components/securitySchemes");
    assert_eq!(schemes["basic"], json!({"type": "http", "scheme": "basic", "description": "Who."}));
    assert_eq!(schemes["key"], json!({"type": "apiKey", "name": "X-Key", "in": "header"}));
    assert_eq!(
        schemes["implicit"]["flows"],
        json!({"implicit": {"authorizationUrl": "https://a", "scopes": {"read": "Read."}}})
    );
    assert_eq!(schemes["password"]["flows"], json!({"password": {"tokenUrl": "https://t", "scopes": {}}}));
    assert_eq!(schemes["application"]["flows"], json!({"clientCredentials": {"tokenUrl": "https://t", "scopes": {}}}));
    let code = json!({"authorizationCode": {"authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {}}});
    assert_eq!(schemes["code"], json!({"type": "oauth2", "flows": code}));
    assert_eq!(schemes["odd"], json!({"type": "oauth2", "flows": {}}));
    assert!(schemes.get("weird").is_none());
    assert_eq!(doc["security"], json!([{"key": []}]));
    assert!(has_warning(&warnings, 9, "no `type`; its `flow` makes it oauth2"), "{warnings:?}");
    assert!(has_warning(&warnings, 10, "oauth2 scheme with no `flow`"), "{warnings:?}");
    assert!(has_warning(&warnings, 11, "unknown security scheme type `magic`"), "{warnings:?}");
}

#[test]
fn root_parameters_and_responses_become_components_and_their_refs_follow() {
    let text = swagger(
        "consumes: [application/json]\nproduces: [application/json]\nparameters:\n  \
         limit: {in: query, name: limit, type: integer}\n  pet: {in: body, name: pet, schema: {type: object}}\n  \
         note: {in: formData, name: note, type: string}\nresponses:\n  \
         NotFound: {description: gone, schema: {type: object}}\n",
        "  /a:\n    post:\n      parameters:\n        - $ref: '#/parameters/limit'\n        - $ref: '#/parameters/pet'\n      \
         responses: {'404': {$ref: '#/responses/NotFound'}}\n    put:\n      consumes: [application/xml]\n      \
         produces: [text/csv]\n      parameters: [{$ref: '#/parameters/pet'}]\n      \
         responses: {'404': {$ref: '#/responses/NotFound'}}\n  /b:\n    post:\n      \
         parameters: [{$ref: '#/parameters/note'}]\n      responses: {}\n",
    );
    let (doc, _) = convert(&text);
    assert_eq!(at(&doc, "/components/parameters/limit/schema"), &json!({"type": "integer"}));
    assert!(at(&doc, "/components/parameters").get("note").is_none());
    assert_eq!(
        at(&doc, "/components/requestBodies/pet/content"),
        &json!({"application/json": {"schema": {"type": "object"}}})
    );
    assert_eq!(at(&doc, "/components/responses/NotFound/content/application~1json/schema"), &json!({"type": "object"}));
    // The operation with the document's media types refers to the shared ones.
    let post = at(&doc, "/paths/~1a/post");
    assert_eq!(post["parameters"], json!([{"$ref": "#/components/parameters/limit"}]));
    assert_eq!(post["requestBody"], json!({"$ref": "#/components/requestBodies/pet"}));
    assert_eq!(post["responses"]["404"], json!({"$ref": "#/components/responses/NotFound"}));
    // One with its own has them copied with its types.
    let put = at(&doc, "/paths/~1a/put");
    assert_eq!(put["requestBody"]["content"], json!({"application/xml": {"schema": {"type": "object"}}}));
    assert_eq!(put["responses"]["404"]["content"], json!({"text/csv": {"schema": {"type": "object"}}}));
    // formData parameters are copied into each form.
    let form = at(&doc, "/paths/~1b/post/requestBody/content/application~1x-www-form-urlencoded/schema");
    assert_eq!(form["properties"]["note"], json!({"type": "string"}));
    assert!(at(&doc, "/paths/~1b/post").get("parameters").is_none());
}

#[test]
fn path_level_body_and_form_parameters_reach_each_operation() {
    let text = swagger(
        "",
        "  /a:\n    parameters:\n      - {in: path, name: id, type: string, required: true}\n      \
         - {in: body, name: shared, schema: {type: string}}\n    post:\n      responses: {}\n    put:\n      \
         parameters: [{in: body, name: own, schema: {type: integer}}]\n      responses: {}\n  /b:\n    \
         parameters: [{in: formData, name: x, type: string}]\n    post:\n      \
         parameters: [{in: formData, name: x, type: integer}, {in: formData, name: y, type: string}]\n      responses: {}\n",
    );
    let (doc, _) = convert(&text);
    assert_eq!(at(&doc, "/paths/~1a/parameters").as_array().map(Vec::len), Some(1));
    let schema = "/requestBody/content/application~1json/schema";
    assert_eq!(at(&doc, &format!("/paths/~1a/post{schema}")), &json!({"type": "string"}));
    assert_eq!(at(&doc, &format!("/paths/~1a/put{schema}")), &json!({"type": "integer"}));
    let form = at(&doc, "/paths/~1b/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties");
    assert_eq!(form, &json!({"x": {"type": "integer"}, "y": {"type": "string"}}));
}

#[test]
fn what_cannot_be_converted_is_warned_about_where_it_is() {
    let text = swagger(
        "schemes: [https]\n",
        "  /a:\n    post:\n      schemes: [http]\n      parameters:\n        - {in: body, name: a, schema: {type: string}}\n        \
         - {in: body, name: b, schema: {type: string}}\n        - {in: formData, name: f, type: string}\n        \
         - {in: query, name: n, type: array, items: {type: array, items: {type: string}, collectionFormat: pipes}}\n      \
         responses: {}\n    put:\n      parameters: [{in: body, name: nothing}]\n      responses: {}\n",
    );
    let (_, warnings) = convert(&text);
    assert!(has_warning(&warnings, 7, "`schemes` of an operation are ignored"), "{warnings:?}");
    assert!(has_warning(&warnings, 10, "this second one is ignored"), "{warnings:?}");
    assert!(has_warning(&warnings, 11, "the formData parameters are ignored"), "{warnings:?}");
    assert!(has_warning(&warnings, 12, "`collectionFormat` of nested `items`"), "{warnings:?}");
    assert!(has_warning(&warnings, 15, "a body parameter needs a `schema`"), "{warnings:?}");
}

#[test]
fn malformed_documents_give_warnings_or_errors_never_a_panic() {
    let heads = [
        "definitions: 5\nparameters: [1]\nresponses: x\nsecurityDefinitions: {a: 5, b: {}}\n",
        "host: 5\nbasePath: [x]\nconsumes: json\n",
        "host: h\nschemes: 7\nproduces: [1]\n",
        "definitions: {A: 5, B: {properties: 3, allOf: 4, items: [1], x-nullable: 2, type: 9}}\n",
    ];
    let bodies = [
        "  {}\n",
        "  []\n",
        "  /a: 5\n",
        "  /a: {parameters: 5, get: 7}\n",
        "  /a: {get: {parameters: [5, {in: body}, {in: formData}, {$ref: 7}], responses: [1]}}\n",
        "  /a: {get: {responses: {'200': {schema: 5, headers: 3}, '201': 4}}}\n",
    ];
    for head in heads {
        for body in bodies {
            let text = swagger(head, body);
            // Whatever lowering makes of it, loading converts it without panicking.
            if let Ok((docs, _)) = Documents::from_text("s.yaml", &text) {
                let _ = crate::lower::lower(&docs);
            }
        }
    }
    let (_, warnings) = convert(&swagger("definitions: 5\nsecurityDefinitions: {a: 5}\n", "  {}\n"));
    assert!(has_warning(&warnings, 3, "`definitions` must be an object"), "{warnings:?}");
    assert!(has_warning(&warnings, 4, "a security scheme must be an object"), "{warnings:?}");
}

#[test]
fn refs_into_reshaped_parts_follow_or_are_located_errors() {
    // A response schema inside an operation: it moved under `content`, and the reference too.
    let text = swagger(
        "",
        "  /a:\n    get:\n      parameters:\n        - {in: body, name: b, schema: {type: string}}\n        \
         - {in: query, name: q, type: string}\n      responses: {'200': {description: ok, schema: {type: object}}}\n  \
         /b:\n    get:\n      parameters: [{$ref: '#/paths/~1a/get/parameters/1'}]\n      \
         responses: {'200': {description: ok, schema: {$ref: '#/paths/~1a/get/responses/200/schema'}}}\n",
    );
    let (doc, _) = convert(&text);
    assert_eq!(at(&doc, "/paths/~1b/get/parameters/0/$ref"), "#/paths/~1a/get/parameters/0");
    let schema = at(&doc, "/paths/~1b/get/responses/200/content/application~1json/schema/$ref");
    assert_eq!(schema, "#/paths/~1a/get/responses/200/content/application~1json/schema");
    // A body parameter became a request body: a reference to it cannot follow.
    let text = swagger(
        "",
        "  /a:\n    get:\n      parameters: [{in: body, name: b, schema: {type: string}}]\n      responses: {}\n  \
         /b:\n    get:\n      parameters: [{$ref: '#/paths/~1a/get/parameters/0'}]\n      responses: {}\n",
    );
    let e = Documents::from_text("s.yaml", &text).unwrap_err();
    let d = e.iter().next().unwrap();
    assert!(d.message.contains("body or formData parameter"), "{}", d.message);
    assert_eq!(d.location.as_ref().map(|l| l.line), Some(10));
}

#[test]
fn refs_across_files_are_rewritten_and_their_targets_converted() {
    let dir = std::env::temp_dir().join(format!("clientgen-swagger-files-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("paths")).unwrap();
    let root = swagger(
        "definitions:\n  Owner: {$ref: 'pet.yaml'}\n",
        "  /pets:\n    $ref: 'paths/pets.yaml'\n  /pets/{id}:\n    get:\n      parameters:\n        \
         - $ref: 'common.yaml#/parameters/Id'\n      responses:\n        '200': {description: ok, schema: {$ref: 'pet.yaml'}}\n        \
         '404': {$ref: 'common.yaml#/responses/NotFound'}\n",
    );
    std::fs::write(dir.join("swagger.yaml"), root).unwrap();
    std::fs::write(dir.join("pet.yaml"), "type: object\nproperties:\n  tag: {type: string, x-nullable: true}\n")
        .unwrap();
    std::fs::write(
        dir.join("common.yaml"),
        "parameters:\n  Id: {in: path, name: id, required: true, type: integer}\n  \
         Body: {in: body, name: pet, schema: {$ref: '#/definitions/Error'}}\nresponses:\n  \
         NotFound: {description: gone, schema: {$ref: '#/definitions/Error'}}\ndefinitions:\n  \
         Error: {type: object, discriminator: code, properties: {code: {type: string}}}\n\
         paths: {/unused: {get: {responses: {'200': {description: ok, schema: {$ref: '#/definitions/Error'}}}}}}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("paths/pets.yaml"),
        "post:\n  parameters:\n    - $ref: '../common.yaml#/parameters/Body'\n  responses: {'204': {description: ok}}\n",
    )
    .unwrap();
    let (docs, warnings) = Documents::load(&dir.join("swagger.yaml")).unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.is_empty(), "{warnings}");
    let file = |name: &str| docs.iter().find(|d| d.path.ends_with(name)).unwrap().root.to_json();
    let root = file("swagger.yaml");
    assert_eq!(at(&root, "/paths/~1pets~1{id}/get/parameters/0/$ref"), "common.yaml#/components/parameters/Id");
    assert_eq!(at(&root, "/paths/~1pets~1{id}/get/responses/404/$ref"), "common.yaml#/components/responses/NotFound");
    let common = file("common.yaml");
    assert_eq!(at(&common, "/components/parameters/Id/schema"), &json!({"type": "integer"}));
    assert_eq!(at(&common, "/components/schemas/Error/discriminator"), &json!({"propertyName": "code"}));
    let not_found = at(&common, "/components/responses/NotFound/content/application~1json/schema/$ref");
    assert_eq!(not_found, "#/components/schemas/Error");
    // A file referred to as a whole is converted as what the reference needs.
    assert_eq!(at(&file("pet.yaml"), "/properties/tag"), &json!({"type": "string", "nullable": true}));
    let pets = file("pets.yaml");
    assert_eq!(at(&pets, "/post/requestBody/$ref"), "../common.yaml#/components/requestBodies/Body");
    assert!(at(&pets, "/post").get("parameters").is_none());
    // And the whole is lowered: the shared parameter named for itself, the schemas named.
    let (api, _) = crate::lower::lower(&docs).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(api.operations.len(), 2);
    let names: Vec<&str> = api.types.iter().filter_map(|(_, t)| t.name.as_deref()).collect();
    // (`Error` is the client's own name at the crate root.)
    assert!(names.contains(&"Owner") && names.contains(&"ErrorModel"), "{names:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
