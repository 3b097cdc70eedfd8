//! Native Excel charts: every text element in a Chinese font.

use rust_xlsxwriter::{Chart, ChartFont, ChartType};

/// The font chart text is set in (Excel/WPS on Chinese Windows have it).
const CHART_FONT: &str = "微软雅黑";
/// Excel's GB2312 character set, so the font name is resolved as Chinese.
const CHARSET_GB2312: u8 = 134;

fn chart_font(size: f64, bold: bool) -> ChartFont {
    let mut font = ChartFont::new();
    font.set_name(CHART_FONT)
        .set_character_set(CHARSET_GB2312)
        .set_size(size);
    if bold {
        font.set_bold();
    } else {
        font.unset_bold();
    }
    font
}

/// A chart with a title and every text element in the Chinese font.
pub(crate) fn new_chart(kind: ChartType, title: &str) -> Chart {
    let mut chart = Chart::new(kind);
    let body = chart_font(9.0, false);
    chart
        .title()
        .set_name(title)
        .set_font(&chart_font(12.0, true));
    chart.x_axis().set_font(&body).set_name_font(&body);
    chart.y_axis().set_font(&body).set_name_font(&body);
    chart.legend().set_font(&body);
    chart
}

/// The font for data labels.
pub(crate) fn label_font() -> ChartFont {
    chart_font(8.0, false)
}

/// Rows a chart of `height` pixels covers (default rows are 20 px).
pub(crate) fn rows_for(height: u32) -> u32 {
    height.div_ceil(20) + 2
}
