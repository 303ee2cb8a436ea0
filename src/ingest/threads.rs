//! Reply threads: each unit's id and parent id in, each unit's parent, depth and thread root out.
//!
//! A reply can come before the comment it answers (dumps are not always in time order), so threads are
//! rebuilt only once the whole corpus has been read. [`ThreadIndex`] keeps only ids while units stream
//! past; [`Threads`] then answers by input position. A parent outside the corpus makes the unit the root
//! of its own thread, and cycles are cut.
//!
//! A parent id names a unit of the reply's own document (`doc_id`) first: two pages or threads read
//! together may both number their comments c01, c02, …. Only an id that its document does not have is
//! looked up in the others (a discussion exported in parts, one file each). When ids repeat within a
//! document, a parent id names the last unit with that id.

use crate::model::Unit;
use std::collections::HashMap;

/// The ids of the units read so far, in input order.
#[derive(Debug, Default)]
pub struct ThreadIndex {
    ids: Vec<Box<str>>,
    parents: Vec<Option<Box<str>>>,
    article: Vec<bool>,
    /// Each unit's document, as an index into `doc_names`.
    docs: Vec<u32>,
    /// Whether the unit's id was numbered by its reader within its document (article text, and comments
    /// of a page, which come with their thread), not given by the input.
    numbered: Vec<bool>,
    doc_names: HashMap<Box<str>, u32>,
}

impl ThreadIndex {
    /// Records the next unit.
    pub fn push(&mut self, u: &Unit) {
        self.ids.push(u.id.as_str().into());
        self.parents.push(u.parent_id.as_deref().map(Into::into));
        self.article.push(u.kind().is_article());
        self.numbered
            .push(u.kind().is_article() || u.thread_root.is_some());
        let next = self.doc_names.len() as u32;
        let doc = match self.doc_names.get(u.doc_id.as_str()) {
            Some(&d) => d,
            None => *self
                .doc_names
                .entry(u.doc_id.as_str().into())
                .or_insert(next),
        };
        self.docs.push(doc);
    }

    /// Resolves every parent link.
    pub fn finish(self) -> Threads {
        let n = self.ids.len();
        // Each id's last unit, whatever its document: exact when no id repeats, as in most corpora.
        let index: HashMap<&str, u32> = self
            .ids
            .iter()
            .enumerate()
            .map(|(k, id)| (&**id, k as u32))
            .collect();
        let repeats = n - index.len();
        // When ids repeat, each (document, id)'s last unit too, looked up first.
        let scoped: HashMap<(u32, &str), u32> = if repeats > 0 {
            self.ids
                .iter()
                .zip(&self.docs)
                .enumerate()
                .map(|(k, (id, &d))| ((d, &**id), k as u32))
                .collect()
        } else {
            HashMap::new()
        };
        let parent: Vec<Option<u32>> = self
            .parents
            .iter()
            .zip(&self.docs)
            .map(|(p, &d)| {
                let p = p.as_deref()?;
                scoped.get(&(d, p)).or_else(|| index.get(p)).copied()
            })
            .collect();
        // Repeats within a document.
        let duplicates = if repeats > 0 { n - scoped.len() } else { 0 };
        drop((index, scoped));
        // Replies to an id that is not in the corpus, and replies that answer a unit of another document
        // (a discussion exported in parts): counted, the first few kept for the warnings.
        let (mut orphans, mut crossings) = (0, 0);
        let mut orphaned: Vec<(Box<str>, Box<str>)> = Vec::new();
        let mut crossed: Vec<Box<str>> = Vec::new();
        for (k, ((id, named), found)) in self.ids.iter().zip(&self.parents).zip(&parent).enumerate()
        {
            match (named, found) {
                (Some(named), None) => {
                    orphans += 1;
                    if orphaned.len() < 5 {
                        orphaned.push((id.clone(), named.clone()));
                    }
                }
                (_, Some(p)) if self.docs[*p as usize] != self.docs[k] => {
                    crossings += 1;
                    if crossed.len() < 5 {
                        crossed.push(id.clone());
                    }
                }
                _ => {}
            }
        }
        // The first few ids that repeat within a document, and that documents share, for the warnings (a
        // second pass only when some do). Ids shared across documents are counted only where the input
        // gave them: the ids a reader numbers (p01, c01, …) start again in every document.
        let (mut repeated, mut across): (Vec<Box<str>>, Vec<Box<str>>) = (Vec::new(), Vec::new());
        let mut shared = 0;
        if repeats > 0 {
            let mut seen: HashMap<&str, u32> = HashMap::new();
            let mut seen_in = std::collections::HashSet::new();
            for ((id, &d), &numbered) in self.ids.iter().zip(&self.docs).zip(&self.numbered) {
                let first_doc = *seen.entry(id).or_insert(d);
                let list = if !seen_in.insert((d, &**id)) {
                    &mut repeated
                } else if first_doc != d && !numbered {
                    shared += 1;
                    &mut across
                } else {
                    continue;
                };
                if list.len() < 5 && !list.contains(id) {
                    list.push(id.clone());
                }
            }
        }
        let mut parent = parent;
        let cut: Vec<(usize, Box<str>)> = break_cycles(&mut parent)
            .into_iter()
            .map(|k| (k, self.parents[k].clone().unwrap_or_default()))
            .collect();
        // Depth and root by walking up to the first unit already settled: every link is followed once,
        // so a 200,000-deep chain costs what 200,000 short threads do.
        let mut root = vec![u32::MAX; n];
        let mut depth = vec![0u32; n];
        let mut path: Vec<usize> = Vec::new();
        for k in 0..n {
            let mut at = k;
            while root[at] == u32::MAX {
                path.push(at);
                match parent[at] {
                    Some(p) => at = p as usize,
                    None => {
                        root[at] = at as u32;
                        depth[at] = 0;
                        path.pop();
                        break;
                    }
                }
            }
            while let Some(u) = path.pop() {
                let p = parent[u].map_or(u, |p| p as usize);
                (root[u], depth[u]) = (root[p], depth[p] + 1);
            }
        }
        let mut replies = vec![0u32; n];
        for (p, article) in parent.iter().zip(&self.article) {
            if let Some(p) = p.filter(|_| !article) {
                replies[p as usize] += 1;
            }
        }
        Threads {
            ids: self.ids,
            article: self.article,
            parent,
            root,
            depth,
            replies,
            cut,
            duplicates,
            repeated,
            shared,
            across,
            orphans,
            orphaned,
            crossings,
            crossed,
        }
    }
}

/// Parent, depth and root of every unit, by input position.
#[derive(Debug)]
pub struct Threads {
    ids: Vec<Box<str>>,
    article: Vec<bool>,
    parent: Vec<Option<u32>>,
    root: Vec<u32>,
    depth: Vec<u32>,
    replies: Vec<u32>,
    cut: Vec<(usize, Box<str>)>,
    duplicates: usize,
    repeated: Vec<Box<str>>,
    shared: usize,
    across: Vec<Box<str>>,
    orphans: usize,
    orphaned: Vec<(Box<str>, Box<str>)>,
    crossings: usize,
    crossed: Vec<Box<str>>,
}

impl Threads {
    /// Fills depth and thread root of the unit at position `k`, unless it is article text or its format
    /// already gave them (article pages do).
    pub fn apply(&self, k: usize, u: &mut Unit) {
        // A link cut to break a cycle is gone from the unit too, so that its row agrees with its depth.
        if self.cut.binary_search_by_key(&k, |(c, _)| *c).is_ok() {
            u.parent_id = None;
        }
        if self.article[k] || u.thread_root.is_some() {
            return;
        }
        u.depth = self.depth[k];
        u.thread_root = Some(self.ids[self.root[k] as usize].to_string());
    }

    /// The position of the unit that unit `k` replies to, when it is in the corpus.
    pub fn parent(&self, k: usize) -> Option<usize> {
        self.parent[k].map(|p| p as usize)
    }

    /// How many comments reply directly to unit `k`.
    pub fn replies(&self, k: usize) -> u32 {
        self.replies[k]
    }

    /// The units whose parent link was cut to break a reply cycle (a self-reply, or a→b→a), in input
    /// order, with the parent id they named: each is the earliest unit of its cycle, and is now the root
    /// of its thread.
    pub fn cut(&self) -> &[(usize, Box<str>)] {
        &self.cut
    }

    /// How many units repeat the id of an earlier unit of their document (a parent id names the last
    /// unit with that id).
    pub fn duplicate_ids(&self) -> usize {
        self.duplicates
    }

    /// The first (up to five) ids that more than one unit of a document has, in input order.
    pub fn repeated_ids(&self) -> &[Box<str>] {
        &self.repeated
    }

    /// How many units have an id that an earlier unit of another document has, and not one of their own
    /// (two pages both numbering their comments c01, c02, …: a parent id names its own document's unit).
    pub fn shared_ids(&self) -> usize {
        self.shared
    }

    /// The first (up to five) of those ids, in input order.
    pub fn ids_shared_across_documents(&self) -> &[Box<str>] {
        &self.across
    }

    /// How many replies answer a unit of another document (a discussion exported in parts).
    pub fn crossings(&self) -> usize {
        self.crossings
    }

    /// The first few ids of the replies that [`Threads::crossings`] counts.
    pub fn crossed(&self) -> &[Box<str>] {
        &self.crossed
    }

    /// The position of the first unit of the thread that unit `k` is in (itself for a root).
    pub fn root(&self, k: usize) -> usize {
        self.root[k] as usize
    }

    /// How many units name a parent id that no unit of the corpus has (each is the root of its thread).
    pub fn orphans(&self) -> usize {
        self.orphans
    }

    /// The first (up to five) of them, in input order: (id, the parent id it names).
    pub fn orphaned(&self) -> &[(Box<str>, Box<str>)] {
        &self.orphaned
    }

    /// The id of the unit at position `k`.
    pub fn id(&self, k: usize) -> &str {
        &self.ids[k]
    }

    /// The number of units.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// Breaks every cycle of parent links (`parent[k]` is the unit that `k` replies to) at its earliest unit,
/// which loses its parent and becomes a thread root. Gives the units cut, in input order. Deterministic:
/// the same links always give the same cuts, whatever the order the cycles are found in.
fn break_cycles(parent: &mut [Option<u32>]) -> Vec<usize> {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; parent.len()];
    let mut path: Vec<usize> = Vec::new();
    let mut cut = Vec::new();
    for k in 0..parent.len() {
        let mut at = k;
        while state[at] == NEW {
            state[at] = ON_PATH;
            path.push(at);
            match parent[at] {
                Some(p) => at = p as usize,
                None => break,
            }
        }
        if state[at] == ON_PATH && parent[at].is_some() {
            // `at` is on the path just walked and links back into it: the path from `at` on is a cycle.
            let from = path.iter().rposition(|&u| u == at).unwrap_or(0);
            if let Some(&first) = path[from..].iter().min() {
                parent[first] = None;
                cut.push(first);
            }
        }
        for u in path.drain(..) {
            state[u] = DONE;
        }
    }
    cut.sort_unstable();
    cut
}

/// Fills depth and thread root from parent links in a corpus held in memory.
pub fn rebuild(units: &mut [Unit]) {
    let mut index = ThreadIndex::default();
    for u in units.iter() {
        index.push(u);
    }
    let threads = index.finish();
    for (k, u) in units.iter_mut().enumerate() {
        threads.apply(k, u);
    }
}
