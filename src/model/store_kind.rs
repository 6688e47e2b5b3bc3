//! The kinds of stateful data store: one vocabulary for the rules, the objectives
//! estimate and the language server.

use serde::Serialize;

/// The kind of a stateful data store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// An Aurora PostgreSQL global database (`aurora`).
    Aurora,
    /// A DynamoDB global table (`table`).
    Table,
    /// An S3 bucket (`bucket`).
    Bucket,
}

impl StoreKind {
    /// Every kind, in the order the model lists stores.
    pub const ALL: [StoreKind; 3] = [StoreKind::Aurora, StoreKind::Table, StoreKind::Bucket];

    /// The block kind as written, e.g. `aurora`.
    pub fn block(self) -> &'static str {
        match self {
            StoreKind::Aurora => "aurora",
            StoreKind::Table => "table",
            StoreKind::Bucket => "bucket",
        }
    }

    /// The store kind a block kind declares, if it declares a data store.
    pub fn of_block(kind: &str) -> Option<StoreKind> {
        StoreKind::ALL.into_iter().find(|k| k.block() == kind)
    }
}

impl std::fmt::Display for StoreKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.block())
    }
}

#[cfg(test)]
mod tests {
    use super::StoreKind;

    #[test]
    fn block_kinds_round_trip_and_are_in_the_schema() {
        for k in StoreKind::ALL {
            assert_eq!(StoreKind::of_block(k.block()), Some(k));
            assert!(crate::schema::block(k.block()).is_some(), "{k}");
        }
        assert_eq!(StoreKind::of_block("key"), None);
    }
}
