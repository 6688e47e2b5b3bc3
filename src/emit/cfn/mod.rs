//! CloudFormation backend (in progress).
