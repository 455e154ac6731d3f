//! The PDF documents Vendita draws on the server (krilla): A4 pages of text, rules and boxes,
//! with the company's letterhead, every page numbered "Pagina 2 di 3". The font (DejaVu Sans
//! Condensed, Bitstream Vera licence, `app/fonts/`) is carried by the binary and embedded, subset,
//! so € and every accented letter print and the text can be selected and searched.
//!
//! A document is laid out in two passes: its content is placed on pages as drawing operations
//! ([`Doc`]), then drawn once the number of pages is known ([`Doc::render`]). The offers
//! (`offers::pdf`) and the commission statements (`commissions::pdf`) are drawn with it.

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

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSansCondensed.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSansCondensed-Bold.ttf");

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

pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
pub const LEFT: f32 = 42.0;
pub const RIGHT: f32 = PAGE_W - 42.0;
pub const TOP: f32 = 42.0;
/// The content stops here; the footer is below.
pub const BOTTOM: f32 = PAGE_H - 60.0;
pub const BODY: f32 = 9.0;
pub const SMALL: f32 = 7.5;

#[derive(Clone, Copy, PartialEq)]
pub enum Align {
    Left,
    Right,
}

pub enum Op {
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
pub fn width(text: &str, size: f32, bold: bool) -> f32 {
    let face = if bold { &FACES.1 } else { &FACES.0 };
    let units: u32 = text
        .chars()
        .map(|c| face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g)).map(u32::from).unwrap_or(face.units_per_em() as u32 / 2))
        .sum();
    units as f32 * size / face.units_per_em() as f32
}

/// `text` broken into lines no wider than `max` (a word longer than the line is cut).
pub fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
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

/// A document being laid out: its pages of drawing operations and where the next line goes.
pub struct Doc {
    pub pages: Vec<Vec<Op>>,
    pub y: f32,
    pub lang: Lang,
    pub currency: String,
    logo: Option<krilla::image::Image>,
}

impl Doc {
    pub fn new(lang: Lang, currency: &str) -> Doc {
        Doc { pages: vec![Vec::new()], y: TOP, lang, currency: currency.to_string(), logo: None }
    }

    pub fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a page")
    }

    pub fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, align: Align, text: impl Into<String>) {
        self.ops().push(Op::Text { x, y, size, bold, grey: false, align, text: text.into() });
    }

    pub fn grey(&mut self, x: f32, y: f32, size: f32, text: impl Into<String>) {
        self.ops().push(Op::Text { x, y, size, bold: false, grey: true, align: Align::Left, text: text.into() });
    }

    pub fn rule(&mut self, y: f32, width: f32) {
        self.ops().push(Op::Line { x1: LEFT, y1: y, x2: RIGHT, y2: y, width });
    }

    pub fn money(&self, m: Money) -> String {
        m.text(self.lang, &self.currency)
    }

    /// Room for `height` more points on this page, or a new page: then `true`, for the caller to
    /// repeat its table's header.
    pub fn room(&mut self, height: f32) -> bool {
        if self.y + height <= BOTTOM {
            return false;
        }
        self.pages.push(Vec::new());
        self.y = TOP;
        true
    }

    pub fn paragraph(&mut self, text: &str, size: f32, bold: bool) {
        for line in wrap(text, size, bold, RIGHT - LEFT) {
            self.room(size * 1.4);
            self.y += size * 1.4;
            self.text(LEFT, self.y, size, bold, Align::Left, line);
        }
    }

    /// The letterhead at the top of page 1, left: the logo (at most 170 × 46 points) above the
    /// company's name and its lines. Returns where its last line is; `y` is under the name.
    pub fn letterhead(&mut self, letterhead: &Letterhead) -> AppResult<f32> {
        if let Some(png) = &letterhead.logo {
            let image = krilla::image::Image::from_png(png.clone().into(), true).map_err(|_| AppError::Internal)?;
            let (pw, ph) = image.size();
            let scale = (170.0 / pw as f32).min(46.0 / ph as f32);
            let (w, h) = (pw as f32 * scale, ph as f32 * scale);
            let y = self.y;
            self.ops().push(Op::Logo { x: LEFT, y, w, h });
            self.y += h + 4.0;
            self.logo = Some(image);
        }
        self.y += 12.0;
        self.text(LEFT, self.y, 13.0, true, Align::Left, letterhead.name.clone());
        let mut y = self.y;
        for line in &letterhead.lines {
            y += 10.5;
            self.grey(LEFT, y, SMALL + 0.5, line.clone());
        }
        Ok(y)
    }

    /// The document drawn: every page with its footer (`footer` left, "Pagina n di m" right).
    pub fn render(self, footer: &str) -> AppResult<Vec<u8>> {
        let Doc { pages, lang, logo, .. } = self;
        let font = |data: &'static [u8]| Font::new(data.to_vec().into(), 0).ok_or(AppError::Internal);
        let (regular, bold) = (font(REGULAR)?, font(BOLD)?);
        let ink = rgb::Color::new(29, 36, 51);
        let muted = rgb::Color::new(91, 101, 119);
        let fill = |c: rgb::Color| Fill { paint: c.into(), ..Default::default() };
        let total = pages.len();
        let mut document = Document::new();
        for (n, mut ops) in pages.into_iter().enumerate() {
            let numbered = Msg::PdfPage.text(lang).replace("{n}", &(n + 1).to_string()).replace("{of}", &total.to_string());
            ops.push(Op::Line { x1: LEFT, y1: PAGE_H - 44.0, x2: RIGHT, y2: PAGE_H - 44.0, width: 0.3 });
            ops.push(Op::Text { x: LEFT, y: PAGE_H - 32.0, size: SMALL, bold: false, grey: true, align: Align::Left, text: footer.to_string() });
            ops.push(Op::Text { x: RIGHT, y: PAGE_H - 32.0, size: SMALL, bold: false, grey: true, align: Align::Right, text: numbered });
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
            tracing::error!(error = ?e, "PDF");
            AppError::Internal
        })
    }
}
