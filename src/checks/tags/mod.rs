//! Tags on every taggable resource (R4): `Environment` and `DR-Role` from drsc,
//! the site's user tags, and the profile's required tags.

pub mod invalid_tag;
pub mod required_tag_missing;
pub mod required_tag_overridden;

/// Tags drsc sets on every taggable resource itself: `Environment` and `DR-Role` (R4)
/// and `Name`, the resource's physical name (`src/lower`).
pub const SYSTEM_TAGS: [&str; 3] = ["Environment", "DR-Role", "Name"];

/// AWS allows at most this many user tags on a resource.
pub const MAX_TAGS: usize = 50;
