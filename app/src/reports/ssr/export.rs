//! The Excel download: exactly what is on screen (same filter, same permissions, checked again
//! here), written with rust_xlsxwriter. The sales sheet uses a constant-memory worksheet fed page
//! by page from the database, so a large export holds one page of sales in memory, not all of them.

use super::*;
use crate::db::entities::users;
use crate::i18n::{Lang, Msg};
use crate::money::{Percent, Quantity};
use crate::reports::forecast::ForecastHistory;
use chrono::Utc;
use futures_util::StreamExt;
use rust_xlsxwriter::utility::cell_range;
use rust_xlsxwriter::{Chart, ChartType, Format, FormatAlign, Table, TableColumn, Workbook, Worksheet, XlsxError};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

pub use rust_xlsxwriter::XlsxError as WriteError;

/// Sales handed to the writer thread at a time.
const PAGE: usize = 5_000;

/// One sale of the export, as read from the database.
#[derive(Debug, Clone)]
pub struct SaleLine {
    pub sale_date: NaiveDate,
    pub expected_close: Option<NaiveDate>,
    pub closed_date: Option<NaiveDate>,
    pub seller: SellerId,
    pub contact: String,
    pub product: ProductId,
    pub stage: Stage,
    /// Whole percent.
    pub probability: i32,
    pub quantity: Quantity,
    pub net: Money,
    pub gross: Money,
    pub unit_price: Money,
    pub discount: Percent,
    pub vat_rate: Percent,
    pub reason: Option<LostReasonId>,
    /// The reason's name, and the note beside it.
    pub lost_reason: Option<String>,
    pub lost_note: Option<String>,
    pub notes: Option<String>,
    pub city: Option<String>,
    pub province: Option<String>,
    /// Who registered the sale.
    pub registered_by: String,
}

impl SaleLine {
    /// A row of sales joined with its contact's name (`contact`); `None` for an unknown stage.
    pub fn from_row(row: &QueryResult) -> Result<Option<SaleLine>, DbErr> {
        let stage: Stage = row.try_get("", "stage")?;
        Ok(Some(SaleLine {
            sale_date: row.try_get("", "sale_date")?,
            expected_close: row.try_get("", "expected_close")?,
            closed_date: row.try_get("", "closed_date")?,
            seller: SellerId(row.try_get("", "seller_id")?),
            contact: row.try_get("", "contact")?,
            product: ProductId(row.try_get("", "product_id")?),
            stage,
            probability: row.try_get("", "probability")?,
            quantity: Quantity(row.try_get("", "quantity_milli")?),
            net: Money(row.try_get("", "net_cents")?),
            gross: Money(row.try_get("", "gross_cents")?),
            unit_price: Money(row.try_get("", "unit_price_cents")?),
            discount: Percent(row.try_get("", "discount_bp")?),
            vat_rate: Percent(row.try_get("", "vat_rate_bp")?),
            reason: row.try_get::<Option<i64>>("", "lost_reason_id")?.map(LostReasonId),
            lost_reason: row.try_get("", "lost_reason")?,
            lost_note: row.try_get("", "lost_note")?,
            notes: row.try_get("", "notes")?,
            city: row.try_get("", "city")?,
            province: row.try_get("", "province")?,
            registered_by: row.try_get("", "registered_by")?,
        }))
    }
}

/// What the workbook says besides the sales: the dimensions, the report on screen, who and when.
pub struct ExportContext {
    pub data: ReportData,
    pub filter: Filter,
    pub report: Report,
    pub lang: Lang,
    pub exported_by: String,
    pub exported_at: chrono::DateTime<Utc>,
    /// The frozen forecasts and slippage the accuracy sheet reads (empty: no such sheet).
    pub history: ForecastHistory,
    /// The offers' results of the period (the *Offerte* sheet).
    pub offers: crate::offers::OfferReport,
    /// The commissions earned in the period, with their seller (the *Provvigioni* sheet).
    pub commissions: Vec<(String, crate::commissions::StatementLine)>,
}

/// Writes the workbook of `filter` for `user` into `out` and returns how many sales it holds. The
/// caller owns the file: the download gives one whose name is already gone from the temporary
/// folder, so nothing stays there whatever happens to the request.
pub async fn export_workbook(db: &DatabaseConnection, user: &CurrentUser, scope: Scope, filter: &Filter, out: File) -> AppResult<u64> {
    // One read-only snapshot for the figures and the rows: a sale saved meanwhile is in neither.
    let snapshot = match db.get_database_backend() {
        DbBackend::Postgres => db.begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly)).await?,
        _ => db.begin().await?, // SQLite: a read transaction is a snapshot (WAL)
    };
    let db_conn = db;
    let db = &snapshot;
    let allowed = scope_sellers(db, user, scope).await?;
    check_filter(&allowed, filter)?;
    let data = data_for(db, scope, &allowed, Some(filter)).await?;
    // The contacts' tags only matter when the filter names one.
    let links = if filter.tag.is_some() { tag_links(db).await? } else { Vec::new() };
    let lang = user.lang;
    let report = compute(&data, filter, lang);
    let matcher = Matcher::new(&data, filter);
    let masks = contact_masks(&data.tags, links);
    let expected = report.current.won_count + report.current.lost_count + report.current.open_count;
    let history = super::snapshots::history(db, user).await?;
    let offers = super::super::offer_results(&data, report.from, report.to, filter.seller);
    let last_day = report.to.plus(1).first_day().pred_opt().ok_or(AppError::Internal)?;
    let commissions = crate::commissions::ssr::earned_lines(db, &allowed, filter.seller, report.from.first_day(), last_day).await?;
    let context = ExportContext {
        data,
        filter: filter.clone(),
        report,
        lang,
        exported_by: user.display_name.clone(),
        exported_at: Utc::now(),
        history,
        offers,
        commissions,
    };
    let (tx, rx) = sync_channel::<Vec<SaleLine>>(2);
    let writer = tokio::task::spawn_blocking(move || write_workbook(&context, expected, rx, out));
    let backend = ConnectionTrait::get_database_backend(db);
    let month = month_sql(backend);
    let mut sellers = allowed.sql("s.seller_id");
    if let Some(seller) = filter.seller {
        sellers.push_str(&format!(" AND s.seller_id = {seller}"));
    }
    // One query, read as it streams: the writer thread gets PAGE sales at a time (at most two
    // pages wait in the channel), so memory stays bounded whatever the number of sales.
    let sql = format!(
        "SELECT s.sale_date, s.expected_close, s.closed_date, s.seller_id, s.product_id, s.stage, s.probability, \
         s.quantity_milli, s.net_cents, s.gross_cents, s.contact_id, c.name AS contact, \
         s.unit_price_cents, s.discount_bp, s.vat_rate_bp, s.lost_reason_id, lr.name AS lost_reason, s.lost_note, s.notes, \
         c.city, c.province, u.display_name AS registered_by \
         FROM sales s JOIN contacts c ON c.id = s.contact_id JOIN users u ON u.id = s.created_by \
         LEFT JOIN lost_reasons lr ON lr.id = s.lost_reason_id WHERE {month} BETWEEN {} AND {}{sellers} ORDER BY s.id",
        matcher.from.0, matcher.to.0
    );
    let mut rows = db.stream_raw(Statement::from_string(backend, sql)).await?;
    let mut page = Vec::with_capacity(PAGE);
    while let Some(row) = rows.next().await {
        let row = row?;
        let Some(line) = SaleLine::from_row(&row)? else { continue };
        let contact_id: i64 = row.try_get("", "contact_id")?;
        let month = report_month(line.stage, line.sale_date, line.expected_close, line.closed_date);
        let tags = masks.get(&contact_id).copied().unwrap_or(0);
        let key = SaleKey { seller: line.seller, product: line.product, stage: line.stage, tags, reason: line.reason };
        if !matcher.matches(month, &key) {
            continue;
        }
        page.push(line);
        if page.len() == PAGE && !hand_over(&tx, std::mem::replace(&mut page, Vec::with_capacity(PAGE))).await {
            break; // the writer failed: its error is reported below
        }
    }
    drop(rows);
    if !page.is_empty() {
        hand_over(&tx, page).await;
    }
    drop(tx);
    snapshot.commit().await?;
    let rows = writer.await.map_err(|_| AppError::Internal)?.map_err(|e| {
        tracing::error!(error = %e, "writing the workbook");
        AppError::Internal
    })?;
    crate::exports::ssr::record(db_conn, user, crate::exports::ExportKind::Sales, rows).await?;
    Ok(rows)
}

/// The weighted amount of each row of the sales sheet, rounded so that the rows add up to the
/// screen's figure to the cent: the screen rounds the exact sum (net × probability) once, so each
/// row gets the rounded running sum less the rounded sum before it (never more than a cent from
/// its own rounding). Won and lost rows are whole cents and pass unchanged.
#[derive(Default)]
struct Weighted {
    /// Σ net cents × whole percent so far, exact.
    exact: i128,
}

impl Weighted {
    fn next(&mut self, net: Money, probability: i32) -> Money {
        let before = Money::from_weighted(self.exact);
        self.exact += net.0 as i128 * probability as i128;
        Money(Money::from_weighted(self.exact).0 - before.0)
    }
}

/// Gives the writer thread a page of sales; false when it has stopped. Waiting for room in the
/// channel happens on a blocking thread, not on the runtime's.
async fn hand_over(tx: &SyncSender<Vec<SaleLine>>, page: Vec<SaleLine>) -> bool {
    let tx = tx.clone();
    tokio::task::spawn_blocking(move || tx.send(page).is_ok()).await.unwrap_or(false)
}

/// Every (contact, tag) pair.
async fn tag_links(db: &impl ConnectionTrait) -> AppResult<Vec<(i64, i64)>> {
    let backend = db.get_database_backend();
    let rows = db.query_all_raw(Statement::from_string(backend, "SELECT contact_id, tag_id FROM contact_tags")).await?;
    rows.iter().map(|r| -> AppResult<(i64, i64)> { Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)) }).collect()
}

/// Each contact's tags as the bit set the data set uses.
fn contact_masks(tags: &[TagDim], links: Vec<(i64, i64)>) -> HashMap<i64, u64> {
    let bits: HashMap<TagId, u8> = tags.iter().map(|t| (t.id, t.bit)).collect();
    let mut masks: HashMap<i64, u64> = HashMap::new();
    for (contact, tag) in links {
        if let Some(bit) = bits.get(&TagId(tag)) {
            *masks.entry(contact).or_default() |= 1 << bit;
        }
    }
    masks
}

/// The display name of a user (for the Filtri sheet of tests and tools that only have an id).
pub async fn display_name(db: &DatabaseConnection, id: i64) -> AppResult<String> {
    Ok(users::Entity::find_by_id(id).one(db).await?.map(|u| u.display_name).unwrap_or_default())
}

/// The column headers of the Vendite sheet.
pub fn sales_headers(lang: Lang) -> Vec<&'static str> {
    [
        Msg::XlsSaleDate,
        Msg::XlsExpectedClose,
        Msg::XlsClosedDate,
        Msg::RepSeller,
        Msg::XlsContact,
        Msg::RepCategory,
        Msg::XlsProductCode,
        Msg::RepProduct,
        Msg::XlsStage,
        Msg::XlsProbability,
        Msg::XlsQuantity,
        Msg::XlsNet,
        Msg::XlsGross,
        Msg::XlsWeighted,
        Msg::XlsUnitPrice,
        Msg::XlsDiscount,
        Msg::XlsVatRate,
        Msg::XlsLostReason,
        Msg::XlsLostNote,
        Msg::XlsNotes,
        Msg::XlsCity,
        Msg::XlsProvince,
        Msg::XlsRegisteredBy,
    ]
    .iter()
    .map(|m| m.text(lang))
    .collect()
}

/// The Riepilogo sheet's headers: the table on screen's (grouped by lost reason, the lost sales').
pub fn summary_headers(lang: Lang, grouping: Grouping) -> Vec<&'static str> {
    let columns: &[Msg] = if grouping == Grouping::LostReason {
        &[grouping.label(), Msg::RepLostCount, Msg::RepLostValue, Msg::RepLostShare, Msg::RepLostYearEarlier]
    } else {
        &[
            grouping.label(),
            Msg::XlsWonCount,
            Msg::RepWon,
            Msg::RepPipeline,
            Msg::RepWeighted,
            Msg::RepWinRate,
            Msg::RepAverageWon,
            Msg::RepWonYearEarlier,
        ]
    };
    columns.iter().map(|m| m.text(lang)).collect()
}

fn currency_format(currency: &str) -> String {
    match currency {
        "EUR" => "[$€-410] #,##0.00".to_string(),
        other => format!("#,##0.00 \"{}\"", other.replace('"', "")),
    }
}

fn cents(value: i64) -> f64 {
    value as f64 / 100.0
}

/// The workbook itself. Blocking: runs on its own thread, fed pages of sales through `lines`.
pub fn write_workbook(ctx: &ExportContext, expected_rows: u64, lines: Receiver<Vec<SaleLine>>, out: File) -> Result<u64, XlsxError> {
    let lang = ctx.lang;
    let data = &ctx.data;
    let money = Format::new().set_num_format(currency_format(&data.currency));
    let percent = Format::new().set_num_format("0%");
    let rate = Format::new().set_num_format("0.00%");
    let date = Format::new().set_num_format(if lang == Lang::It { "dd/mm/yyyy" } else { "yyyy-mm-dd" });
    let quantity = Format::new().set_num_format("#,##0.###");
    let bold = Format::new().set_bold();
    let sellers: HashMap<SellerId, &str> = data.sellers.iter().map(|s| (s.id, s.name.as_str())).collect();
    let products: HashMap<ProductId, &ProductDim> = data.products.iter().map(|p| (p.id, p)).collect();
    let categories: HashMap<CategoryId, &str> = data.categories.iter().map(|c| (c.id, c.name.as_str())).collect();

    let mut workbook = Workbook::new();
    workbook.set_tempdir(std::env::temp_dir())?;
    // ---------------------------------------------------------------- Vendite
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(Msg::XlsSheetSales.text(lang))?;
    let headers = sales_headers(lang);
    let widths =
        [12.0, 12.0, 12.0, 22.0, 30.0, 18.0, 12.0, 30.0, 12.0, 10.0, 10.0, 14.0, 14.0, 14.0, 14.0, 10.0, 10.0, 20.0, 30.0, 40.0, 18.0, 10.0, 22.0];
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    // The table goes first: its header is row 0, and constant memory writes rows in order. It is
    // declared over its header and one row, and widened to every sale once the workbook is saved
    // (`widen_table`): rust_xlsxwriter keeps each cell of a table's range in a map, to refuse
    // overlapping tables, which for 100 000 sales is 2.3 million entries and over 100 MB.
    let last_col = headers.len() as u16 - 1;
    let columns: Vec<TableColumn> = headers.iter().map(|h| TableColumn::new().set_header(*h)).collect();
    let table = Table::new().set_columns(&columns).set_name(if lang == Lang::It { "Vendite" } else { "Sales" });
    sheet.add_table(0, 0, 1, last_col, &table)?;
    sheet.set_freeze_panes(1, 0)?;
    let mut row = 0u32;
    let mut weighted = Weighted::default();
    'pages: for page in lines {
        for line in page {
            if row as u64 >= expected_rows {
                break 'pages; // a sale recorded after the figures were read: stay with the screen
            }
            row += 1;
            let line_weighted = weighted.next(line.net, line.probability);
            write_sale(sheet, row, &line, line_weighted, &sellers, &products, &categories, lang, (&date, &money, &percent, &rate, &quantity))?;
        }
    }
    // ---------------------------------------------------------------- Riepilogo
    let summary = workbook.add_worksheet();
    summary.set_name(Msg::XlsSheetSummary.text(lang))?;
    let report = &ctx.report;
    for (col, header) in summary_headers(lang, ctx.filter.grouping).iter().enumerate() {
        summary.write_string_with_format(0, col as u16, *header, &bold)?;
        summary.set_column_width(col as u16, if col == 0 { 28.0 } else { 16.0 })?;
    }
    let by_reason = ctx.filter.grouping == Grouping::LostReason;
    let all_lost = report.current.lost_count;
    let write_figures =
        |sheet: &mut Worksheet, r: u32, label: &str, f: &Figures, previous: &Figures, format: Option<&Format>| -> Result<(), XlsxError> {
            match format {
                Some(b) => sheet.write_string_with_format(r, 0, label, b)?,
                None => sheet.write_string(r, 0, label)?,
            };
            if by_reason {
                sheet.write_number(r, 1, f.lost_count as f64)?;
                sheet.write_number_with_format(r, 2, cents(f.lost.0), &money)?;
                if all_lost > 0 {
                    sheet.write_number_with_format(r, 3, f.lost_count as f64 / all_lost as f64, &percent)?;
                }
                sheet.write_number(r, 4, previous.lost_count as f64)?;
                return Ok(());
            }
            sheet.write_number(r, 1, f.won_count as f64)?;
            sheet.write_number_with_format(r, 2, cents(f.won.0), &money)?;
            sheet.write_number_with_format(r, 3, cents(f.pipeline.0), &money)?;
            sheet.write_number_with_format(r, 4, cents(f.weighted_forecast().0), &money)?;
            if let Some(rate) = f.win_rate() {
                sheet.write_number_with_format(r, 5, rate.0 as f64 / 10_000.0, &percent)?;
            }
            if let Some(avg) = f.average_won() {
                sheet.write_number_with_format(r, 6, cents(avg.0), &money)?;
            }
            sheet.write_number_with_format(r, 7, cents(previous.won.0), &money)?;
            Ok(())
        };
    for (i, group) in report.rows.iter().enumerate() {
        write_figures(summary, i as u32 + 1, &group.label, &group.figures, &group.previous, None)?;
    }
    let total_row = report.rows.len() as u32 + 1;
    write_figures(summary, total_row, Msg::RepTotal.text(lang), &report.current, &report.previous, Some(&bold))?;
    summary.set_freeze_panes(1, 0)?;
    // A native chart of the won revenue per group, this period and a year earlier.
    if !report.rows.is_empty() && !by_reason {
        let name = Msg::XlsSheetSummary.text(lang);
        let last = report.rows.len() as u32;
        let mut chart = Chart::new(ChartType::Column);
        chart.title().set_name(Msg::RepChartRevenue.text(lang));
        chart.add_series().set_name((name, 0, 2)).set_categories((name, 1, 0, last, 0)).set_values((name, 1, 2, last, 2));
        chart.add_series().set_name((name, 0, 7)).set_categories((name, 1, 0, last, 0)).set_values((name, 1, 7, last, 7));
        chart.set_width(720).set_height(360);
        summary.insert_chart(total_row + 2, 0, &chart)?;
    }
    // ---------------------------------------------------------------- Obiettivi
    write_targets(workbook.add_worksheet(), ctx, &money, &percent, &bold)?;
    // ---------------------------------------------------------------- Previsioni
    if !ctx.history.months.is_empty() {
        write_accuracy(workbook.add_worksheet(), ctx, &money, &percent, &bold)?;
    }
    // ---------------------------------------------------------------- Offerte
    write_offers(workbook.add_worksheet(), ctx, &money, &rate, &bold)?;
    write_commissions(workbook.add_worksheet(), ctx, &money, &bold)?;
    // ---------------------------------------------------------------- Filtri
    let filters = workbook.add_worksheet();
    filters.set_name(Msg::XlsSheetFilters.text(lang))?;
    filters.set_column_width(0, 24.0)?;
    filters.set_column_width(1, 40.0)?;
    let all = Msg::RepAll.text(lang).to_string();
    let f = &ctx.filter;
    let tag_name = |id: TagId| data.tags.iter().find(|t| t.id == id).map(|t| t.name.clone()).unwrap_or_else(|| format!("#{id}"));
    let reason_name = |id: LostReasonId| data.reasons.iter().find(|r| r.id == id).map(|r| r.name.clone()).unwrap_or_else(|| format!("#{id}"));
    let scope = match data.scope {
        Scope::Mine => Msg::RepMine,
        Scope::All => Msg::RepSellers,
    };
    let rows: Vec<(Msg, String)> = vec![
        (Msg::XlsReport, scope.text(lang).to_string()),
        (Msg::RepPeriod, format!("{} – {}", report.from.label(lang), report.to.label(lang))),
        (Msg::RepSeller, f.seller.map(|s| sellers.get(&s).map(|n| String::from(*n)).unwrap_or_default()).unwrap_or_else(|| all.clone())),
        (Msg::RepCategory, f.category.map(|c| categories.get(&c).map(|n| String::from(*n)).unwrap_or_default()).unwrap_or_else(|| all.clone())),
        (
            Msg::RepProduct,
            f.product.map(|p| products.get(&p).map(|p| format!("{} · {}", p.code, p.name)).unwrap_or_default()).unwrap_or_else(|| all.clone()),
        ),
        (Msg::XlsStage, f.stage.map(|s| s.label().text(lang).to_string()).unwrap_or_else(|| all.clone())),
        (Msg::RepTag, f.tag.map(tag_name).unwrap_or_else(|| all.clone())),
        (Msg::RepLostReason, f.reason.map(reason_name).unwrap_or_else(|| all.clone())),
        (Msg::RepGrouping, f.grouping.label().text(lang).to_string()),
        (Msg::XlsExportedBy, ctx.exported_by.clone()),
    ];
    for (i, (label, value)) in rows.iter().enumerate() {
        filters.write_string_with_format(i as u32, 0, label.text(lang), &bold)?;
        filters.write_string(i as u32, 1, value)?;
    }
    let r = rows.len() as u32;
    filters.write_string_with_format(r, 0, Msg::XlsExportedAt.text(lang), &bold)?;
    let when = Format::new().set_num_format("dd/mm/yyyy hh:mm").set_align(FormatAlign::Left);
    filters.write_datetime_with_format(r, 1, ctx.exported_at.naive_utc(), &when)?;
    filters.write_string_with_format(r + 1, 0, Msg::XlsSalesCount.text(lang), &bold)?;
    filters.write_number(r + 1, 1, row as f64)?;
    let mut saved = tempfile::tempfile_in(std::env::temp_dir())?;
    let mut writer = BufWriter::new(&mut saved);
    workbook.save_to_writer(&mut writer)?;
    writer.flush()?;
    drop(writer);
    saved.rewind()?;
    let declared = cell_range(0, 0, 1, last_col);
    widen_table(saved, out, &declared, &cell_range(0, 0, std::cmp::max(row, 1), last_col))?;
    Ok(row as u64)
}

/// The part of the workbook that holds the sales table (the only table).
const TABLE_PART: &str = "xl/tables/table1.xml";

/// Copies the saved workbook `saved` into `out`, every part as it is (still compressed) but the
/// sales table's, whose range `declared` (header and first row) becomes `full`.
fn widen_table(saved: File, out: File, declared: &str, full: &str) -> Result<(), XlsxError> {
    let mut book = zip::ZipArchive::new(BufReader::new(saved))?;
    let mut copy = zip::ZipWriter::new(BufWriter::new(out));
    for i in 0..book.len() {
        let part = book.by_index_raw(i)?;
        if part.name()? != TABLE_PART {
            copy.raw_copy_file(part)?;
            continue;
        }
        drop(part);
        let mut xml = String::new();
        book.by_index(i)?.read_to_string(&mut xml)?;
        let xml = xml.replace(&format!("ref=\"{declared}\""), &format!("ref=\"{full}\""));
        copy.start_file(TABLE_PART, zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated))?;
        copy.write_all(xml.as_bytes())?;
    }
    copy.finish()?.flush()?;
    Ok(())
}

/// Seller × month of the report's period: target, won, % attained (the filter's seller only, when
/// it names one).
fn write_targets(sheet: &mut Worksheet, ctx: &ExportContext, money: &Format, percent: &Format, bold: &Format) -> Result<(), XlsxError> {
    let lang = ctx.lang;
    sheet.set_name(Msg::XlsSheetTargets.text(lang))?;
    for (col, header) in [Msg::RepSeller, Msg::RepGroupMonth, Msg::AttTarget, Msg::AttWon, Msg::XlsAttained].iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, header.text(lang), bold)?;
        sheet.set_column_width(col as u16, if col == 0 { 28.0 } else { 16.0 })?;
    }
    let index = crate::targets::TargetIndex::new(&ctx.data.targets);
    let won: HashMap<(SellerId, Month), Money> =
        crate::targets::month_figures(&ctx.data.cells).into_iter().map(|f| ((f.seller, f.month), f.won)).collect();
    let mut row = 0u32;
    for seller in ctx.data.sellers.iter().filter(|s| ctx.filter.seller.is_none_or(|id| id == s.id)) {
        for m in ctx.report.from.0..=ctx.report.to.0 {
            let month = Month(m);
            let target = index.over(seller.id, month, month);
            let won = won.get(&(seller.id, month)).copied();
            if target.is_none() && won.is_none() {
                continue;
            }
            row += 1;
            sheet.write_string(row, 0, &seller.name)?;
            sheet.write_string(row, 1, month.label(lang))?;
            if let Some(t) = target {
                sheet.write_number_with_format(row, 2, cents(t.0), money)?;
            }
            let won = won.unwrap_or_default();
            sheet.write_number_with_format(row, 3, cents(won.0), money)?;
            if let Some(t) = target.filter(|t| t.0 > 0) {
                sheet.write_number_with_format(row, 4, won.0 as f64 / t.0 as f64, percent)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The offers' results of the period, per seller and in all: the report page's *Offerte* table.
fn write_offers(sheet: &mut Worksheet, ctx: &ExportContext, money: &Format, rate: &Format, bold: &Format) -> Result<(), XlsxError> {
    let lang = ctx.lang;
    sheet.set_name(Msg::XlsSheetOffers.text(lang))?;
    let headers = [
        Msg::RepSeller,
        Msg::RepOffersSent,
        Msg::OfferTaxable,
        Msg::OfferAccepted,
        Msg::OfferTaxable,
        Msg::OfferRejected,
        Msg::OfferTaxable,
        Msg::RepOffersRateCount,
        Msg::RepOffersRateValue,
        Msg::RepOffersDays,
    ];
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, header.text(lang), bold)?;
        sheet.set_column_width(col as u16, if col == 0 { 28.0 } else { 16.0 })?;
    }
    let total = crate::offers::OfferResults { seller: Msg::RepTotal.text(lang).to_string(), ..ctx.offers.total.clone() };
    for (i, r) in ctx.offers.rows.iter().chain(std::iter::once(&total)).enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, &r.seller)?;
        for (col, count, value) in [(1, r.sent, r.sent_value), (3, r.accepted, r.accepted_value), (5, r.rejected, r.rejected_value)] {
            sheet.write_number(row, col, count as f64)?;
            sheet.write_number_with_format(row, col + 1, cents(value.0), money)?;
        }
        for (col, bp) in [(7, r.rate_count_bp), (8, r.rate_value_bp)] {
            if let Some(bp) = bp {
                sheet.write_number_with_format(row, col, bp as f64 / 10_000.0, rate)?;
            }
        }
        if let Some(days) = r.median_days {
            sheet.write_number(row, 9, days as f64)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The commissions earned in the period: each line as the statements show it, and their total.
fn write_commissions(sheet: &mut Worksheet, ctx: &ExportContext, money: &Format, bold: &Format) -> Result<(), XlsxError> {
    let lang = ctx.lang;
    sheet.set_name(Msg::XlsSheetCommissions.text(lang))?;
    let headers = [Msg::RepSeller, Msg::ComDate, Msg::FieldContact, Msg::FieldProduct, Msg::ComBase, Msg::ComRule, Msg::ComCommission];
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, header.text(lang), bold)?;
        sheet.set_column_width(col as u16, [24.0, 12.0, 28.0, 28.0, 14.0, 44.0, 14.0][col])?;
    }
    let mut total: i128 = 0;
    let mut row = 0;
    for (seller, l) in &ctx.commissions {
        row += 1;
        sheet.write_string(row, 0, seller)?;
        sheet.write_string(row, 1, lang.date(l.on))?;
        sheet.write_string(row, 2, &l.customer)?;
        sheet.write_string(row, 3, &l.product)?;
        sheet.write_number_with_format(row, 4, cents(l.base.0), money)?;
        sheet.write_string(row, 5, l.rule_text(lang, &ctx.data.currency))?;
        sheet.write_number_with_format(row, 6, cents(l.commission.0), money)?;
        total += l.commission.0 as i128;
    }
    sheet.write_string_with_format(row + 1, 0, Msg::RepTotal.text(lang), bold)?;
    sheet.write_number_with_format(row + 1, 6, cents(i64::try_from(total).unwrap_or(i64::MAX)), money)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The Forecast page's accuracy table, for the report's filter.
fn write_accuracy(sheet: &mut Worksheet, ctx: &ExportContext, money: &Format, percent: &Format, bold: &Format) -> Result<(), XlsxError> {
    let lang = ctx.lang;
    sheet.set_name(Msg::XlsSheetAccuracy.text(lang))?;
    let result = super::super::forecast::accuracy(&ctx.data, &ctx.history, &ctx.filter);
    for (col, header) in [Msg::RepGroupMonth, Msg::RepWon, Msg::AccAtStart, Msg::AccThreeBefore, Msg::AccAccuracy].iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, header.text(lang), bold)?;
        sheet.set_column_width(col as u16, if col == 0 { 16.0 } else { 22.0 })?;
    }
    for (i, r) in result.rows.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, r.month.label(lang))?;
        sheet.write_number_with_format(row, 1, cents(r.won.0), money)?;
        for (col, value) in [(2, r.at_start), (3, r.three_before)] {
            if let Some(v) = value {
                sheet.write_number_with_format(row, col, cents(v.0), money)?;
            }
        }
        if let Some(bp) = r.accuracy {
            sheet.write_number_with_format(row, 4, bp as f64 / 10_000.0, percent)?;
        }
    }
    let start = result.rows.len() as u32 + 2;
    for (col, header) in [Msg::RepSeller, Msg::AccMean, Msg::AccMonths, Msg::AccSlipped, Msg::AccSlippedNet].iter().enumerate() {
        sheet.write_string_with_format(start, col as u16, header.text(lang), bold)?;
    }
    for (i, s) in result.sellers.iter().enumerate() {
        let row = start + 1 + i as u32;
        sheet.write_string(row, 0, &s.name)?;
        if let Some(bp) = s.mean {
            sheet.write_number_with_format(row, 1, bp as f64 / 10_000.0, percent)?;
        }
        sheet.write_number(row, 2, s.months as f64)?;
        sheet.write_number(row, 3, s.slipped as f64)?;
        sheet.write_number_with_format(row, 4, cents(s.slipped_net.0), money)?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn write_sale(
    sheet: &mut Worksheet,
    row: u32,
    line: &SaleLine,
    weighted: Money,
    sellers: &HashMap<SellerId, &str>,
    products: &HashMap<ProductId, &ProductDim>,
    categories: &HashMap<CategoryId, &str>,
    lang: Lang,
    (date, money, percent, rate, quantity): (&Format, &Format, &Format, &Format, &Format),
) -> Result<(), XlsxError> {
    sheet.write_date_with_format(row, 0, line.sale_date, date)?;
    if let Some(d) = line.expected_close {
        sheet.write_date_with_format(row, 1, d, date)?;
    }
    if let Some(d) = line.closed_date {
        sheet.write_date_with_format(row, 2, d, date)?;
    }
    sheet.write_string(row, 3, sellers.get(&line.seller).copied().unwrap_or_default())?;
    sheet.write_string(row, 4, &line.contact)?;
    let product = products.get(&line.product);
    let category = product.and_then(|p| p.category).and_then(|c| categories.get(&c)).copied().unwrap_or_default();
    sheet.write_string(row, 5, category)?;
    sheet.write_string(row, 6, product.map(|p| p.code.as_str()).unwrap_or_default())?;
    sheet.write_string(row, 7, product.map(|p| p.name.as_str()).unwrap_or_default())?;
    sheet.write_string(row, 8, line.stage.label().text(lang))?;
    sheet.write_number_with_format(row, 9, line.probability as f64 / 100.0, percent)?;
    sheet.write_number_with_format(row, 10, line.quantity.0 as f64 / 1000.0, quantity)?;
    sheet.write_number_with_format(row, 11, cents(line.net.0), money)?;
    sheet.write_number_with_format(row, 12, cents(line.gross.0), money)?;
    sheet.write_number_with_format(row, 13, cents(weighted.0), money)?;
    sheet.write_number_with_format(row, 14, cents(line.unit_price.0), money)?;
    // Basis points to a fraction: 1050 → 0.105, shown as 10.5%.
    sheet.write_number_with_format(row, 15, line.discount.0 as f64 / 10_000.0, rate)?;
    sheet.write_number_with_format(row, 16, line.vat_rate.0 as f64 / 10_000.0, rate)?;
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    sheet.write_string(row, 17, text(&line.lost_reason))?;
    sheet.write_string(row, 18, text(&line.lost_note))?;
    sheet.write_string(row, 19, text(&line.notes))?;
    sheet.write_string(row, 20, text(&line.city))?;
    sheet.write_string(row, 21, text(&line.province))?;
    sheet.write_string(row, 22, &line.registered_by)?;
    Ok(())
}

use crate::money::Money;
