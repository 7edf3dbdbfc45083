//! Full-text search over the bank: a tantivy index in RAM, built at start-up, queried with words
//! we tokenize ourselves, so nothing a person types is ever a query-language error.
//!
//! Knows the bank but nothing of HTTP; the web layer turns a request into a [`Request`] and
//! renders the [`Results`].

mod cache;
mod compile;
mod index;
mod query;
mod schema;
mod snippets;
mod stems;
mod subject;
#[cfg(test)]
mod test_bank;
mod typos;

pub use index::{Cutoffs, Facets, Hit, PAGE_SIZE, Request, Results, SearchError, SearchIndex};
pub use query::{MAX_QUERY_CHARS, MAX_TERMS, QueryError, UserQuery, parse};
pub use typos::MAX_CORRECTED_WORDS;
