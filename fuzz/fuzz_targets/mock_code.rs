//! Interview codes come from URLs anyone can type: decoding never panics, and a code that decodes
//! is the one spelling of its plan, so `encode` gives back exactly the same string.
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use drillbook::mock::{decode, encode};
use libfuzzer_sys::fuzz_target;

fn check(code: &str) {
    if let Ok(plan) = decode(code) {
        let again = encode(&plan);
        assert_eq!(again, code, "{plan:?} has two spellings");
        assert_eq!(decode(&again).as_ref(), Ok(&plan));
    }
}

/// The check `code.rs` appends (low 16 bits of 32-bit FNV-1a), so fuzzed payloads get past it
/// and reach the field checks behind it.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |hash, &b| {
        (hash ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

fuzz_target!(|data: &[u8]| {
    check(&String::from_utf8_lossy(data));

    let mut payload = data.to_vec();
    let sum = fnv1a(&payload) as u16;
    payload.extend(sum.to_le_bytes());
    check(&URL_SAFE_NO_PAD.encode(payload));
});
