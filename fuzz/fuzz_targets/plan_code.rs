//! Study-plan codes come from URLs anyone can type: decoding never panics, and a code that
//! decodes is the one spelling of its plan, so `encode` gives back exactly the same string.
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use drillbook::mock::code_check;
use drillbook::plan::{decode, encode};
use libfuzzer_sys::fuzz_target;

fn check(code: &str) {
    if let Ok(plan) = decode(code) {
        let again = encode(&plan);
        assert_eq!(again, code, "{plan:?} has two spellings");
        assert_eq!(decode(&again).as_ref(), Ok(&plan));
    }
}

fuzz_target!(|data: &[u8]| {
    check(&String::from_utf8_lossy(data));

    // With the check appended, fuzzed payloads get past it to the field checks behind it.
    let mut payload = data.to_vec();
    payload.extend(code_check(data).to_le_bytes());
    check(&URL_SAFE_NO_PAD.encode(payload));
});
