//! The cursor pagination item: a listing in a shape clientgen recognises, and operations and
//! types named like what the generator derives from it.

use serde_json::json;

use super::super::pools::{CURSOR_PARAMS, MORE_FIELDS, NEXT_FIELDS};
use super::Ops;

impl Ops<'_> {
    /// A cursor-paginated listing in a shape clientgen recognises, sometimes declared with
    /// `x-pagination`, and operations named like the methods it derives (`<op>Pages`,
    /// `<op>Stream`).
    pub(super) fn pagination(&mut self) {
        let item = match self.rng().below(3) {
            0 => json!({ "type": "string" }),
            1 => self.s.object(0, "inline"),
            _ => {
                let name = self.s.fresh_name();
                let object = self.s.object(1, &name);
                self.s.add(&name, object)
            }
        };
        let items_field = self.rng().pick(&["items", "data", "results", "runs", "entries"]);
        let next = self.rng().pick(NEXT_FIELDS);
        let more = self.rng().pick(MORE_FIELDS);
        let cursor_param = self.rng().pick(CURSOR_PARAMS);
        let mut cursor = json!({ "type": "string" });
        if self.rng().chance(30) {
            cursor = self.s.nullable(cursor);
        }
        let mut has_more = json!({ "type": "boolean" });
        if self.rng().chance(30) {
            has_more["default"] = json!(false);
        }
        let with_more = self.rng().chance(60);
        let array = json!({ "type": "array", "items": item });
        let mut declared = None;
        let page = match self.rng().below(5) {
            // Flat: items beside the cursor.
            0 => {
                let mut props = json!({ items_field: array, next: cursor });
                if with_more {
                    props[more] = has_more;
                }
                json!({ "type": "object", "required": [items_field], "properties": props })
            }
            // The items in a `data` envelope, the cursor in a `pagination` block (Northflank).
            1 => {
                let mut block =
                    json!({ "type": "object", "properties": { next: cursor, "count": { "type": "integer" } } });
                if with_more {
                    block["properties"][more] = has_more;
                    block["required"] = json!([more]);
                }
                json!({ "type": "object", "required": ["data", "pagination"], "properties": {
                    "data": { "type": "object", "properties": { items_field: array } },
                    "pagination": block } })
            }
            // A `meta` block that may be absent or null.
            2 => {
                let mut block = json!({ "type": "object", "properties": { next: cursor } });
                if with_more {
                    block["properties"][more] = has_more;
                }
                if self.rng().chance(40) {
                    block = self.s.nullable(block);
                }
                json!({ "type": "object", "properties": { items_field: array, "meta": block } })
            }
            // A page as a component, the cursor required.
            3 => {
                let mut props = json!({ items_field: array, next: cursor });
                if with_more {
                    props[more] = has_more;
                }
                let name = self.s.free_name("Page");
                let page = json!({ "type": "object", "required": [items_field, next], "properties": props });
                self.s.add(&name, page)
            }
            // Other names, declared with `x-pagination`.
            _ => {
                let mut props = json!({ "list": array, "meta": { "type": "object", "properties": {
                    "following": cursor } } });
                let mut ext = json!({ "cursorParam": "from", "nextCursor": "meta.following", "items": "list" });
                if with_more {
                    props["meta"]["properties"]["further"] = has_more;
                    ext["hasMore"] = json!("meta.further");
                }
                declared = Some(ext);
                json!({ "type": "object", "properties": props })
            }
        };
        let cursor_param = if declared.is_some() { "from" } else { cursor_param };
        let name = self
            .rng()
            .pick(&["listRuns", "listJobs", "list_items", "search", "listThings", "runs", "getPages", "list", "stream"])
            .to_string();
        let mut params = vec![json!({ "name": cursor_param, "in": "query", "schema": { "type": "string" } })];
        if self.rng().chance(50) {
            params.push(json!({ "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100 } }));
        }
        let mut op = json!({ "operationId": name, "parameters": params, "responses": self.ok(page.clone()) });
        if let Some(ext) = declared {
            op["x-pagination"] = ext;
        }
        let method = if self.rng().chance(20) {
            op["requestBody"] = json!({ "required": false, "content": Self::json_content(json!({ "type": "object",
                "properties": { "query": { "type": "string" } } })) });
            "post"
        } else {
            "get"
        };
        self.add("/list", method, op);
        // Names the generator derives for the listing's streams, taken by other operations.
        let suffixes = match self.rng().chance(25) {
            true => self.rng().some_of(&["Pages", "Stream", "_pages", "_stream", "Page"], 1, 2),
            false => Vec::new(),
        };
        for suffix in suffixes {
            let op = json!({ "operationId": format!("{name}{suffix}"), "responses": self.ok(page.clone()) });
            self.add("/list/other", "get", op);
        }
        if self.rng().chance(20) {
            // A type named like the listing's derived types.
            let camel = heckless_camel(&name);
            for derived in ["Params", "Response", "Item"] {
                let type_name = self.s.free_name(&format!("{camel}{derived}"));
                self.s.add(&type_name, json!({ "type": "object", "properties": { "x": { "type": "string" } } }));
            }
        }
    }
}

/// `listRuns` → `ListRuns`, `list_items` → `ListItems`: enough of camel case for the names
/// the pagination item asks for.
fn heckless_camel(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_of_listing_names() {
        assert_eq!(heckless_camel("listRuns"), "ListRuns");
        assert_eq!(heckless_camel("list_items"), "ListItems");
    }
}
