//! The website: routes, handlers, templates and the HTTP server around the bank.
//!
//! Every route is registered in [`configure`], which `main` and the tests use alike, so a route's
//! handler is one look away from its URL.

pub mod assets;
pub mod conditional;
mod deadline;
pub mod encoding;
pub mod error;
mod fast_path;
mod handlers;
pub mod live;
pub mod page;
pub mod pages;
pub mod params;
pub mod paths;
mod prerender;
mod server;
pub mod state;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::web::{self, ServiceConfig};
use actix_web::{App, Resource, guard};
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder, TracingLogger};

pub use error::{WebError, WebResult};
pub use live::LiveState;
pub use server::serve;
pub use state::AppState;

use handlers::{
    about, assets as asset_files, categories, crawlers, export, health, home, mock, pair,
    questions, random, review, saved, search, tags,
};

/// Every route of the site.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(page("/", home::show))
        .service(page("/categories/{slug}", categories::show))
        .service(page("/tags/{tag}", tags::show))
        .service(page("/questions/{id}", questions::redirect_to_canonical))
        .service(page("/questions/{id}/{slug}", questions::show))
        .service(page("/random", random::redirect))
        .service(page("/search", search::show))
        .service(page("/opensearch.xml", search::opensearch))
        .service(page("/saved", saved::show))
        .service(page("/review", review::show))
        .service(page("/about", about::show))
        .service(page("/sitemap.xml", crawlers::sitemap))
        .service(page("/robots.txt", crawlers::robots))
        .service(page("/export/drillbook.apkg", export::apkg))
        .service(page("/export/drillbook.csv", export::csv))
        .service(page("/mock", mock::setup).route(web::post().to(mock::start)))
        .service(page("/mock/{code}/results", mock::results))
        .service(page("/mock/{code}/retry", mock::retry))
        .service(page("/mock/{code}/invite", pair::invite))
        .service(page("/mock/{code}/interviewer", pair::brief))
        .service(page("/mock/{code}/interviewer/scorecard", pair::finish))
        .service(page("/mock/{code}/interviewer/{n}", pair::question))
        .service(page("/mock/{code}/scorecard", pair::scorecard))
        .service(page("/mock/{code}/{n}", mock::question))
        .service(page("/static/{name}", asset_files::serve))
        .service(page("/healthz", health::healthz))
        .service(page("/readyz", health::readyz))
        .default_service(web::to(error::not_found));
}

/// A resource that answers GET and HEAD alike (actix sends no body for HEAD) and any other
/// method with 405.
fn page<F, Args>(path: &str, handler: F) -> Resource
where
    F: actix_web::Handler<Args>,
    Args: actix_web::FromRequest + 'static,
    F::Output: actix_web::Responder + 'static,
{
    web::resource(path).route(
        web::route()
            .guard(guard::Any(guard::Get()).or(guard::Head()))
            .to(handler),
    )
}

/// The whole application, middleware included: what the server runs and the tests exercise.
pub fn app(
    state: impl Into<LiveState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    // Listed from the innermost: error pages are rendered before compression, so they are
    // compressed too; the outer error pages catch what compression itself refuses (a 406 for an
    // `Accept-Encoding` that rules out every coding). Prerendered pages are answered outermost,
    // before anything else runs.
    let state = state.into();
    let prerendered = fast_path::ServePrerendered::new(state.clone());
    let shared_headers = security_headers()
        .into_iter()
        .fold(DefaultHeaders::new(), |headers, header| headers.add(header));
    App::new()
        .app_data(state)
        .app_data(web::PayloadConfig::new(server::MAX_BODY_BYTES))
        .wrap(error::error_pages())
        .wrap(from_fn(conditional::encode))
        .wrap(error::error_pages())
        .wrap(shared_headers)
        .wrap(TracingLogger::<DebugRequestSpans>::new())
        .wrap(prerendered)
        .configure(configure)
}

/// Request spans at debug level. At the default `info` they are never built, which took a
/// quarter of the cost of a response from memory; `RUST_LOG=debug` brings them back. Failed
/// requests are logged at `error` whatever the level (see `error`).
struct DebugRequestSpans;

impl RootSpanBuilder for DebugRequestSpans {
    fn on_request_start(request: &ServiceRequest) -> tracing::Span {
        tracing_actix_web::root_span!(level = tracing::Level::DEBUG, request)
    }

    fn on_request_end<B: MessageBody>(
        span: tracing::Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// The Permissions-Policy of every page but those that record answers: no powerful feature.
pub const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=(), \
     usb=(), accelerometer=(), gyroscope=(), magnetometer=()";

/// The Permissions-Policy of a page that records the candidate's spoken answer: the microphone
/// for this origin only (the browser still asks, when Record is pressed), nothing else.
pub const RECORDING_PERMISSIONS_POLICY: &str = "camera=(), microphone=(self), geolocation=(), \
     payment=(), usb=(), accelerometer=(), gyroscope=(), magnetometer=()";

/// Headers every response carries: a strict content security policy (everything from this
/// origin, nothing inline; media also from `blob:` URLs, which is how a recording made in the
/// page is played back) and the usual hardening.
pub fn security_headers() -> Vec<(HeaderName, HeaderValue)> {
    [
        (
            "content-security-policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             media-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; \
             frame-ancestors 'none'",
        ),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
        ("permissions-policy", PERMISSIONS_POLICY),
    ]
    .map(|(name, value)| {
        (
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        )
    })
    .into()
}
