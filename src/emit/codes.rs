//! Codes of the backends: lowering limits and template limits.
//! Numbering: DRS0900–DRS0949.

use crate::registry::CodeInfo;

declare_code!(
    TOO_MANY_RESOURCES,
    "DRS0900",
    "template-too-many-resources",
    Error,
    "a CloudFormation template would exceed 500 resources",
    "## What it checks
Each emitted CloudFormation template declares at most 500 resources, the CloudFormation
quota per stack.

## Why it matters
CloudFormation rejects a larger template at deploy time, after the earlier stacks of the
deploy order already exist.

## Example
```
error[DRS0900]: stack `primary` would declare 523 resources; CloudFormation allows 500
```

## Fix
Split the site into smaller sites (for example one per application), or declare fewer
functions or stores per site. drsc does not split a stack by itself."
);

declare_code!(
    TEMPLATE_TOO_LARGE,
    "DRS0901",
    "template-too-large",
    Error,
    "a CloudFormation template would exceed 1 MB",
    "## What it checks
Each emitted CloudFormation template is at most 1,000,000 bytes, the limit for a template
uploaded through S3. (Templates over 51,200 bytes are deployed through the artifact bucket
with `--s3-bucket`; that is handled in `deploy.json` and is not an error.)

## Why it matters
CloudFormation refuses a larger template.

## Example
```
error[DRS0901]: template `primary.json` of stack `primary` would be 1,204,117 bytes; CloudFormation allows 1,000,000
```

## Fix
Split the site, or shorten large inline handlers (move them to a `source` directory)."
);

declare_code!(
    NAME_INVALID,
    "DRS0902",
    "generated-name-invalid",
    Error,
    "a name drsc generates for a resource breaks an AWS naming rule",
    "## What it checks
Besides the names `check` validates (DRS0271), lowering generates names for supporting
resources (replication and backup roles, backup plans, queues, rules, alarms). Each must
satisfy its AWS rule (length and characters).

## Why it matters
AWS rejects the name at deploy time.

## Example
```
error[DRS0902]: IAM role name `customer-identity-documents-replication-role-production-txn01` has 66 characters; AWS allows 1–64
```

## Fix
Shorten the declaration's label or the site's suffix."
);

declare_code!(
    UNSUPPORTED,
    "DRS0903",
    "backend-unsupported",
    Error,
    "the site asks for something the backend cannot express",
    "## What it checks
Something a backend cannot turn into AWS configuration. The checks reject what the
backends cannot express (for example DRS0288 rejects backup intervals AWS Backup cannot
schedule, from the same table the backends use), so in practice this code reports drsc's
own internal inconsistencies, such as a reference to a stack deployed later.

## Why it matters
Emitting an approximation would silently change the site's recovery point, and a broken
template would fail half-way through a deployment.

## Example
```
error[DRS0903]: backup rule `odd` runs every 5h, which AWS Backup cannot schedule
```

## Fix
Run `drsc check` first and fix what it reports; if `check` is clean and `build` still
reports this code, it is a drsc bug: please report it with the site."
);

declare_code!(
    SOURCE_UNREADABLE,
    "DRS0904",
    "function-source-unreadable",
    Error,
    "a function's source directory cannot be read or packaged",
    "## What it checks
`drsc build` zips every function `source` directory into `out/assets/`. The directory must
exist and be readable.

## Why it matters
A function without its code cannot be deployed.

## Example
```
error[DRS0904]: cannot package `functions/ingest` for function `ingest`: No such file or directory
```

## Fix
Create the directory relative to the site file, or fix its permissions."
);

declare_code!(
    OUTPUT_UNWRITABLE,
    "DRS0905",
    "output-unwritable",
    Error,
    "the output directory cannot be written",
    "## What it checks
`drsc build -o DIR` writes everything into a temporary directory beside `DIR` and then
renames it into place. The parent of `DIR` must be writable.

## Why it matters
A half-written output directory could be deployed by mistake; drsc never leaves one: on any
failure `DIR` is unchanged.

## Example
```
error[DRS0905]: cannot write `/readonly/out`: Permission denied
```

## Fix
Choose a writable location. The exit status is 2 for this problem."
);

declare_code!(
    TOO_MANY_PARAMETERS,
    "DRS0906",
    "template-too-many-parameters",
    Error,
    "a CloudFormation template would exceed 200 parameters or 200 outputs",
    "## What it checks
Each emitted template declares at most 200 parameters and 200 outputs (CloudFormation
quotas). Cross-region values travel as parameters, so very large sites could reach them.

## Why it matters
CloudFormation rejects the template at deploy time.

## Example
```
error[DRS0906]: stack `secondary` would have 214 parameters and 12 outputs; CloudFormation allows 200 each
```

## Fix
Split the site into smaller sites."
);

/// Every backend code, in order.
pub static ALL: &[&CodeInfo] = &[
    &TOO_MANY_RESOURCES,
    &TEMPLATE_TOO_LARGE,
    &NAME_INVALID,
    &UNSUPPORTED,
    &SOURCE_UNREADABLE,
    &OUTPUT_UNWRITABLE,
    &TOO_MANY_PARAMETERS,
];
