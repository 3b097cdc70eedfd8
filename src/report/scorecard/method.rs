//! The scorecard's method in words, printed with every table, chart and
//! brief section that shows it, so the reader never has to guess how a
//! score was made.

use super::{ScoreComponent, Scorecard};
use crate::config::{Direction, NoDataRule, Normalise};
use crate::format::format_number;

impl Scorecard {
    /// One sentence for the brief: components, weights, normalisation.
    pub fn method_line_zh(&self) -> String {
        let sample = if self.sample_weights {
            "（示例权重）"
        } else {
            ""
        };
        format!(
            "综合得分由{}项指标加权{sample}，各项按{}，满分100分。",
            self.components.len(),
            self.methods_zh().join("或")
        )
    }

    /// The method, a sentence a note: formula, normalisation, carried and
    /// no-data zones, ties, the change of rank, anything special this quarter.
    pub fn method_zh(&self) -> Vec<String> {
        let mut notes = vec![self.formula_zh()];
        notes.extend(self.normalisation_zh());
        notes.push(self.treatment_zh());
        notes.push(self.ranks_zh());
        let flat: Vec<String> = self
            .components
            .iter()
            .filter(|c| !c.separates)
            .map(ScoreComponent::label_zh)
            .collect();
        if !flat.is_empty() {
            notes.push(format!(
                "本季度各参评高新区的{}无差别，该项不计分。",
                flat.join("、")
            ));
        }
        if !self.excluded.is_empty() {
            notes.push(format!("未参加综合评价：{}。", self.excluded.join("、")));
        }
        notes.iter().map(|n| format!("注：{n}")).collect()
    }

    fn formula_zh(&self) -> String {
        let weights: Vec<String> = self
            .components
            .iter()
            .map(|c| format!("{} {}", c.label_zh(), format_number(c.weight)))
            .collect();
        let sample = if self.sample_weights {
            "权重为示例权重（非官方权重），"
        } else {
            ""
        };
        format!(
            "综合得分 = 100 × Σ（权重 × 标准化值）÷ Σ权重，满分100分；{sample}各项权重：{}（合计 {}）。",
            weights.join("、"),
            format_number(self.components.iter().map(|c| c.weight).sum())
        )
    }

    /// The normalisation methods in use, short.
    fn methods_zh(&self) -> Vec<String> {
        let mut out = Vec::new();
        for c in &self.components {
            let text = match c.normalise {
                Normalise::RatioToMean => format!(
                    "与参评高新区均值之比标准化（封顶{}倍）",
                    format_number(self.cap)
                ),
                Normalise::MinMax => "极差标准化".to_string(),
            };
            if !out.contains(&text) {
                out.push(text);
            }
        }
        out
    }

    /// Each normalisation in use, with its formula.
    fn normalisation_zh(&self) -> Vec<String> {
        let cap = format_number(self.cap);
        let mut out = Vec::new();
        let used = |m: Normalise| self.components.iter().any(|c| c.normalise == m);
        if used(Normalise::RatioToMean) {
            out.push(format!(
                "与均值之比：标准化值 = min（指标值 ÷ 参评高新区均值，{cap}）÷ {cap}，\
                 高于均值{cap}倍按{cap}倍计；均值为参与评分的高新区的算术平均。"
            ));
        }
        if used(Normalise::MinMax) {
            out.push(
                "极差标准化：标准化值 = （指标值 − 最小值）÷（最大值 − 最小值），\
                 最小值、最大值取自参与评分的高新区。"
                    .to_string(),
            );
        }
        if self
            .components
            .iter()
            .any(|c| c.direction == Direction::Lower)
        {
            out.push("逆向指标（越小越好）取上述标准化值的反向：1 − 正向标准化值。".to_string());
        }
        out
    }

    fn treatment_zh(&self) -> String {
        let carried = if self.rank_carried {
            "沿用上期数据的高新区按沿用的数据参与评分和排名，其本季新增计0"
        } else {
            "沿用上期数据的高新区不参与评分和排名"
        };
        let no_data = match self.no_data {
            NoDataRule::Unranked => "无数据的高新区不参与排名",
            NoDataRule::Last => "无数据的高新区列于末位，名次并列",
        };
        format!("{carried}；{no_data}；本季无新增数据的指标项计0分。")
    }

    fn ranks_zh(&self) -> String {
        let ranked = self.zones.iter().filter(|z| z.rank.is_some()).count();
        let change = match self.previous {
            Some(p) if self.compared < ranked => format!(
                "名次变化只在两季均参与排名的{}个高新区之间比较（可比口径），\
                 与上季度（{p}）按同一方法计算的先后相比，↑为上升、↓为下降",
                self.compared
            ),
            Some(p) => format!("名次变化与上季度（{p}）按同一方法计算的名次相比，↑为上升、↓为下降"),
            None => "本季度为首个季度，无名次变化".to_string(),
        };
        format!(
            "得分相同者名次并列，按登记顺序列出；{change}{}。",
            self.new_zh()
        )
    }

    /// What 新 means, when a zone joined this quarter.
    fn new_zh(&self) -> String {
        let entered = self.zones.iter().filter(|z| z.entry).count();
        if entered == 0 {
            return String::new();
        }
        let ranked = if self.rank_new {
            "参与评分和排名"
        } else {
            "本季不参与评分和排名"
        };
        format!("；本季新加入的{entered}个高新区标“新”，{ranked}，无名次变化")
    }
}
