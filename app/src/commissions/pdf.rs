//! A settled commission statement as an A4 PDF (`crate::pdf`): the company's letterhead, the
//! seller, the statement's number, period and settlement, its lines (the table's header repeated
//! on each page) and totals. Drawn from the statement as it was settled, so it is the same
//! document whenever it is downloaded.

use super::Statement;
use crate::error::AppResult;
use crate::i18n::{Lang, Msg};
use crate::pdf::{Align, BODY, Doc, LEFT, Letterhead, RIGHT, SMALL, TOP, wrap};

/// The columns: date, customer, product, base (right edge), rule, commission (right edge).
const CUSTOMER_X: f32 = LEFT + 50.0;
const PRODUCT_X: f32 = LEFT + 170.0;
const BASE_RIGHT: f32 = LEFT + 345.0;
const RULE_X: f32 = LEFT + 352.0;
const RULE_W: f32 = 100.0;

fn header(d: &mut Doc) {
    let lang = d.lang;
    d.y += 14.0;
    let y = d.y;
    d.text(LEFT, y, SMALL, true, Align::Left, Msg::ComDate.text(lang));
    d.text(CUSTOMER_X, y, SMALL, true, Align::Left, Msg::FieldContact.text(lang));
    d.text(PRODUCT_X, y, SMALL, true, Align::Left, Msg::FieldProduct.text(lang));
    d.text(BASE_RIGHT, y, SMALL, true, Align::Right, Msg::ComBase.text(lang));
    d.text(RULE_X, y, SMALL, true, Align::Left, Msg::ComRule.text(lang));
    d.text(RIGHT, y, SMALL, true, Align::Right, Msg::ComCommission.text(lang));
    d.y += 4.0;
    d.rule(d.y, 0.8);
}

/// The statement's PDF, its labels in `lang`.
pub fn draw(statement: &Statement, letterhead: &Letterhead, lang: Lang) -> AppResult<Vec<u8>> {
    let mut d = Doc::new(lang, &statement.currency);
    let below = d.letterhead(letterhead)?;
    // The seller, right.
    let cx = LEFT + 300.0;
    let mut cy = TOP + 60.0;
    d.grey(cx, cy, SMALL + 0.5, Msg::FieldSeller.text(lang));
    cy += 13.0;
    d.text(cx, cy, BODY + 1.5, true, Align::Left, statement.seller_name.clone());
    cy += 12.0;
    d.text(cx, cy, BODY, false, Align::Left, format!("{}: {}", Msg::ComEarnOn.text(lang), statement.earn_on.label().text(lang)));
    d.y = below.max(cy) + 28.0;

    let number = statement.settled.as_ref().map(|s| format!(" n. {}", s.sequence)).unwrap_or_default();
    let title = format!("{}{number}", Msg::ComStatement.text(lang));
    d.text(LEFT, d.y, 14.0, true, Align::Left, title.clone());
    d.y += 14.0;
    let from = statement.settled_before.map(|f| format!("{} {} ", Msg::ComFrom.text(lang), lang.date(f))).unwrap_or_default();
    let mut period = format!("{}: {from}{} {}", Msg::ComPeriod.text(lang), Msg::ComThrough.text(lang), lang.date(statement.period.to));
    if let Some(s) = &statement.settled {
        period.push_str(&format!(" · {} {} {}", Msg::ComSettledBy.text(lang), s.by, lang.date(s.at.date_naive())));
    }
    d.text(LEFT, d.y, BODY, false, Align::Left, period);
    d.y += 6.0;

    header(&mut d);
    if statement.lines.is_empty() {
        d.y += 14.0;
        d.grey(LEFT, d.y, BODY, Msg::ComNothing.text(lang));
    }
    for line in &statement.lines {
        let customer = wrap(&line.customer, SMALL + 0.5, false, PRODUCT_X - CUSTOMER_X - 6.0);
        let product = wrap(&line.product, SMALL + 0.5, false, BASE_RIGHT - PRODUCT_X - 52.0);
        let rule = wrap(&line.rule_text(lang, &statement.currency), SMALL, false, RULE_W);
        let rows = customer.len().max(product.len()).max(rule.len()) as f32;
        let height = rows * 10.0 + 5.0;
        if d.room(height) {
            header(&mut d);
        }
        let first = d.y + 12.0;
        d.text(LEFT, first, SMALL + 0.5, false, Align::Left, lang.date(line.on));
        for (column, x, size) in [(customer, CUSTOMER_X, SMALL + 0.5), (product, PRODUCT_X, SMALL + 0.5), (rule, RULE_X, SMALL)] {
            for (i, text) in column.into_iter().enumerate() {
                d.text(x, first + i as f32 * 10.0, size, false, Align::Left, text);
            }
        }
        if line.adjusts.is_none() {
            let base = d.money(line.base);
            d.text(BASE_RIGHT, first, SMALL + 0.5, false, Align::Right, base);
        }
        let commission = d.money(line.commission);
        d.text(RIGHT, first, SMALL + 0.5, line.adjusts.is_some(), Align::Right, commission);
        d.y += height;
        d.rule(d.y, 0.2);
    }

    // The totals, right.
    d.room(60.0);
    d.y += 8.0;
    let label_x = RIGHT - 220.0;
    for (label, amount, bold) in
        [(Msg::ComEarnedTotal, statement.earned, false), (Msg::ComAdjustments, statement.adjustments, false), (Msg::ComTotal, statement.total, true)]
    {
        d.y += 14.0;
        let size = if bold { BODY + 2.0 } else { BODY };
        let amount = d.money(amount);
        d.text(label_x, d.y, size, bold, Align::Left, label.text(lang));
        d.text(RIGHT, d.y, size, bold, Align::Right, amount);
    }
    // An agent's Enasarco and FIRR.
    if let Some(a) = &statement.agent {
        d.room(110.0);
        d.y += 24.0;
        d.text(LEFT, d.y, BODY + 1.0, true, Align::Left, format!("{} · {}", Msg::ComEnasarco.text(lang), a.kind.label().text(lang)));
        let rows = [
            (Msg::ComContributing, Some(a.contributing)),
            (Msg::ComCompanyShare, Some(a.company)),
            (Msg::ComAgentShare, Some(a.agent)),
            (Msg::ComFirrAccrual, a.firr),
        ];
        for (label, amount) in rows {
            let Some(amount) = amount else { continue };
            d.y += 13.0;
            let amount = d.money(amount);
            d.text(LEFT, d.y, BODY, false, Align::Left, label.text(lang));
            d.text(LEFT + 300.0, d.y, BODY, false, Align::Right, amount);
        }
        d.y += 6.0;
        d.paragraph(&a.note(lang, &statement.currency), SMALL, false);
    }
    d.render(&format!("{title} · {}", statement.seller_name))
}
