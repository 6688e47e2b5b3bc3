//! The evidence report as JSON (`specs/evidence.schema.json`).

use super::Evidence;
use serde_json::Value;

/// The schema version the document follows.
pub const SCHEMA_VERSION: u32 = 1;

/// The document as a JSON value, `version` first.
pub fn to_json(e: &Evidence) -> Value {
    let mut v = serde_json::json!({ "version": SCHEMA_VERSION });
    if let (Some(out), Ok(Value::Object(body))) = (v.as_object_mut(), serde_json::to_value(e)) {
        out.extend(body);
    }
    v
}
