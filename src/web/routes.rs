//! Every route of the site, and the application around them: what the server runs and the tests
//! exercise. A route's handler is one look away from its URL; pages with one URL each are
//! answered from the site by `fixed::page`, and `crate::web::site::catalog` names the view
//! that makes each.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::web::{self, ServiceConfig};
use actix_web::{App, Resource, guard};
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder, TracingLogger};

use super::compression::tag_and_compress;
use super::error_pages::error_pages;
use super::fast_path::ServeSite;
use super::handlers::{
    assets, cards, categories, export, fixed, health, mock, pair, plan, questions, random, search,
    tags, trailing_slash,
};
use super::headers::security_headers;
use super::live::LiveState;

/// Largest request body read; the site takes no uploads, only small forms.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Every route of the site. A page of the site is made by the view named beside its route
/// (`views::…`); its handler finds it in the site.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(page("/", fixed::page)) // views::home
        .service(page("/categories/{slug}", categories::show))
        .service(page("/tags/{tag}", tags::show))
        .service(page("/questions/{id}", questions::redirect_to_canonical))
        .service(page("/questions/{id}/{slug}", questions::show))
        .service(page("/random", random::redirect))
        .service(page("/search", search::show))
        .service(page("/opensearch.xml", fixed::page)) // views::opensearch
        .service(page("/manifest.webmanifest", fixed::page)) // views::manifest
        .service(page("/icons/{name}", fixed::page)) // views::icon
        .service(page("/sw.js", fixed::page)) // views::offline::worker
        .service(page("/offline.json", fixed::page)) // views::offline::index
        .service(page("/offline", fixed::page)) // views::offline::page
        .service(page("/saved", fixed::page)) // views::saved
        .service(page("/review", fixed::page)) // views::review
        .service(page("/plan", plan::setup)) // views::plan::render_setup
        .service(page("/plan/{code}", plan::show)) // views::plan
        .service(page("/stats", fixed::page)) // views::stats
        .service(page("/about", fixed::page)) // views::about
        .service(page("/sitemap.xml", fixed::page)) // views::crawlers::sitemap
        .service(page("/robots.txt", fixed::page)) // views::crawlers::robots
        .service(page("/feed.xml", fixed::page)) // views::feed
        .service(page("/export/drillbook.apkg", export::apkg))
        .service(page("/export/drillbook.csv", export::csv))
        .service(page("/mock", fixed::page).route(web::post().to(mock::start))) // views::mock_setup
        .service(page("/mock/{code}/results", mock::results))
        .service(page("/mock/{code}/retry", mock::retry))
        .service(page("/mock/{code}/invite", pair::invite))
        .service(page("/mock/{code}/interviewer", pair::brief))
        .service(page("/mock/{code}/interviewer/scorecard", pair::finish))
        .service(page("/mock/{code}/interviewer/{n}", pair::question))
        .service(page("/mock/{code}/scorecard", pair::scorecard))
        .service(page("/mock/{code}/card.{fingerprint}.png", cards::mock)) // views::card
        .service(page("/mock/{code}/{n}", mock::question))
        .service(page("/static/{name}", assets::serve))
        .service(page("/cards/{name:.+}", cards::show)) // views::card
        .service(page("/healthz", health::healthz))
        .service(page("/readyz", health::readyz))
        .default_service(web::to(trailing_slash::redirect_or_not_found));
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
    // `Accept-Encoding` that rules out every coding). The site's pages are answered outermost,
    // before anything else runs.
    let state = state.into();
    let site = ServeSite::new(state.clone());
    let shared_headers = security_headers()
        .into_iter()
        .fold(DefaultHeaders::new(), |headers, header| headers.add(header));
    App::new()
        .app_data(state)
        .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
        .wrap(error_pages())
        .wrap(from_fn(tag_and_compress))
        .wrap(error_pages())
        .wrap(shared_headers)
        .wrap(TracingLogger::<DebugRequestSpans>::new())
        .wrap(site)
        .configure(configure)
}

/// Request spans at debug level. At the default `info` they are never built, which was a large
/// share of the cost of a response from memory (docs/PERFORMANCE.md); `RUST_LOG=debug` brings
/// them back. Failed
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
