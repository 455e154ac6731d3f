//! The offer as the customer receives it: an A4 PDF drawn on the server (krilla), in the offer's
//! language, with the company's letterhead, the customer, the lines (their table's header repeated
//! on each page), the VAT summary, the terms, the validity and a box *per accettazione*; every
//! page numbered "Pagina 2 di 3". The font (DejaVu Sans Condensed, Bitstream Vera licence,
//! `app/fonts/`) is carried by the binary and embedded, subset, so € and every accented letter
//! print and the text can be selected and searched.
//!
//! Laid out in two passes: the content is placed on pages as drawing operations, then drawn once
//! the number of pages is known.

use super::{LineKind, Offer, OfferLine};
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, Msg};
use crate::money::Money;
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use std::sync::LazyLock;

static REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSansCondensed.ttf");
static BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSansCondensed-Bold.ttf");

/// The faces, parsed once, to measure text.
static FACES: LazyLock<(ttf_parser::Face<'static>, ttf_parser::Face<'static>)> =
    LazyLock::new(|| (ttf_parser::Face::parse(REGULAR, 0).expect("bundled font"), ttf_parser::Face::parse(BOLD, 0).expect("bundled font")));

/// The company printed at the top of every offer (its letterhead).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Letterhead {
    /// The company's logo (a PNG made by `config::logo`), printed above its name.
    pub logo: Option<Vec<u8>>,
    pub name: String,
    /// The other lines under the name: address, VAT number, phone, e-mail, IBAN …
    pub lines: Vec<String>,
}

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 42.0;
const RIGHT: f32 = PAGE_W - 42.0;
const TOP: f32 = 42.0;
/// The content stops here; the footer is below.
const BOTTOM: f32 = PAGE_H - 60.0;
const BODY: f32 = 9.0;
const SMALL: f32 = 7.5;

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Right,
}

enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        grey: bool,
        align: Align,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    /// The letterhead's logo.
    Logo {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

/// Width of `text` at `size`, in points.
fn width(text: &str, size: f32, bold: bool) -> f32 {
    let face = if bold { &FACES.1 } else { &FACES.0 };
    let units: u32 = text
        .chars()
        .map(|c| face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g)).map(u32::from).unwrap_or(face.units_per_em() as u32 / 2))
        .sum();
    units as f32 * size / face.units_per_em() as f32
}

/// `text` broken into lines no wider than `max` (a word longer than the line is cut).
fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if width(&candidate, size, bold) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line on its own: cut where it overflows.
            let mut rest = word.to_string();
            while width(&rest, size, bold) > max {
                let mut cut = String::new();
                for c in rest.chars() {
                    if width(&format!("{cut}{c}"), size, bold) > max {
                        break;
                    }
                    cut.push(c);
                }
                if cut.is_empty() {
                    break;
                }
                rest = rest[cut.len()..].to_string();
                lines.push(cut);
            }
            line = rest;
        }
        lines.push(line);
    }
    lines
}

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

struct Layout {
    pages: Vec<Vec<Op>>,
    y: f32,
    lang: Lang,
    currency: String,
}

impl Layout {
    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a page")
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, align: Align, text: impl Into<String>) {
        self.ops().push(Op::Text { x, y, size, bold, grey: false, align, text: text.into() });
    }

    fn grey(&mut self, x: f32, y: f32, size: f32, text: impl Into<String>) {
        self.ops().push(Op::Text { x, y, size, bold: false, grey: true, align: Align::Left, text: text.into() });
    }

    fn rule(&mut self, y: f32, width: f32) {
        self.ops().push(Op::Line { x1: LEFT, y1: y, x2: RIGHT, y2: y, width });
    }

    fn money(&self, m: Money) -> String {
        m.text(self.lang, &self.currency)
    }

    /// Room for `height` more points on this page, or a new page (with the table's header when
    /// `in_table`).
    fn room(&mut self, height: f32, in_table: bool) {
        if self.y + height <= BOTTOM {
            return;
        }
        self.pages.push(Vec::new());
        self.y = TOP;
        if in_table {
            self.table_header();
        }
    }

    fn paragraph(&mut self, text: &str, size: f32, bold: bool) {
        for line in wrap(text, size, bold, RIGHT - LEFT) {
            self.room(size * 1.4, false);
            self.y += size * 1.4;
            self.text(LEFT, self.y, size, bold, Align::Left, line);
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
                self.room(26.0, true);
                self.y += 16.0;
                self.text(LEFT, self.y, BODY + 0.5, true, Align::Left, line.description.clone());
                self.y += 3.0;
            }
            LineKind::Note => {
                for text in wrap(&line.description, SMALL + 0.5, false, COLUMNS[0].0 - LEFT + 220.0) {
                    self.room(12.0, true);
                    self.y += 11.0;
                    self.grey(LEFT + 6.0, self.y, SMALL + 0.5, text);
                }
            }
            LineKind::Product | LineKind::Text => {
                let label = if line.code.is_empty() { line.description.clone() } else { format!("{} {}", line.code, line.description) };
                let wrapped = wrap(&label, BODY, false, COLUMNS[0].0 - LEFT - 6.0);
                let height = wrapped.len() as f32 * 12.0 + 4.0;
                self.room(height, true);
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
    let mut l = Layout { pages: vec![Vec::new()], y: TOP, lang, currency: offer.currency.clone() };

    // The letterhead, left (the logo above it, at most 170 × 46 points); the customer, right.
    let logo = match &letterhead.logo {
        Some(png) => Some(krilla::image::Image::from_png(png.clone().into(), true).map_err(|_| AppError::Internal)?),
        None => None,
    };
    if let Some(image) = &logo {
        let (pw, ph) = image.size();
        let scale = (170.0 / pw as f32).min(46.0 / ph as f32);
        let (w, h) = (pw as f32 * scale, ph as f32 * scale);
        let y = l.y;
        l.ops().push(Op::Logo { x: LEFT, y, w, h });
        l.y += h + 4.0;
    }
    l.y += 12.0;
    l.text(LEFT, l.y, 13.0, true, Align::Left, letterhead.name.clone());
    let mut y = l.y;
    for line in &letterhead.lines {
        y += 10.5;
        l.grey(LEFT, y, SMALL + 0.5, line.clone());
    }
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
    l.room(40.0 + rows * 12.0 + 50.0, false);
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
    l.room(90.0, false);
    l.y += 24.0;
    let (bx, bw, bh) = (RIGHT - 250.0, 250.0, 64.0);
    let y = l.y;
    l.ops().push(Op::Rect { x: bx, y, w: bw, h: bh });
    l.text(bx + 8.0, l.y + 14.0, BODY, true, Align::Left, Msg::PdfAcceptance.text(lang));
    l.grey(bx + 8.0, l.y + bh - 10.0, SMALL, format!("{} ____________    {}", Msg::PdfDate.text(lang), Msg::PdfSignature.text(lang)));
    l.y += bh;

    render(l.pages, &number, lang, logo)
}

fn render(pages: Vec<Vec<Op>>, number: &str, lang: Lang, logo: Option<krilla::image::Image>) -> AppResult<Vec<u8>> {
    let font = |data: &'static [u8]| Font::new(data.to_vec().into(), 0).ok_or(AppError::Internal);
    let (regular, bold) = (font(REGULAR)?, font(BOLD)?);
    let ink = rgb::Color::new(29, 36, 51);
    let muted = rgb::Color::new(91, 101, 119);
    let fill = |c: rgb::Color| Fill { paint: c.into(), ..Default::default() };
    let total = pages.len();
    let mut document = Document::new();
    for (n, mut ops) in pages.into_iter().enumerate() {
        let footer = Msg::PdfPage.text(lang).replace("{n}", &(n + 1).to_string()).replace("{of}", &total.to_string());
        ops.push(Op::Line { x1: LEFT, y1: PAGE_H - 44.0, x2: RIGHT, y2: PAGE_H - 44.0, width: 0.3 });
        ops.push(Op::Text {
            x: LEFT,
            y: PAGE_H - 32.0,
            size: SMALL,
            bold: false,
            grey: true,
            align: Align::Left,
            text: format!("{} {number}", Msg::PdfOfferNo.text(lang)),
        });
        ops.push(Op::Text { x: RIGHT, y: PAGE_H - 32.0, size: SMALL, bold: false, grey: true, align: Align::Right, text: footer });
        let mut page = document.start_page_with(PageSettings::from_wh(PAGE_W, PAGE_H).expect("A4"));
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text { x, y, size, bold: is_bold, grey, align, text } => {
                    if text.is_empty() {
                        continue;
                    }
                    let x = if align == Align::Right { x - width(&text, size, is_bold) } else { x };
                    surface.set_fill(Some(fill(if grey { muted } else { ink })));
                    let font = if is_bold { bold.clone() } else { regular.clone() };
                    surface.draw_text(Point::from_xy(x, y), font, size, &text, false, TextDirection::Auto);
                }
                Op::Line { x1, y1, x2, y2, width } => {
                    let mut path = PathBuilder::new();
                    path.move_to(x1, y1);
                    path.line_to(x2, y2);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke { paint: muted.into(), width, ..Default::default() }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
                Op::Logo { x, y, w, h } => {
                    if let (Some(image), Some(size)) = (logo.clone(), krilla::geom::Size::from_wh(w, h)) {
                        surface.push_transform(&krilla::geom::Transform::from_translate(x, y));
                        surface.draw_image(image, size);
                        surface.pop();
                    }
                }
                Op::Rect { x, y, w, h } => {
                    let mut path = PathBuilder::new();
                    if let Some(rect) = krilla::geom::Rect::from_xywh(x, y, w, h) {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke { paint: ink.into(), width: 0.8, ..Default::default() }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| {
        tracing::error!(error = ?e, "offer PDF");
        AppError::Internal
    })
}
