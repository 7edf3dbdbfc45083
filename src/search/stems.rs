//! English stems of the bank's own words, computed once when the index is built.
//!
//! Every snippet tokenizes and stems the text of the questions it is cut from, and Snowball
//! stemming was most of the time a search took. The text is the indexed text, so its words are
//! the index's vocabulary: [`KnownStems`] looks each one up in a map made at build time, and
//! stems only words it has never seen. The stems are the same, so matching and snippets are too.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

/// Longest token indexed, in bytes, as tantivy's `en_stem` has it.
const MAX_TOKEN_BYTES: usize = 40;

/// A token filter that stems English words through a map of known stems.
#[derive(Clone)]
pub struct KnownStems {
    stems: Arc<FxHashMap<Box<str>, Box<str>>>,
}

impl KnownStems {
    /// Stems each of `words` (lowercase) once.
    pub fn of<'a>(words: impl IntoIterator<Item = &'a str>) -> KnownStems {
        let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
        let stems = words
            .into_iter()
            .map(|word| (Box::from(word), Box::from(stemmer.stem(word).as_ref())))
            .collect();
        KnownStems {
            stems: Arc::new(stems),
        }
    }

    /// The analyzer tantivy calls `en_stem` (words of letters and digits, long ones dropped,
    /// lowercased, stemmed), stemming through this map.
    pub fn analyzer(&self) -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(self.clone())
            .build()
    }
}

impl TokenFilter for KnownStems {
    type Tokenizer<T: Tokenizer> = KnownStemsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> KnownStemsFilter<T> {
        KnownStemsFilter {
            stems: self.stems,
            learned: FxHashMap::default(),
            inner: tokenizer,
        }
    }
}

/// [`KnownStems`] applied to a tokenizer.
#[derive(Clone)]
pub struct KnownStemsFilter<T> {
    stems: Arc<FxHashMap<Box<str>, Box<str>>>,
    /// Stems of words outside `stems` met so far by this analyzer: an index's writer keeps one
    /// analyzer per field for every document, and a bank repeats its words, so each is stemmed
    /// once rather than at every use (the stemmer was most of the time of indexing a large
    /// bank). Bounded by [`MAX_LEARNED`].
    learned: FxHashMap<Box<str>, Box<str>>,
    inner: T,
}

/// Most stems an analyzer learns; words beyond them are stemmed at each use.
const MAX_LEARNED: usize = 100_000;

impl<T: Tokenizer> Tokenizer for KnownStemsFilter<T> {
    type TokenStream<'a> = KnownStemsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        KnownStemsStream {
            tail: self.inner.token_stream(text),
            stems: &self.stems,
            learned: &mut self.learned,
            stemmer: None,
        }
    }
}

/// The tokens of one text, stemmed.
pub struct KnownStemsStream<'a, T> {
    tail: T,
    stems: &'a FxHashMap<Box<str>, Box<str>>,
    learned: &'a mut FxHashMap<Box<str>, Box<str>>,
    /// Made on the first unknown word only.
    stemmer: Option<frostem::Stemmer>,
}

impl<T: TokenStream> TokenStream for KnownStemsStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let known = self
            .stems
            .get(token.text.as_str())
            .or_else(|| self.learned.get(token.text.as_str()));
        if let Some(stem) = known {
            if **stem != *token.text {
                token.text.clear();
                token.text.push_str(stem);
            }
        } else {
            let stemmer = self
                .stemmer
                .get_or_insert_with(|| frostem::Stemmer::new(frostem::Algorithm::English));
            let stem = stemmer.stem(&token.text).into_owned();
            if self.learned.len() < MAX_LEARNED {
                self.learned
                    .insert(Box::from(token.text.as_str()), Box::from(stem.as_str()));
            }
            token.text = stem;
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenizerManager;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn known_and_unknown_words_stem_as_tantivy_does() {
        let text = "Generators yield lazily; decorators WRAP functions, queries running \
                    happily. Ünïcode façade naïve 3.11 x";
        let known = KnownStems::of(["generators", "yield", "queries", "happily", "functions"]);
        let mut ours = known.analyzer();
        let mut theirs = TokenizerManager::default()
            .get("en_stem")
            .expect("tantivy's en_stem");
        assert_eq!(tokens(&mut ours, text), tokens(&mut theirs, text));
        let none = KnownStems::of([]);
        assert_eq!(
            tokens(&mut none.analyzer(), text),
            tokens(&mut theirs, text)
        );
    }
}
