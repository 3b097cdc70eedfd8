//! An .ods's content.xml, packed stored with a spreadsheet mimetype.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let file = shuanggao_fuzz::package(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", data),
    ]);
    shuanggao_fuzz::read_return(&file);
});
