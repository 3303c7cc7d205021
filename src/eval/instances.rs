//! Repetition: the instances that `count` and `for_each` make, and the
//! names (`each`, `count`, a `dynamic` block's iterator) an expression
//! sees inside one of them.

use super::{to_number, Node, NodeVal, Resolved, Value};
use std::collections::BTreeMap;
use std::fmt;

/// The most instances one `count`, `for_each` or `dynamic` block is
/// expanded to. Past it, the first ones in Terraform's order are kept and
/// the expansion says it was cut.
pub const MAX_KEYS: usize = 256;

/// The key of one instance: `[0]` for `count` (and a `dynamic` block over
/// a list), `["eu-west-1"]` for `for_each`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InstanceKey {
    Index(usize),
    Key(String),
}

impl InstanceKey {
    /// The key a value selects: a string for `for_each` instances, a whole
    /// number for `count` ones. Anything else selects nothing.
    pub fn of(value: &Value) -> Option<InstanceKey> {
        match value {
            Value::String(s) => Some(InstanceKey::Key(s.clone())),
            Value::Number(n) if *n >= 0.0 && n.fract() == 0.0 && *n < usize::MAX as f64 => {
                Some(InstanceKey::Index(*n as usize))
            }
            _ => None,
        }
    }
}

impl fmt::Display for InstanceKey {
    /// Terraform's form, as it appears in an address: `[0]`, `["a"]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceKey::Index(i) => write!(f, "[{i}]"),
            InstanceKey::Key(k) => write!(f, "[{}]", Value::String(k.clone())),
        }
    }
}

/// One instance of a repeated block: its key and, for `for_each` and
/// `dynamic`, the element it was made for.
#[derive(Debug, Clone, PartialEq)]
pub struct Repetition {
    pub key: InstanceKey,
    value: Node,
}

impl Repetition {
    /// `each.value` (or the iterator's `value`), with where it was
    /// written.
    pub fn value(&self) -> Resolved {
        Resolved::from_node(self.value.clone())
    }

    fn key_node(&self) -> Node {
        match &self.key {
            InstanceKey::Index(i) => Node::leaf(NodeVal::Number(*i as f64), None),
            InstanceKey::Key(k) => Node::leaf(NodeVal::String(k.clone()), None),
        }
    }
}

/// What a `count`, `for_each` or `dynamic` block makes.
#[derive(Debug, Clone, PartialEq)]
pub enum Expansion {
    /// The collection or number is not known: how many instances there
    /// are, and which, is unknown.
    Unknown,
    /// These instances, in Terraform's order; `cut` when there were more
    /// than [`MAX_KEYS`] and only the first ones are here.
    Known { reps: Vec<Repetition>, cut: bool },
}

impl Expansion {
    /// The instances a `count` argument makes: a whole number, zero or
    /// more. Anything else Terraform rejects, and is unknown here.
    pub fn count(value: &Resolved) -> Expansion {
        let Some(n) = to_number(&value.node).filter(|n| *n >= 0.0 && n.fract() == 0.0) else {
            return Expansion::Unknown;
        };
        let cut = n > MAX_KEYS as f64;
        let n = if cut { MAX_KEYS } else { n as usize };
        let reps = (0..n)
            .map(|i| Repetition {
                key: InstanceKey::Index(i),
                value: Node::leaf(NodeVal::Null, None),
            })
            .collect();
        Expansion::Known { reps, cut }
    }

    /// The instances a `for_each` argument of a resource, data source or
    /// module makes: one per key of a map or object, in lexical order, or
    /// one per string of a set, in lexical order, with the string as both
    /// key and value.
    ///
    /// A set and a list look alike to this evaluator; Terraform rejects a
    /// list, so a list of strings is read as the set it would have to be.
    /// A collection with an unknown key or element, a null, or a list of
    /// anything but strings is unknown.
    pub fn for_each(value: &Resolved) -> Expansion {
        match &value.node.val {
            NodeVal::Map(items) => Expansion::keyed(items),
            NodeVal::List(items) => {
                let mut strings: BTreeMap<String, Node> = BTreeMap::new();
                for n in items {
                    let NodeVal::String(s) = &n.val else {
                        return Expansion::Unknown;
                    };
                    strings.entry(s.clone()).or_insert_with(|| n.clone());
                }
                Expansion::keyed(&strings)
            }
            _ => Expansion::Unknown,
        }
    }

    /// The instances of a `dynamic` block: as [`Expansion::for_each`] for
    /// maps, and one per element, keyed by position, for lists (which is
    /// how a `dynamic` block reads a list or a set).
    pub fn dynamic(value: &Resolved) -> Expansion {
        match &value.node.val {
            NodeVal::Map(items) => Expansion::keyed(items),
            NodeVal::List(items) => {
                let cut = items.len() > MAX_KEYS;
                let reps = items
                    .iter()
                    .take(MAX_KEYS)
                    .enumerate()
                    .map(|(i, n)| Repetition {
                        key: InstanceKey::Index(i),
                        value: n.clone(),
                    })
                    .collect();
                Expansion::Known { reps, cut }
            }
            _ => Expansion::Unknown,
        }
    }

    fn keyed(items: &BTreeMap<String, Node>) -> Expansion {
        let cut = items.len() > MAX_KEYS;
        let reps = items
            .iter()
            .take(MAX_KEYS)
            .map(|(k, v)| Repetition {
                key: InstanceKey::Key(k.clone()),
                value: v.clone(),
            })
            .collect();
        Expansion::Known { reps, cut }
    }

    /// The instances, or none when they are unknown.
    pub fn reps(&self) -> &[Repetition] {
        match self {
            Expansion::Unknown => &[],
            Expansion::Known { reps, .. } => reps,
        }
    }

    pub fn is_cut(&self) -> bool {
        matches!(self, Expansion::Known { cut: true, .. })
    }
}

/// Names bound for an expression inside a repeated block: `each`,
/// `count`, the iterator of a `dynamic` block. Inner bindings come last
/// and win.
///
/// Shared: cloning a set of bindings copies a pointer, and evaluations
/// read them in place.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bindings(std::sync::Arc<Vec<(String, Node)>>);

impl Bindings {
    pub fn new() -> Bindings {
        Bindings::default()
    }

    /// `each.key` and `each.value` of a `for_each` instance.
    pub fn each(mut self, rep: &Repetition) -> Bindings {
        self.bind_object("each", rep);
        self
    }

    /// `count.index` of a `count` instance.
    pub fn count(mut self, rep: &Repetition) -> Bindings {
        let mut m = BTreeMap::new();
        m.insert("index".to_string(), rep.key_node());
        std::sync::Arc::make_mut(&mut self.0).push(("count".to_string(), Node::map(m, None)));
        self
    }

    /// The instance of a `count` or `for_each`, whichever made it: a
    /// `count` instance binds `count`, a `for_each` instance `each`.
    pub fn instance(self, rep: &Repetition, counted: bool) -> Bindings {
        if counted {
            self.count(rep)
        } else {
            self.each(rep)
        }
    }

    /// `name.key` and `name.value` of a `dynamic` block's iterator.
    pub fn iterator(mut self, name: &str, rep: &Repetition) -> Bindings {
        self.bind_object(name, rep);
        self
    }

    fn bind_object(&mut self, name: &str, rep: &Repetition) {
        let mut m = BTreeMap::new();
        m.insert("key".to_string(), rep.key_node());
        m.insert("value".to_string(), rep.value.clone());
        let node = Node::map(m, None).through(name.to_string());
        std::sync::Arc::make_mut(&mut self.0).push((name.to_string(), node));
    }

    /// The value bound to a name; a later binding hides an earlier one.
    pub(super) fn get(&self, name: &str) -> Option<&Node> {
        self.0.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
