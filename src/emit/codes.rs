//! Codes of the backends: template limits, packaging and output.
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
    &SOURCE_UNREADABLE,
    &OUTPUT_UNWRITABLE,
    &TOO_MANY_PARAMETERS,
];
