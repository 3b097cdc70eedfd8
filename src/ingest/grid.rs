//! Cell values from calamine's types (xls, xlsb), into the shared grid.

use calamine::{Data, DataRef};

use crate::model::CellValue;

fn error_text(e: &calamine::CellErrorType) -> String {
    e.to_string()
}

impl From<DataRef<'_>> for CellValue {
    fn from(d: DataRef<'_>) -> CellValue {
        match d {
            DataRef::Empty => CellValue::Empty,
            DataRef::Int(i) => CellValue::Number(i as f64),
            DataRef::Float(f) => CellValue::Number(f),
            DataRef::String(s) => CellValue::Text(s.into()),
            DataRef::SharedString(s) => CellValue::Text(s.into()),
            DataRef::Bool(b) => CellValue::Bool(b),
            DataRef::DateTime(dt) => date_time(&dt),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => CellValue::Text(s.into()),
            DataRef::Error(e) => CellValue::Error(error_text(&e)),
        }
    }
}

impl From<&Data> for CellValue {
    fn from(d: &Data) -> CellValue {
        match d {
            Data::Empty => CellValue::Empty,
            Data::Int(i) => CellValue::Number(*i as f64),
            Data::Float(f) => CellValue::Number(*f),
            Data::String(s) => CellValue::Text(s.as_str().into()),
            Data::Bool(b) => CellValue::Bool(*b),
            Data::DateTime(dt) => date_time(dt),
            Data::DateTimeIso(s) | Data::DurationIso(s) => CellValue::Text(s.as_str().into()),
            Data::Error(e) => CellValue::Error(error_text(e)),
        }
    }
}

/// The last day Excel can show (9999-12-31) as a serial number: beyond it
/// calamine's conversion overflows (and panics, found by fuzzing).
const LAST_EXCEL_SERIAL: f64 = 2_958_465.0;

fn date_time(dt: &calamine::ExcelDateTime) -> CellValue {
    let serial = dt.as_f64();
    let showable = serial.is_finite() && serial.abs() <= LAST_EXCEL_SERIAL;
    if dt.is_datetime() && showable {
        if let Some(d) = dt.as_datetime() {
            return CellValue::DateTime(d);
        }
    }
    CellValue::Number(dt.as_f64())
}
