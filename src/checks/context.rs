//! What every rule needs besides the model: the selected profile, the data
//! stores as one list, catalog look-ups and the "where does this value come
//! from" helpers that keep primary labels inside the site's own files.

use crate::diagnostic::Diagnostic;
use crate::graph::Graph;
use crate::model::{
    BackupPlan, BackupRule, Key, Model, Origin, Profile, RegionFacts, Replication, Role, Spanned,
    StoreKind,
};
use crate::objectives::Objectives;
use crate::source::Span;

/// The model, its lowered graph and look-ups shared by the rules.
pub struct Context<'m> {
    pub model: &'m Model,
    /// The graph `build` emits: the plan rules and the estimate read its derived values.
    pub graph: &'m Graph,
    pub profile: Option<&'m Profile>,
    objectives: std::cell::OnceCell<Objectives>,
}

/// A stateful data store: an Aurora database, a DynamoDB table or an S3 bucket.
#[derive(Debug, Clone, Copy)]
pub struct Store<'m> {
    pub kind: StoreKind,
    pub name: &'m str,
    pub span: Span,
    /// For buckets: how it replicates.
    pub replication: Option<&'m Spanned<Replication>>,
    /// For buckets: whether AWS Backup must cover it; `true` for databases and tables.
    pub needs_backup: bool,
}

impl Store<'_> {
    /// Whether the store replicates to the secondary continuously with a published bound
    /// (Aurora global database, DynamoDB global table, S3 replication with RTC).
    pub fn replicates_within_bound(&self) -> bool {
        match self.kind {
            StoreKind::Aurora | StoreKind::Table => true,
            StoreKind::Bucket => self
                .replication
                .is_some_and(|r| r.value == Replication::Rtc),
        }
    }
}

impl<'m> Context<'m> {
    pub fn new(model: &'m Model, graph: &'m Graph) -> Context<'m> {
        Context {
            model,
            graph,
            profile: model.profile.as_ref(),
            objectives: std::cell::OnceCell::new(),
        }
    }

    /// The objectives estimate, computed once per run.
    pub fn objectives(&self) -> &Objectives {
        self.objectives
            .get_or_init(|| crate::objectives::estimate(self.model, self.graph))
    }

    /// The estimate the rules judged (computed now if no rule asked for it).
    pub fn into_objectives(self) -> Objectives {
        let (model, graph) = (self.model, self.graph);
        self.objectives
            .into_inner()
            .unwrap_or_else(|| crate::objectives::estimate(model, graph))
    }

    /// Every data store, Aurora first, then tables, then buckets, in declaration order.
    pub fn stores(&self) -> Vec<Store<'m>> {
        let m = self.model;
        let aurora = m.databases.iter().map(|d| Store {
            kind: StoreKind::Aurora,
            name: &d.name,
            span: d.span,
            replication: None,
            needs_backup: true,
        });
        let tables = m.tables.iter().map(|t| Store {
            kind: StoreKind::Table,
            name: &t.name,
            span: t.span,
            replication: None,
            needs_backup: true,
        });
        let buckets = m.buckets.iter().map(|b| Store {
            kind: StoreKind::Bucket,
            name: &b.name,
            span: b.span,
            replication: Some(&b.replication),
            needs_backup: b.backup.value,
        });
        aurora.chain(tables).chain(buckets).collect()
    }

    /// The span of a boolean profile requirement when the profile sets it to `true`.
    pub fn demands(&self, get: impl Fn(&Profile) -> Option<&Spanned<bool>>) -> Option<Span> {
        let p = self.profile?;
        get(p).filter(|v| v.value).map(|v| v.span)
    }

    pub fn key(&self, name: &str) -> Option<&'m Key> {
        self.model.keys.iter().find(|k| k.name == name)
    }

    /// Catalog facts of the site's region on `role`'s side, if the region is known.
    pub fn region(&self, role: Role) -> Option<&'m RegionFacts> {
        self.model.catalog.region(self.model.site.region(role))
    }

    /// The site's value of `role`'s region, as written.
    pub fn region_value(&self, role: Role) -> &'m Spanned<String> {
        match role {
            Role::Primary => &self.model.site.primary,
            Role::Secondary => &self.model.site.secondary,
        }
    }

    /// Backup rules whose plan covers the store named `name`, with their plan.
    pub fn rules_covering(&self, name: &str) -> Vec<(&'m BackupPlan, &'m BackupRule)> {
        self.model
            .backups
            .iter()
            .filter(|p| p.covers.iter().any(|r| r.name == name))
            .flat_map(|p| p.rules.iter().map(move |r| (p, r)))
            .collect()
    }

    /// Whether any backup plan covers the store named `name`.
    pub fn is_covered(&self, name: &str) -> bool {
        self.model
            .backups
            .iter()
            .any(|p| p.covers.iter().any(|r| r.name == name))
    }

    /// The site's environment is production.
    pub fn production(&self) -> bool {
        self.model.site.environment.value.is_production()
    }
}

/// Puts the primary label on a value when the site wrote it, and on the declaration
/// when a `defaults` block supplied it (the default's line becomes a secondary label).
pub fn at_value<T>(
    d: Diagnostic,
    v: &Spanned<T>,
    decl: Span,
    label: impl Into<crate::diagnostic::Text>,
) -> Diagnostic {
    match v.origin {
        Origin::Written => d.at(v.span, label),
        Origin::Default(_) => d
            .at(decl, label)
            .also(v.span, "the value comes from this default"),
    }
}

/// Whether the value was written in the block itself (not supplied by a default).
pub fn written<T>(v: &Spanned<T>) -> bool {
    v.origin == Origin::Written
}

/// `35d`-style rendering of seconds.
pub fn human(secs: u64) -> String {
    crate::units::humanize_secs(secs)
}

/// `a`, `a` and `b`, `a`, `b` and `c`: names in backticks.
pub fn list_names<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let v: Vec<String> = names.into_iter().map(|n| format!("`{n}`")).collect();
    match v.len() {
        0 => String::new(),
        1 => v[0].clone(),
        n => format!("{} and {}", v[..n - 1].join(", "), v[n - 1]),
    }
}
