//! Casing of identifiers that drsc generates (logical IDs, statement IDs,
//! parameter names).

/// `transaction_meta`, `a/b-c_d.e` → `TransactionMeta`, `ABCDE`: the
/// alphanumeric runs, each capitalised.
pub fn camel(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::camel;

    #[test]
    fn capitalises_each_alphanumeric_run() {
        assert_eq!(camel("transaction_meta"), "TransactionMeta");
        assert_eq!(camel("bucket/documents/primary"), "BucketDocumentsPrimary");
        assert_eq!(camel("--"), "");
    }
}
