//! Reply threads: each unit's id and parent id in, each unit's parent, depth and thread root out.
//!
//! A reply can come before the comment it answers (dumps are not always in time order), so threads are
//! rebuilt only once the whole corpus has been read. [`ThreadIndex`] keeps only ids while units stream
//! past; [`Threads`] then answers by input position. A parent outside the corpus makes the unit the root
//! of its own thread, and cycles are cut. When ids repeat, a parent id names the last unit with that id.

use crate::model::Unit;
use std::collections::HashMap;

/// The ids of the units read so far, in input order.
#[derive(Debug, Default)]
pub struct ThreadIndex {
    ids: Vec<Box<str>>,
    parents: Vec<Option<Box<str>>>,
    article: Vec<bool>,
}

impl ThreadIndex {
    /// Records the next unit.
    pub fn push(&mut self, u: &Unit) {
        self.ids.push(u.id.as_str().into());
        self.parents.push(u.parent_id.as_deref().map(Into::into));
        self.article.push(u.kind().is_article());
    }

    /// Resolves every parent link.
    pub fn finish(self) -> Threads {
        let n = self.ids.len();
        let index: HashMap<&str, u32> = self
            .ids
            .iter()
            .enumerate()
            .map(|(k, id)| (&**id, k as u32))
            .collect();
        let parent: Vec<Option<u32>> = self
            .parents
            .iter()
            .map(|p| p.as_deref().and_then(|p| index.get(p).copied()))
            .collect();
        drop(index);
        let mut root = vec![0u32; n];
        let mut depth = vec![0u32; n];
        let mut replies = vec![0u32; n];
        for k in 0..n {
            let (mut d, mut at) = (0u32, k);
            while let Some(p) = parent[at] {
                if d as usize >= n {
                    break;
                }
                d += 1;
                at = p as usize;
            }
            (root[k], depth[k]) = (at as u32, d);
            if let Some(p) = parent[k].filter(|_| !self.article[k]) {
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
}

impl Threads {
    /// Fills depth and thread root of the unit at position `k`, unless it is article text or its format
    /// already gave them (article pages do).
    pub fn apply(&self, k: usize, u: &mut Unit) {
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

    /// The number of units.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
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
