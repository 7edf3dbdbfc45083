//! The crate's dependency direction, checked from its source: no import circle between the
//! modules of `src/web`; the domain (`bank`, `card`, `search`, `mock`, `plan`, `deck`) knows nothing of the web
//! layer or of HTTP; views know nothing of HTTP, the state or the handlers. Every `use` and every path that names a module of the crate
//! (`crate::…`, `super::…`, `self::…`) is an edge from the file it is in to the module it names;
//! unit tests (`#[cfg(test)]` modules) are left out.
//!
//! Run alone with `cargo test --test architecture`; a failure names the circle or the import.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// A module of the crate, as the segments after `crate` (`["web", "site", "page"]`).
type Module = Vec<String>;

/// The modules of the domain, and the only other modules of the crate each may use.
const DOMAIN: [(&str, &[&str]); 6] = [
    ("bank", &[]),
    ("card", &[]),
    ("search", &["bank"]),
    ("mock", &["bank"]),
    ("plan", &["bank", "mock"]),
    ("deck", &["bank"]),
];

/// Crates of the web layer that the domain must not use.
const HTTP_CRATES: [&str; 6] = [
    "actix_web",
    "actix_http",
    "actix_server",
    "actix_service",
    "askama",
    "tracing_actix_web",
];

#[test]
fn no_import_circle_inside_web() {
    let graph = graph();
    let web: BTreeMap<&Module, BTreeSet<&Module>> = graph
        .edges
        .iter()
        .filter(|(from, _)| from.first().is_some_and(|m| m == "web"))
        .map(|(from, to)| {
            let inside = to.iter().filter(|m| m.first().is_some_and(|s| s == "web"));
            (from, inside.collect())
        })
        .collect();
    assert!(web.len() > 30, "the web layer has {} modules", web.len());
    if let Some(circle) = find_circle(&web) {
        let names: Vec<String> = circle.iter().map(|m| m.join("::")).collect();
        panic!("an import circle: {}", names.join(" → "));
    }
}

#[test]
fn the_domain_knows_nothing_of_the_web() {
    let graph = graph();
    let mut problems = Vec::new();
    for (domain, allowed) in DOMAIN {
        for (from, to) in &graph.edges {
            if from.first().map(String::as_str) != Some(domain) {
                continue;
            }
            for target in to {
                let top = target.first().map(String::as_str).unwrap_or("");
                if top != domain && !allowed.contains(&top) {
                    problems.push(format!("{} uses {}", from.join("::"), target.join("::")));
                }
            }
            for krate in graph.crates.get(from).into_iter().flatten() {
                if HTTP_CRATES.contains(&krate.as_str()) {
                    problems.push(format!("{} uses {krate}", from.join("::")));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        graph.edges.keys().any(|m| m == &["search".to_string()]),
        "the domain's modules were read"
    );
}

#[test]
fn views_know_nothing_of_http_or_of_serving() {
    let graph = graph();
    // What views may use inside the web layer: each other, the URLs, the caching policies and
    // the embedded files.
    let allowed = ["views", "urls", "cache", "assets"];
    let mut problems = Vec::new();
    let mut views = 0;
    for (from, to) in &graph.edges {
        if !from.starts_with(&["web".to_string(), "views".to_string()]) {
            continue;
        }
        views += 1;
        for target in to {
            let inside_web = target.first().is_some_and(|m| m == "web");
            let part = target.get(1).map(String::as_str).unwrap_or("");
            if inside_web && !allowed.contains(&part) {
                problems.push(format!("{} uses {}", from.join("::"), target.join("::")));
            }
        }
        for krate in graph.crates.get(from).into_iter().flatten() {
            if HTTP_CRATES
                .iter()
                .any(|http| http != &"askama" && http == krate)
            {
                problems.push(format!("{} uses {krate}", from.join("::")));
            }
        }
    }
    assert!(views > 10, "{views} views were read");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_circle_is_found_and_named() {
    let module = |name: &str| vec!["web".to_string(), name.to_string()];
    let (a, b, c) = (module("a"), module("b"), module("c"));
    let mut edges: BTreeMap<&Module, BTreeSet<&Module>> = BTreeMap::new();
    edges.entry(&a).or_default().insert(&b);
    edges.entry(&b).or_default().insert(&c);
    assert_eq!(find_circle(&edges), None);
    edges.entry(&c).or_default().insert(&a);
    let circle = find_circle(&edges).expect("a → b → c → a");
    assert_eq!(circle.first(), circle.last());
    assert_eq!(circle.len(), 4);
}

/// What the crate's files use.
struct Graph {
    /// The modules of the crate each module names.
    edges: BTreeMap<Module, BTreeSet<Module>>,
    /// The other crates each module names.
    crates: BTreeMap<Module, BTreeSet<String>>,
}

fn graph() -> Graph {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = module_files(&root);
    let modules: BTreeSet<Module> = files.keys().cloned().collect();
    let mut graph = Graph {
        edges: BTreeMap::new(),
        crates: BTreeMap::new(),
    };
    for (module, file) in &files {
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
        let syntax = syn::parse_file(&text).unwrap_or_else(|e| panic!("{file:?}: {e}"));
        let mut paths = Paths::default();
        paths.visit_file(&syntax);
        let edges = graph.edges.entry(module.clone()).or_default();
        for path in &paths.found {
            let Some(absolute) = resolve(module, path) else {
                graph
                    .crates
                    .entry(module.clone())
                    .or_default()
                    .insert(path[0].clone());
                continue;
            };
            let target = (1..=absolute.len())
                .rev()
                .map(|n| absolute[..n].to_vec())
                .find(|prefix| modules.contains(prefix));
            if let Some(target) = target.filter(|t| t != module && !t.is_empty()) {
                edges.insert(target);
            }
        }
    }
    graph
}

/// Every module file under `root` (`src`), by module; the binary's `main.rs` is not a module.
fn module_files(root: &Path) -> BTreeMap<Module, PathBuf> {
    let mut files = BTreeMap::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{folder:?}: {e}"));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let mut module: Module = relative
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            match module.last().map(String::as_str) {
                Some("main") if module.len() == 1 => continue,
                Some("lib") if module.len() == 1 => module.clear(),
                Some("mod") => {
                    module.pop();
                }
                _ => {}
            }
            files.insert(module, path);
        }
    }
    files
}

/// The module path `path` names from inside `module`, or `None` when it names another crate.
fn resolve(module: &Module, path: &[String]) -> Option<Module> {
    let mut absolute = module.clone();
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") => {
            absolute.clear();
            rest = &path[1..];
        }
        Some("self") => rest = &path[1..],
        Some("super") => {
            while rest.first().is_some_and(|s| s == "super") {
                absolute.pop();
                rest = &rest[1..];
            }
        }
        _ => return None,
    }
    absolute.extend(rest.iter().cloned());
    Some(absolute)
}

/// Every path a file names outside its unit tests: `use` trees expanded, and paths in code.
#[derive(Default)]
struct Paths {
    found: Vec<Vec<String>>,
}

impl Paths {
    fn add_use_tree(&mut self, prefix: &[String], tree: &syn::UseTree) {
        let extended = |name: String| {
            let mut path = prefix.to_vec();
            path.push(name);
            path
        };
        match tree {
            syn::UseTree::Path(p) => self.add_use_tree(&extended(p.ident.to_string()), &p.tree),
            syn::UseTree::Name(n) => self.add(extended(n.ident.to_string())),
            syn::UseTree::Rename(r) => self.add(extended(r.ident.to_string())),
            syn::UseTree::Glob(_) => self.add(prefix.to_vec()),
            syn::UseTree::Group(g) => {
                for tree in &g.items {
                    self.add_use_tree(prefix, tree);
                }
            }
        }
    }

    fn add(&mut self, path: Vec<String>) {
        // `use self::…` inside a group (`use super::x::{self, Y}`) names the prefix itself.
        let path: Vec<String> = path
            .iter()
            .enumerate()
            .filter(|(i, s)| *i == 0 || s.as_str() != "self")
            .map(|(_, s)| s.clone())
            .collect();
        if !path.is_empty() {
            self.found.push(path);
        }
    }
}

fn is_unit_tests(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "test")
    })
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if !is_unit_tests(&item.attrs) {
            syn::visit::visit_item_mod(self, item);
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.add_use_tree(&[], &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if segments.len() > 1 {
            self.add(segments);
        }
        syn::visit::visit_path(self, path);
    }
}

/// A circle among `edges`, as the modules along it with the first repeated at the end.
fn find_circle<'a>(edges: &BTreeMap<&'a Module, BTreeSet<&'a Module>>) -> Option<Vec<&'a Module>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit<'a>(
        node: &'a Module,
        edges: &BTreeMap<&'a Module, BTreeSet<&'a Module>>,
        marks: &mut BTreeMap<&'a Module, Mark>,
        stack: &mut Vec<&'a Module>,
    ) -> Option<Vec<&'a Module>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = stack.iter().position(|m| *m == node).unwrap_or(0);
                let mut circle = stack[start..].to_vec();
                circle.push(node);
                return Some(circle);
            }
            None => {}
        }
        marks.insert(node, Mark::Open);
        stack.push(node);
        for next in edges.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, edges, marks, stack) {
                return Some(circle);
            }
        }
        stack.pop();
        marks.insert(node, Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    edges
        .keys()
        .find_map(|node| visit(node, edges, &mut marks, &mut Vec::new()))
}
