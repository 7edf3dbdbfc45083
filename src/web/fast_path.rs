//! Serves the site's pages straight from memory, before routing: a GET or HEAD whose path and
//! query are exactly a page's canonical URL is answered here, with nothing parsed, rendered,
//! hashed or compressed for it once the page is made (see `super::site`). Everything else, other spellings of the same URLs included, goes
//! on to the routes, whose handlers look the same page up in the same site.
//!
//! The response is the one the routes would give: [`super::site::Page::respond`] builds both,
//! and each page carries the security headers itself. Requests answered here are not traced.

use std::future::{Ready, ready};

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::Method;
use futures_util::future::{Either, MapOk, TryFutureExt};

use super::live::LiveState;

/// The middleware; wrap it around everything else.
pub struct ServeSite {
    state: LiveState,
}

impl ServeSite {
    /// Serves the site of the state current at each request.
    pub fn new(state: LiveState) -> ServeSite {
        ServeSite { state }
    }
}

impl<S, B> Transform<S, ServiceRequest> for ServeSite
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B, BoxBody>>;
    type Error = actix_web::Error;
    type Transform = ServeSiteService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(ServeSiteService {
            service,
            state: self.state.clone(),
        }))
    }
}

/// The middleware's service.
pub struct ServeSiteService<S> {
    service: S,
    state: LiveState,
}

type Routed<B> = ServiceResponse<EitherBody<B, BoxBody>>;

impl<S, B> Service<ServiceRequest> for ServeSiteService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    type Response = Routed<B>;
    type Error = actix_web::Error;
    #[allow(clippy::type_complexity)]
    type Future = Either<
        Ready<Result<Routed<B>, actix_web::Error>>,
        MapOk<S::Future, fn(ServiceResponse<B>) -> Routed<B>>,
    >;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        if matches!(*req.method(), Method::GET | Method::HEAD) {
            let url = req.uri().path_and_query().map_or("", |pq| pq.as_str());
            // A page that fails to render is left to the routes, which answer with the error
            // page; so is a costly page not made yet, which its handler makes on the pool.
            if let Some(Ok(Some(res))) = self.state.peek().site.respond_cheaply(url, req.headers())
            {
                let (req, _payload) = req.into_parts();
                return Either::Left(ready(Ok(
                    ServiceResponse::new(req, res).map_into_right_body()
                )));
            }
        }
        let routed: fn(ServiceResponse<B>) -> Routed<B> = ServiceResponse::map_into_left_body;
        Either::Right(self.service.call(req).map_ok(routed))
    }
}
