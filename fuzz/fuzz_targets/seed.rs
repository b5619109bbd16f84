#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| amorphic_su_fuzz::seed::run(data));
