//! The access vocabulary of a function (R11): `reads`, `writes`, `deletes` and
//! `scans`, and the exact IAM actions each word grants on each kind of store.
//! Lowering (the function roles) and the language server (hover on a
//! function) both read these tables, so what hover shows is what is emitted.
//!
//! Sources:
//! - DynamoDB actions and access levels: Service Authorization Reference,
//!   <https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html>;
//!   AWS's read-only example lists GetItem, BatchGetItem, Scan, Query and
//!   ConditionCheckItem,
//!   <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-only-permissions-on-table-items.html>;
//!   transactions use the item actions,
//!   <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html>.
//! - `BatchWriteItem` "puts or deletes multiple items" and IAM cannot allow
//!   only its put half, so it needs both `writes` and `deletes`:
//!   <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html>.
//! - S3: a simple DELETE on a versioned bucket only adds a delete marker
//!   (the object stays recoverable), `DeleteObjectVersion` destroys a
//!   version for good (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeleteMarker.html>).
//!   `deletes` therefore grants `s3:DeleteObject` only: permanent deletion of
//!   versions would defeat the versioning and replication the DR site relies on.
//! - SSE-KMS: uploading needs `kms:GenerateDataKey`, multipart uploads also
//!   `kms:Decrypt`; downloading needs `kms:Decrypt`
//!   (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms>).

use super::{Function, StoreKind};

/// What a function may do with one store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Access {
    /// `reads`: get items / objects.
    pub read: bool,
    /// `writes`: put and update items / put objects (no reading).
    pub write: bool,
    /// `deletes`: delete items / objects.
    pub delete: bool,
    /// `scans`: scan the whole table.
    pub scan: bool,
}

impl Access {
    /// The words of the declaration that give this access, in schema order.
    pub fn words(self) -> Vec<&'static str> {
        [
            (self.read, "reads"),
            (self.write, "writes"),
            (self.delete, "deletes"),
            (self.scan, "scans"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, w)| w)
        .collect()
    }
}

/// DynamoDB item actions for `a`, sorted.
pub fn table_actions(a: Access) -> Vec<&'static str> {
    let mut out = Vec::new();
    if a.read {
        out.extend([
            "dynamodb:BatchGetItem",
            "dynamodb:ConditionCheckItem",
            "dynamodb:GetItem",
            "dynamodb:Query",
        ]);
    }
    if a.scan {
        out.push("dynamodb:Scan");
    }
    if a.write {
        out.extend(["dynamodb:PutItem", "dynamodb:UpdateItem"]);
    }
    if a.delete {
        out.push("dynamodb:DeleteItem");
    }
    if a.write && a.delete {
        out.push("dynamodb:BatchWriteItem");
    }
    out.sort_unstable();
    out
}

/// S3 object actions for `a` (on `arn:...:bucket/*`), sorted.
pub fn object_actions(a: Access) -> Vec<&'static str> {
    let mut out = Vec::new();
    if a.read {
        out.extend(["s3:GetObject", "s3:GetObjectVersion"]);
    }
    if a.write {
        out.push("s3:PutObject");
    }
    if a.delete {
        out.push("s3:DeleteObject");
    }
    out.sort_unstable();
    out
}

/// S3 bucket actions for `a` (on the bucket ARN): listing is reading.
pub fn bucket_actions(a: Access) -> Vec<&'static str> {
    if a.read {
        vec!["s3:ListBucket"]
    } else {
        Vec::new()
    }
}

/// KMS actions on a bucket's key (through S3) for `a`, sorted.
pub fn bucket_key_actions(a: Access) -> Vec<&'static str> {
    let mut out = Vec::new();
    if a.read || a.write {
        out.push("kms:Decrypt");
    }
    if a.write {
        out.push("kms:GenerateDataKey");
    }
    out
}

/// Every action on a store of `kind` for `a`, sorted (what hover shows).
pub fn actions(kind: StoreKind, a: Access) -> Vec<&'static str> {
    let mut out = match kind {
        StoreKind::Table => table_actions(a),
        StoreKind::Bucket => {
            let mut v = object_actions(a);
            v.extend(bucket_actions(a));
            v.extend(bucket_key_actions(a));
            v
        }
        // IAM database authentication to the function's own region's cluster
        // (lowering, `connects`): no master secret.
        StoreKind::Aurora => {
            if a.read || a.write {
                vec!["rds-db:connect"]
            } else {
                Vec::new()
            }
        }
    };
    out.sort_unstable();
    out
}

/// Turns on one word of an [`Access`].
type Setter = fn(&mut Access);

impl Function {
    /// The stores the function's access lists name, in first-mention order
    /// (`reads`, `writes`, `deletes`, `scans`), each with its merged access.
    pub fn store_access(&self) -> Vec<(String, Access)> {
        let mut out: Vec<(String, Access)> = Vec::new();
        let lists: [(&[super::Ref], Setter); 4] = [
            (&self.reads, |a| a.read = true),
            (&self.writes, |a| a.write = true),
            (&self.deletes, |a| a.delete = true),
            (&self.scans, |a| a.scan = true),
        ];
        for (refs, set) in lists {
            for r in refs {
                match out.iter_mut().find(|(n, _)| n == &r.name) {
                    Some((_, a)) => set(a),
                    None => {
                        let mut a = Access::default();
                        set(&mut a);
                        out.push((r.name.clone(), a));
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc(read: bool, write: bool, delete: bool, scan: bool) -> Access {
        Access {
            read,
            write,
            delete,
            scan,
        }
    }

    #[test]
    fn reads_and_writes_never_scan_or_delete() {
        let a = acc(true, true, false, false);
        let t = table_actions(a);
        assert_eq!(
            t,
            [
                "dynamodb:BatchGetItem",
                "dynamodb:ConditionCheckItem",
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:Query",
                "dynamodb:UpdateItem"
            ]
        );
        assert_eq!(
            object_actions(a),
            ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
        );
    }

    #[test]
    fn batch_write_needs_writes_and_deletes() {
        assert!(!table_actions(acc(false, false, true, false)).contains(&"dynamodb:BatchWriteItem"));
        assert!(!table_actions(acc(false, true, false, false)).contains(&"dynamodb:BatchWriteItem"));
        assert!(table_actions(acc(false, true, true, false)).contains(&"dynamodb:BatchWriteItem"));
        assert_eq!(
            table_actions(acc(false, false, false, true)),
            ["dynamodb:Scan"]
        );
        assert_eq!(
            object_actions(acc(false, false, true, false)),
            ["s3:DeleteObject"]
        );
    }

    #[test]
    fn writing_without_reading_gets_no_get_and_no_list() {
        let w = acc(false, true, false, false);
        assert_eq!(object_actions(w), ["s3:PutObject"]);
        assert!(bucket_actions(w).is_empty());
        assert_eq!(
            bucket_key_actions(w),
            ["kms:Decrypt", "kms:GenerateDataKey"]
        );
        assert_eq!(
            bucket_key_actions(acc(false, false, true, false)),
            Vec::<&str>::new()
        );
    }
}
