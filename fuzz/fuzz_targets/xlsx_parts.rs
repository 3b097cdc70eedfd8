//! The XML parts of an .xlsx (workbook, relationships, shared strings,
//! styles, then up to six sheets as sheet1.xml … sheet6.xml, then the
//! package's relationships `_rels/.rels`), separated by NUL bytes and
//! packed stored: the fuzzer's bytes reach the XML readers unchanged by
//! compression. An empty `_rels/.rels` (as in seeds without it) leaves the
//! workbook where Excel puts it.
#![no_main]

const SHEETS: [&str; 6] = [
    "xl/worksheets/sheet1.xml",
    "xl/worksheets/sheet2.xml",
    "xl/worksheets/sheet3.xml",
    "xl/worksheets/sheet4.xml",
    "xl/worksheets/sheet5.xml",
    "xl/worksheets/sheet6.xml",
];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let p = shuanggao_fuzz::split(data, 5 + SHEETS.len());
    let mut parts = vec![
        ("xl/workbook.xml", p[0]),
        ("xl/_rels/workbook.xml.rels", p[1]),
        ("xl/sharedStrings.xml", p[2]),
        ("xl/styles.xml", p[3]),
    ];
    parts.extend(
        SHEETS
            .iter()
            .zip(&p[4..])
            .map(|(name, bytes)| (*name, *bytes)),
    );
    parts.push(("_rels/.rels", p[4 + SHEETS.len()]));
    shuanggao_fuzz::read_return(&shuanggao_fuzz::package(&parts));
});
