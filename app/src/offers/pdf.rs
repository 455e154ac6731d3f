//! The offer as the customer receives it: an A4 PDF (`crate::pdf`) in the offer's language, with
//! the company's letterhead, the customer, the lines (their table's header repeated on each
//! page), the VAT summary, the terms, the validity and a box *per accettazione*; every page
//! numbered "Pagina 2 di 3".

use super::{LineKind, Offer, OfferLine};
use crate::error::AppResult;
use crate::i18n::{Lang, Msg};
pub use crate::pdf::Letterhead;
use crate::pdf::{Align, BODY, Doc, LEFT, Op, RIGHT, SMALL, TOP, wrap};

/// The table's columns: description, quantity, unit, unit price, discount, VAT, amount. Each is
/// (its right edge, alignment); the description starts at the left margin.
const COLUMNS: [(f32, Align); 7] = [
    (LEFT + 215.0, Align::Left),
    (LEFT + 262.0, Align::Right),
    (LEFT + 300.0, Align::Left),
    (LEFT + 362.0, Align::Right),
    (LEFT + 405.0, Align::Right),
    (LEFT + 440.0, Align::Right),
    (RIGHT, Align::Right),
];
const UNIT_X: f32 = LEFT + 268.0;

/// The offer's table, drawn on a document.
trait OfferTable {
    fn room_for(&mut self, height: f32, in_table: bool);
    fn table_header(&mut self);
    fn line(&mut self, line: &OfferLine);
}

impl OfferTable for Doc {
    /// Room for `height` more points on this page, or a new page (with the table's header when
    /// `in_table`).
    fn room_for(&mut self, height: f32, in_table: bool) {
        if self.room(height) && in_table {
            self.table_header();
        }
    }

    fn table_header(&mut self) {
        let lang = self.lang;
        let heads = [Msg::FieldDescription, Msg::PdfQuantity, Msg::PdfUnit, Msg::PdfPrice, Msg::PdfDiscount, Msg::PdfVat, Msg::OfferAmount];
        self.y += 14.0;
        for (i, head) in heads.iter().enumerate() {
            let (x, align) = match i {
                0 => (LEFT, Align::Left),
                2 => (UNIT_X, Align::Left),
                _ => COLUMNS[i],
            };
            self.text(x, self.y, SMALL, true, align, head.text(lang));
        }
        self.y += 4.0;
        self.rule(self.y, 0.8);
    }

    fn line(&mut self, line: &OfferLine) {
        let lang = self.lang;
        match line.kind {
            LineKind::Section => {
                self.room_for(26.0, true);
                self.y += 16.0;
                self.text(LEFT, self.y, BODY + 0.5, true, Align::Left, line.description.clone());
                self.y += 3.0;
            }
            LineKind::Note => {
                for text in wrap(&line.description, SMALL + 0.5, false, COLUMNS[0].0 - LEFT + 220.0) {
                    self.room_for(12.0, true);
                    self.y += 11.0;
                    self.grey(LEFT + 6.0, self.y, SMALL + 0.5, text);
                }
            }
            LineKind::Product | LineKind::Text => {
                let label = if line.code.is_empty() { line.description.clone() } else { format!("{} {}", line.code, line.description) };
                let wrapped = wrap(&label, BODY, false, COLUMNS[0].0 - LEFT - 6.0);
                let height = wrapped.len() as f32 * 12.0 + 4.0;
                self.room_for(height, true);
                let first = self.y + 13.0;
                for (i, text) in wrapped.into_iter().enumerate() {
                    self.text(LEFT, first + i as f32 * 12.0, BODY, false, Align::Left, text);
                }
                let discount = line.discount.text(lang);
                let cells = [
                    line.quantity.number(lang),
                    line.unit.clone(),
                    self.money(line.unit_price),
                    if discount.is_empty() { String::new() } else { format!("{discount}%") },
                    line.vat_rate.text(lang),
                    self.money(line.net),
                ];
                for (i, cell) in cells.into_iter().enumerate() {
                    let (x, align) = if i == 1 { (UNIT_X, Align::Left) } else { COLUMNS[i + 1] };
                    self.text(x, first, BODY, false, align, cell);
                }
                self.y += height;
                self.rule(self.y, 0.2);
            }
        }
    }
}

fn labelled(label: Msg, value: &str, lang: Lang) -> Option<String> {
    (!value.trim().is_empty()).then(|| format!("{}: {}", label.text(lang), value.trim()))
}

/// The offer's PDF. `letterhead`: the company, printed at the top of page 1.
pub fn draw(offer: &Offer, letterhead: &Letterhead) -> AppResult<Vec<u8>> {
    let lang = offer.language;
    let mut l = Doc::new(lang, &offer.currency);

    // The letterhead, left; the customer, right.
    let y = l.letterhead(letterhead)?;
    let cx = LEFT + 300.0;
    let mut cy = TOP + 60.0;
    l.grey(cx, cy, SMALL + 0.5, Msg::PdfCustomer.text(lang));
    cy += 13.0;
    l.text(cx, cy, BODY + 1.5, true, Align::Left, offer.customer.name.clone());
    let c = &offer.customer;
    // Written as the letterhead writes its own: "P.IVA 01234560157".
    let id = |label: Msg, value: &str| (!value.is_empty()).then(|| format!("{} {value}", label.text(lang)));
    let ids = [id(Msg::PdfVatNumber, &c.vat_number), id(Msg::PdfTaxCode, &c.tax_code)];
    for line in c.address.iter().cloned().chain(ids.into_iter().flatten()) {
        cy += 12.0;
        l.text(cx, cy, BODY, false, Align::Left, line);
    }
    l.y = y.max(cy) + 28.0;

    // The title.
    let number = offer.number.map(|n| n.label()).unwrap_or_else(|| Msg::OfferDraft.text(lang).to_string());
    l.text(LEFT, l.y, 14.0, true, Align::Left, format!("{} {number}", Msg::PdfOfferNo.text(lang)));
    l.y += 14.0;
    l.text(
        LEFT,
        l.y,
        BODY,
        false,
        Align::Left,
        format!(
            "{} {} · {} {}",
            Msg::PdfDated.text(lang),
            lang.date(offer.offer_date),
            Msg::FieldValidUntil.text(lang),
            lang.date(offer.valid_until)
        ),
    );
    l.y += 6.0;
    if !offer.intro.is_empty() {
        l.y += 6.0;
        l.paragraph(&offer.intro, BODY, false);
    }

    // The lines.
    l.y += 6.0;
    l.table_header();
    for line in &offer.lines {
        l.line(line);
    }

    // The VAT summary, then the totals, right.
    let rows = offer.totals.vat_rows.len() as f32;
    l.room_for(40.0 + rows * 12.0 + 50.0, false);
    l.y += 20.0;
    let (rate_x, taxable_x, vat_x) = (RIGHT - 200.0, RIGHT - 90.0, RIGHT);
    l.text(rate_x, l.y, SMALL, true, Align::Left, Msg::PdfVatSummary.text(lang));
    l.text(taxable_x, l.y, SMALL, true, Align::Right, Msg::OfferTaxable.text(lang));
    l.text(vat_x, l.y, SMALL, true, Align::Right, Msg::OfferVat.text(lang));
    for row in &offer.totals.vat_rows {
        l.y += 12.0;
        l.text(rate_x, l.y, BODY, false, Align::Left, row.rate.text(lang));
        l.text(taxable_x, l.y, BODY, false, Align::Right, l.money(row.taxable));
        l.text(vat_x, l.y, BODY, false, Align::Right, l.money(row.vat));
    }
    l.y += 8.0;
    let y = l.y;
    l.ops().push(Op::Line { x1: rate_x, y1: y, x2: RIGHT, y2: y, width: 0.5 });
    for (label, amount, bold) in
        [(Msg::OfferTaxable, offer.totals.taxable, false), (Msg::OfferVat, offer.totals.vat, false), (Msg::OfferTotal, offer.totals.total, true)]
    {
        l.y += 13.0;
        let size = if bold { BODY + 2.0 } else { BODY };
        l.text(rate_x, l.y, size, bold, Align::Left, label.text(lang));
        l.text(vat_x, l.y, size, bold, Align::Right, l.money(amount));
    }

    // The terms and the closing text.
    l.y += 12.0;
    let terms = [
        labelled(Msg::FieldPaymentTerms, &offer.payment_terms, lang),
        labelled(Msg::FieldDeliveryTerms, &offer.delivery_terms, lang),
        Some(format!("{}: {}", Msg::FieldValidUntil.text(lang), lang.date(offer.valid_until))),
    ];
    for term in terms.into_iter().flatten() {
        l.paragraph(&term, BODY, false);
    }
    if !offer.closing.is_empty() {
        l.y += 8.0;
        l.paragraph(&offer.closing, BODY, false);
    }

    // The box the customer signs.
    l.room_for(90.0, false);
    l.y += 24.0;
    let (bx, bw, bh) = (RIGHT - 250.0, 250.0, 64.0);
    let y = l.y;
    l.ops().push(Op::Rect { x: bx, y, w: bw, h: bh });
    l.text(bx + 8.0, l.y + 14.0, BODY, true, Align::Left, Msg::PdfAcceptance.text(lang));
    l.grey(bx + 8.0, l.y + bh - 10.0, SMALL, format!("{} ____________    {}", Msg::PdfDate.text(lang), Msg::PdfSignature.text(lang)));
    l.y += bh;

    l.render(&format!("{} {number}", Msg::PdfOfferNo.text(lang)))
}
