//! The state being served, replaceable while the server runs: `serve --watch` builds a new
//! [`AppState`] when the content changes and swaps it in whole, so a request sees either the old
//! bank or the new one, never a mix, and no request waits for the swap.

use std::future::{Ready, ready};
use std::ops::Deref;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use arc_swap::ArcSwap;

use super::error::WebError;
use super::state::AppState;

/// A handle on the state being served; clones share it.
#[derive(Debug, Clone)]
pub struct LiveState(Arc<ArcSwap<AppState>>);

impl LiveState {
    /// Serves `state` until it is replaced.
    pub fn new(state: AppState) -> LiveState {
        LiveState(Arc::new(ArcSwap::from_pointee(state)))
    }

    /// The state now: requests keep the one they started with until they finish.
    pub fn current(&self) -> Arc<AppState> {
        self.0.load_full()
    }

    /// The state now, for a look that ends before the caller returns (cheaper than
    /// [`LiveState::current`]).
    pub fn peek(&self) -> arc_swap::Guard<Arc<AppState>> {
        self.0.load()
    }

    /// Serves `state` from the next request on.
    pub fn replace(&self, state: AppState) {
        self.0.store(Arc::new(state));
    }
}

impl From<AppState> for LiveState {
    fn from(state: AppState) -> LiveState {
        LiveState::new(state)
    }
}

impl From<Data<AppState>> for LiveState {
    fn from(state: Data<AppState>) -> LiveState {
        LiveState(Arc::new(ArcSwap::new(state.into_inner())))
    }
}

/// The extractor handlers take: the state current when the request arrived.
#[derive(Debug, Clone)]
pub struct State(Arc<AppState>);

impl Deref for State {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        &self.0
    }
}

impl FromRequest for State {
    type Error = WebError;
    type Future = Ready<Result<State, WebError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.app_data::<LiveState>()
                .map(|live| State(live.current()))
                .ok_or(WebError::Internal("the application has no state")),
        )
    }
}
