//! The headers every response carries: a strict content security policy and the usual hardening.

use actix_web::http::header::{HeaderName, HeaderValue};

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

/// The Permissions-Policy header of a page that records answers.
pub fn recording_permissions() -> (HeaderName, HeaderValue) {
    (
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static(RECORDING_PERMISSIONS_POLICY),
    )
}
