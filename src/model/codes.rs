//! Codes of the semantic model: the site, names, references, exclusive attributes.
//! Numbering: DRS0100–DRS0149. A required attribute missing after defaults are
//! applied is the front end's `DRS0034` (see `crate::syntax::codes::MISSING_ATTRIBUTE`).

use crate::registry::CodeInfo;

declare_code!(
    MISSING_SITE,
    "DRS0100",
    "missing-site",
    Error,
    "the file declares no `site` block",
    "## What it checks
The file given to `drsc check` or `drsc build` (or one of its imports) declares a
`site` block: the region pair, the recovery objectives and the environment.

## Why it matters
Everything drsc emits hangs off the site: physical names, tags, which region is primary.
Without it there is nothing to check against an RPO or an RTO, and nothing to build.

## Example
```
key \"data\" {
  rotation = true
}
```
A file with keys and stores but no site.

## Fix
Declare the site, or check the file that does:
```
site \"transactions\" {
  primary     = us-east-1
  secondary   = us-west-2
  rpo         = 1h
  rto         = 4h
  environment = production
  suffix      = \"txn01\"
}
```
A baseline file meant to be imported (defaults, keys, a profile) is checked through the
site that imports it."
);

declare_code!(
    DUPLICATE_DECLARATION,
    "DRS0101",
    "duplicate-declaration",
    Error,
    "a name is declared twice, or a one-per-site block appears twice",
    "## What it checks
Every declaration others can refer to has a name unique among blocks of its kind, across
the site file and everything it imports (`aurora \"ledger\"` may exist once). Blocks a site
has at most one of (`site`, `network`, `failover`, `monitoring`, and nested blocks such as
`tags` or `serverless`) appear once, and the rules of one backup plan have distinct names.

## Why it matters
References such as `covers = [ledger]` must mean exactly one thing, and physical names
derived from the declaration name must be unique (R3). Two `failover` blocks would give
two conflicting automations for one database.

## Example
```
table \"events\" { partition_key = \"id\" }
table \"events\" { partition_key = \"event_id\" }
```

## Fix
Rename one of the declarations (and the references meant for it), or merge the two
blocks into one."
);

declare_code!(
    UNKNOWN_REFERENCE,
    "DRS0102",
    "unknown-reference",
    Error,
    "a reference names nothing that is declared",
    "## What it checks
A bare name used as a value where the schema expects a reference (`key = data`,
`covers = [ledger]`, `profile = finserv`, `failover { database = ledger }`) names a
declaration of an allowed kind in the site file or a file it imports.

## Why it matters
An unresolved reference would leave a store without its key, a backup plan without its
selection, or a failover without its database: protection that is silently missing.

## Example
```
table \"transaction_meta\" {
  partition_key = \"txn_id\"
  key           = dat
}
```
No `key \"dat\"` exists; `key \"data\"` does.

## Fix
Fix the spelling (the message suggests the closest declared name), declare the missing
block, or import the file that declares it. Profiles shipped with drsc need their
module: `import \"std/finserv\"` for `profile = finserv`."
);

declare_code!(
    WRONG_KIND_REFERENCE,
    "DRS0103",
    "wrong-kind-reference",
    Error,
    "a reference names a declaration of the wrong kind",
    "## What it checks
A reference names a declaration of one of the kinds the attribute accepts: `key` takes
a `key`, `covers`, `reads` and `writes` take an `aurora`, `table` or `bucket`, `connects`
and `failover { database }` take an `aurora`, `failover { dns }` takes a `dns`.

## Why it matters
Granting a function `reads = [data]` on a KMS key, or failing over a DynamoDB table
like a database, cannot be emitted meaningfully; it is a mix-up of names.

## Example
```
backup \"dr\" {
  covers = [data]   # `data` is a `key`
}
```

## Fix
Name a declaration of the expected kind; the message says what `data` is and what the
attribute expects."
);

declare_code!(
    AMBIGUOUS_REFERENCE,
    "DRS0104",
    "ambiguous-reference",
    Error,
    "a reference matches declarations of two accepted kinds",
    "## What it checks
Where an attribute accepts several kinds (`covers`, `reads`, `writes` accept an
`aurora`, a `table` or a `bucket`), the name it uses is declared by only one of them.

## Why it matters
`covers = [events]` with both `table \"events\"` and `bucket \"events\"` could protect
either; drsc does not guess which store a backup plan or an IAM grant is about.

## Example
```
table  \"events\" { partition_key = \"id\" }
bucket \"events\" { }
backup \"dr\" {
  covers = [events]
}
```

## Fix
Rename one of the declarations so that every store has its own name."
);

declare_code!(
    REPEATED_REFERENCE,
    "DRS0105",
    "repeated-reference",
    Warning,
    "a list names the same declaration twice",
    "## What it checks
Reference lists (`covers`, `reads`, `writes`, `connects`) name each declaration once.

## Why it matters
The repetition changes nothing in what is emitted, so it is usually a slip for another
name: `covers = [ledger, ledger]` where `[ledger, documents]` was meant leaves the
bucket unprotected.

## Example
```
function \"ingest\" {
  writes = [transaction_meta, transaction_meta]
}
```

## Fix
Remove the repetition, or replace it with the name that was meant."
);

declare_code!(
    CONFLICTING_ATTRIBUTES,
    "DRS0106",
    "conflicting-attributes",
    Error,
    "attributes that exclude each other are both set",
    "## What it checks
Some attributes are alternatives; exactly one may be given:
- `function`: `source` (a directory) or `inline` (code in a string);
- `dns`: `zone` (a zone name) or `zone_id` (an existing zone's id); `create_zone = true`
  needs `zone`, the name of the zone to create;
- `aurora`: a `serverless` block makes the instances `db.serverless`, so an
  `instance_class` written beside it contradicts it.

## Why it matters
drsc would have to pick one of the two silently, and the one it dropped may be the one
the author relied on.

## Example
```
function \"ingest\" {
  runtime = \"python3.12\"
  handler = \"app.handler\"
  source  = \"functions/ingest\"
  inline  = \"def handler(event, context): pass\"
}
```

## Fix
Remove one of the two attributes, as the message says."
);

declare_code!(
    MALFORMED_PRINCIPAL_ARN,
    "DRS0107",
    "malformed-principal-arn",
    Error,
    "a key administrator or the deployer is not an IAM role or user ARN",
    "## What it checks
`key { admins = [...] }` and `site { deployer = ... }` name IAM principals by ARN:
`arn:aws:iam::<12-digit account>:role/<path/name>` or `...:user/<path/name>` (partitions
`aws`, `aws-cn`, `aws-us-gov`). The account root (`:root`), wildcards and other kinds of
ARN are refused.

## Why it matters
The key policy names these principals (R22): administrators get the key management
actions and never use of the key; the deployer may administer the key (so CloudFormation
or Terraform passes KMS's `PutKeyPolicy` lockout safety check) and use it only through
the services that create the site's encrypted resources. KMS rejects a key policy whose
principals do not exist, and naming the account root would delegate the key to every IAM
policy of the account again, which is what separating administration from use prevents.

## Example
```
key \"data\" {
  admins = [\"arn:aws:iam::123456789012:root\"]
}
```

## Fix
Name the role or user, e.g. `\"arn:aws:iam::123456789012:role/KeyAdmins\"`."
);

/// Every model code, in order.
pub static ALL: &[&CodeInfo] = &[
    &MISSING_SITE,
    &DUPLICATE_DECLARATION,
    &UNKNOWN_REFERENCE,
    &WRONG_KIND_REFERENCE,
    &AMBIGUOUS_REFERENCE,
    &REPEATED_REFERENCE,
    &CONFLICTING_ATTRIBUTES,
    &MALFORMED_PRINCIPAL_ARN,
];
