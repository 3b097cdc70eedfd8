//! A whole file's bytes, seeded with the test suite's .xlsb workbooks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| shuanggao_fuzz::read_return(data));
